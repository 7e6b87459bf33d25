import type { FastifyPluginAsync } from 'fastify';

/** The staff live-query socket; the auth hook has already checked the session cookie. */
const liveRoutes: FastifyPluginAsync = async (app) => {
  app.get('/api/live', { websocket: true }, (socket, request) => {
    app.hub.attach(socket, request.staff!, { sessionHash: request.sessionHash, owner: `staff:${request.sessionHash}` });
  });
};

export default liveRoutes;
