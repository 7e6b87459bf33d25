import type { Client } from './types.ts';

/** Turns a heartbeat period is cut into; each socket is visited in one of them. */
export const HEARTBEAT_SLICES = 10;

/**
 * Heartbeats: once per `periodMs` every socket is visited — terminated if it
 * did not answer the previous ping (nor send anything since), closed if its
 * staff session has ended, else pinged. The visits are spread over the
 * period (each socket in its own slice of it), so a server holding 500
 * sockets never writes 500 pings, and reads 500 pongs, in one burst that
 * would hold up the live changes queued behind it.
 */
export const startHeartbeat = (clients: ReadonlySet<Client>, periodMs: number, sessionAlive?: (sessionHash: string) => boolean): (() => void) => {
  let turn = 0;
  const timer = setInterval(() => {
    const slice = turn++ % HEARTBEAT_SLICES;
    for (const client of clients) {
      if (client.heartbeatSlice !== slice) continue;
      if (!client.alive) {
        client.ws.terminate();
        continue;
      }
      if (client.sessionHash && sessionAlive && !sessionAlive(client.sessionHash)) {
        client.ws.close(4401, 'session ended');
        continue;
      }
      client.alive = false;
      client.ws.ping();
    }
  }, periodMs / HEARTBEAT_SLICES);
  timer.unref();
  return () => clearInterval(timer);
};
