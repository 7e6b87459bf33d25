import fp from 'fastify-plugin';
import { createHub } from '../live/hub.ts';

/** Registers the live-query hub (`server/src/live/hub.ts`) and ties it to sessions and shutdown. */
export default fp<{ heartbeatMs?: number; maxFramesPerSecond?: number }>(
  async (app, opts) => {
    const hub = createHub(app.store, {
      sessionAlive: (hash) => app.auth.sessionAlive(hash),
      ...(opts.heartbeatMs !== undefined && { heartbeatMs: opts.heartbeatMs }),
      ...(opts.maxFramesPerSecond !== undefined && { maxFramesPerSecond: opts.maxFramesPerSecond }),
    });
    app.decorate('hub', hub);
    app.auth.onSessionEnd((hash) => hub.closeSession(hash));
    app.addHook('preClose', async () => hub.closeAll(1001, 'server shutting down'));
  },
  { name: 'realtime', dependencies: ['db', 'auth'] },
);
