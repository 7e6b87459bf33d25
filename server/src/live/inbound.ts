import { LIMITS, type ClientMessage } from '@atende/core';
import type { Sender } from './sender.ts';
import type { Client } from './types.ts';

export interface InboundHandlers {
  subscribe(client: Client, id: string, query: string, params: unknown): Promise<void>;
  unsubscribe(client: Client, id: string): void;
}

/**
 * Frames a socket sends: each is counted against the socket's frames per
 * second, parsed and checked, then becomes a subscribe, an unsubscribe or a
 * ping; anything else is answered with an error naming what is wrong.
 */
export const createInbound = (send: Sender, handlers: InboundHandlers, maxFrames: number) => {
  /**
   * Counts a frame; a socket over its frames per second stops being read
   * until the second is over (TCP pushes back on the sender). Nothing is
   * dropped or closed: a client resubscribing after a reconnect is only slowed.
   */
  const countFrame = (client: Client) => {
    const now = Date.now();
    if (now - client.frameWindowAt >= 1000) {
      client.frameWindowAt = now;
      client.frames = 0;
    }
    if (++client.frames <= maxFrames || client.resumeTimer) return;
    client.ws.pause();
    client.resumeTimer = setTimeout(() => {
      client.resumeTimer = null;
      client.frames = 0;
      client.frameWindowAt = Date.now();
      if (client.ws.readyState === client.ws.OPEN) client.ws.resume();
    }, Math.max(1, client.frameWindowAt + 1000 - now));
    client.resumeTimer.unref();
  };

  const onMessage = (client: Client, raw: string) => {
    let message: ClientMessage;
    try {
      message = JSON.parse(raw) as ClientMessage;
    } catch {
      send(client, { type: 'error', id: null, error: { code: 'invalid-argument', message: 'Messages must be JSON', issues: [] } });
      return;
    }
    if (message === null || typeof message !== 'object') {
      send(client, { type: 'error', id: null, error: { code: 'invalid-argument', message: 'Messages must be JSON objects', issues: [] } });
      return;
    }
    if (message.type === 'ping') return send(client, { type: 'pong' });
    const id = (message as { id?: unknown }).id;
    if (typeof id !== 'string' || id.length === 0 || id.length > LIMITS.live.maxIdLength) {
      send(client, { type: 'error', id: null, error: { code: 'invalid-argument', message: `A subscription needs an id (1 to ${LIMITS.live.maxIdLength} characters)`, issues: [{ path: 'id', message: 'required' }] } });
      return;
    }
    if (message.type === 'unsubscribe') return handlers.unsubscribe(client, id);
    if (message.type === 'subscribe') {
      if (typeof message.query !== 'string') {
        send(client, { type: 'error', id, error: { code: 'invalid-argument', message: 'Name a query of the catalogue', issues: [{ path: 'query', message: 'required' }] } });
        return;
      }
      void handlers.subscribe(client, id, message.query, message.params ?? {});
      return;
    }
    send(client, { type: 'error', id, error: { code: 'invalid-argument', message: 'Unknown message type', issues: [{ path: 'type', message: 'must be subscribe, unsubscribe or ping' }] } });
  };

  /** A frame arrived on the socket. */
  return (client: Client, data: { toString(): string }, isBinary: boolean) => {
    client.alive = true;
    countFrame(client);
    if (isBinary) return send(client, { type: 'error', id: null, error: { code: 'invalid-argument', message: 'Send text frames', issues: [] } });
    onMessage(client, data.toString());
  };
};
