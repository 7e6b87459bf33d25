import type { Socket } from 'node:net';
import { CommandError, LIMITS, type ErrorBody, type ServerMessage } from '@atende/core';
import type { BuiltFrame } from './frames.ts';
import type { Client } from './types.ts';

const { maxBufferedBytes: MAX_BUFFERED } = LIMITS.live;

/** The TCP socket under a WebSocket (ws keeps it as `_socket`). */
const socketOf = (client: Client): Socket | undefined => (client.ws as unknown as { _socket?: Socket })._socket;

export const errorBody = (error: unknown): ErrorBody['error'] =>
  error instanceof CommandError
    ? { code: error.code, message: error.message, issues: error.issues }
    : { code: 'internal', message: 'Internal error', issues: [] };

export interface Sender {
  (client: Client, message: ServerMessage | string): void;
  /**
   * A frame built once (frames.ts), for one socket or many: written to the
   * socket as it is when the connection negotiated no extension (ws then
   * frames nothing itself: no compression, no queue), else its payload is
   * sent as text through ws.
   */
  frame(client: Client, built: BuiltFrame): void;
}

/**
 * Writes frames to sockets. The frames of one turn (a group commit's
 * transactions) leave each socket in one write, not one system call each:
 * a socket is corked at its first frame of the turn and uncorked after it.
 * A socket whose peer does not read (more than LIMITS.live.maxBufferedBytes
 * waiting) is closed instead of buffering without end.
 */
export const createSender = (): Sender => {
  const corked = new Set<Client>();
  const uncorkAll = () => {
    for (const client of corked) socketOf(client)?.uncork();
    corked.clear();
  };
  /** The socket to write to now, corked for the turn; undefined when nothing may be sent. */
  const ready = (client: Client): Socket | undefined | false => {
    if (client.ws.readyState !== client.ws.OPEN) return false;
    if (client.ws.bufferedAmount > MAX_BUFFERED) {
      client.ws.close(4008, 'too slow: reconnect for a fresh snapshot');
      return false;
    }
    const socket = socketOf(client);
    if (socket && !corked.has(client)) {
      if (corked.size === 0) process.nextTick(uncorkAll);
      socket.cork();
      corked.add(client);
    }
    return socket;
  };
  const send: Sender = (client, message) => {
    if (ready(client) === false) return;
    client.ws.send(typeof message === 'string' ? message : JSON.stringify(message));
  };
  send.frame = (client, built) => {
    const socket = ready(client);
    if (socket === false) return;
    if (socket && client.plainFrames) {
      if (Buffer.isBuffer(built.frame)) socket.write(built.frame);
      else for (const part of built.frame) socket.write(part);
    } else client.ws.send(typeof built.payload === 'string' ? built.payload : built.payload(), { binary: false });
  };
  return send;
};
