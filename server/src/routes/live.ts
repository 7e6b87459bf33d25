import type { FastifyPluginAsync } from 'fastify';

/** The staff live-query socket; the auth hook has already checked the session cookie. */
const liveRoutes: FastifyPluginAsync = async (app) => {
  app.get('/api/live', { websocket: true }, (socket, request) => {
    const staff = request.staff!;
    app.hub.attach(socket, staff, { sessionHash: request.sessionHash, owner: `staff:${request.sessionHash}` });
    // DESIGN §16: presence follows the console's connections.
    app.presence.connected(staff);
    socket.once('close', () => app.presence.disconnected(staff));
  });
};

export default liveRoutes;
