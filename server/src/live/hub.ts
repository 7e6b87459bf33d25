import type { WebSocket } from 'ws';
import { LIMITS, type Actor } from '@atende/core';
import type { SqliteStore } from '../db/store.ts';
import { createCommitHandler } from './commits.ts';
import { createEvaluations } from './evaluations.ts';
import { HEARTBEAT_SLICES, startHeartbeat } from './heartbeat.ts';
import { createInbound } from './inbound.ts';
import { createSender } from './sender.ts';
import { createSubscribe } from './subscribe.ts';
import type { Client } from './types.ts';

/**
 * The live-query hub (DESIGN §6). Every distinct target (same query spec or
 * document) is evaluated once and its current result kept; a commit is
 * checked once per target and the resulting changes are sent to every
 * subscription sharing it. The pieces: `evaluations.ts` (the registry),
 * `subscribe.ts` (a request to a snapshot), `commits.ts` (a commit to
 * changes), `inbound.ts` (frames in), `sender.ts` (frames out),
 * `frames.ts` (a frame built once for many sockets), `heartbeat.ts`,
 * `outline.ts` (large documents kept as outlines); this file ties them to
 * the sockets' lives.
 */
export interface Hub {
  /**
   * Serves one socket until it closes. `sessionHash` is the staff session it
   * was opened with (re-checked on every heartbeat); `owner` names the staff or
   * widget session, which may hold at most LIMITS.live.maxSocketsPerSession sockets.
   */
  attach(ws: WebSocket, actor: Actor, opened: { sessionHash: string | null; owner: string | null }): void;
  /** Closes every socket, e.g. on shutdown. */
  closeAll(code: number, reason: string): void;
  /** Closes the sockets opened with a session that has ended. */
  closeSession(hash: string): void;
  stats(): { sockets: number; subscriptions: number; evaluations: number };
}

export interface HubOptions {
  /** Checked on every heartbeat: a socket whose session expired or was revoked is closed. */
  sessionAlive?: (sessionHash: string) => boolean;
  heartbeatMs?: number;
  /** Frames per second a socket is read at (default LIMITS.live.maxFramesPerSecond). */
  maxFramesPerSecond?: number;
}

export const createHub = (store: SqliteStore, options: HubOptions = {}): Hub => {
  const clients = new Set<Client>();
  /** Open sockets per owning session. */
  const owners = new Map<string, number>();
  const registry = createEvaluations(store);
  const send = createSender();
  const subscribe = createSubscribe(store, registry, send);
  const onFrame = createInbound(
    send,
    {
      subscribe,
      unsubscribe(client, id) {
        client.pending.delete(id);
        const sub = client.subs.get(id);
        if (sub) registry.removeSubscription(sub);
      },
    },
    options.maxFramesPerSecond ?? LIMITS.live.maxFramesPerSecond,
  );
  store.onCommit(createCommitHandler(registry, clients, send));

  const stopHeartbeat = startHeartbeat(clients, options.heartbeatMs ?? LIMITS.live.heartbeatMs, options.sessionAlive);
  let attached = 0;

  return {
    attach(ws, actor, { sessionHash, owner }) {
      if (owner !== null && (owners.get(owner) ?? 0) >= LIMITS.live.maxSocketsPerSession) {
        ws.close(1008, `at most ${LIMITS.live.maxSocketsPerSession} connections per session`);
        return;
      }
      const client: Client = {
        ws,
        actor,
        sessionHash,
        owner,
        subs: new Map(),
        alive: true,
        heartbeatSlice: attached++ % HEARTBEAT_SLICES,
        pending: new Map(),
        frames: 0,
        frameWindowAt: Date.now(),
        plainFrames: ws.extensions === '',
        resumeTimer: null,
      };
      clients.add(client);
      if (owner !== null) owners.set(owner, (owners.get(owner) ?? 0) + 1);
      ws.on('pong', () => (client.alive = true));
      ws.on('message', (data, isBinary) => onFrame(client, data, isBinary));
      ws.on('close', () => {
        if (!clients.delete(client)) return;
        client.pending.clear();
        if (client.resumeTimer) clearTimeout(client.resumeTimer);
        if (owner !== null) {
          const left = (owners.get(owner) ?? 1) - 1;
          if (left > 0) owners.set(owner, left);
          else owners.delete(owner);
        }
        for (const sub of [...client.subs.values()]) registry.removeSubscription(sub);
      });
      ws.on('error', () => ws.terminate());
    },
    closeAll(code, reason) {
      stopHeartbeat();
      for (const client of clients) client.ws.close(code, reason);
    },
    stats: () => ({ sockets: clients.size, subscriptions: [...clients].reduce((n, c) => n + c.subs.size, 0), evaluations: registry.size }),
    closeSession(hash: string) {
      for (const client of clients) if (client.sessionHash === hash) client.ws.close(4401, 'signed out');
    },
  };
};
