import type { Socket } from 'node:net';
import { CommandError, LIMITS, type ErrorBody, type ServerMessage } from '@atende/core';
import type { Client } from './types.ts';

const { maxBufferedBytes: MAX_BUFFERED } = LIMITS.live;

/** The TCP socket under a WebSocket (ws keeps it as `_socket`). */
const socketOf = (client: Client): Pick<Socket, 'cork' | 'uncork'> | undefined => (client.ws as unknown as { _socket?: Socket })._socket;

export const errorBody = (error: unknown): ErrorBody['error'] =>
  error instanceof CommandError
    ? { code: error.code, message: error.message, issues: error.issues }
    : { code: 'internal', message: 'Internal error', issues: [] };

export type Send = (client: Client, message: ServerMessage | string) => void;

/**
 * Writes frames to sockets. The frames of one turn (a group commit's
 * transactions) leave each socket in one write, not one system call each:
 * a socket is corked at its first frame of the turn and uncorked after it.
 * A socket whose peer does not read (more than LIMITS.live.maxBufferedBytes
 * waiting) is closed instead of buffering without end.
 */
export const createSender = (): Send => {
  const corked = new Set<Client>();
  const uncorkAll = () => {
    for (const client of corked) socketOf(client)?.uncork();
    corked.clear();
  };
  return (client, message) => {
    if (client.ws.readyState !== client.ws.OPEN) return;
    if (client.ws.bufferedAmount > MAX_BUFFERED) {
      client.ws.close(4008, 'too slow: reconnect for a fresh snapshot');
      return;
    }
    if (!corked.has(client)) {
      const socket = socketOf(client);
      if (socket) {
        if (corked.size === 0) process.nextTick(uncorkAll);
        socket.cork();
        corked.add(client);
      }
    }
    client.ws.send(typeof message === 'string' ? message : JSON.stringify(message));
  };
};
