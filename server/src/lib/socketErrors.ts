import type { FastifyBaseLogger } from 'fastify';
import type { WebSocket } from 'ws';

/** Errors a client causes on its own socket (a frame over the size limit, a broken frame): its fault, logged briefly. */
const CLIENT_FAULTS = new Set([
  'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH',
  'WS_ERR_INVALID_UTF8',
  'WS_ERR_INVALID_OPCODE',
  'WS_ERR_INVALID_CLOSE_CODE',
  'WS_ERR_EXPECTED_MASK',
  'WS_ERR_UNEXPECTED_MASK',
  'WS_ERR_INVALID_CONTROL_PAYLOAD_LENGTH',
  'WS_ERR_UNEXPECTED_RSV_1',
  'WS_ERR_UNEXPECTED_RSV_2_3',
  'WS_ERR_EXPECTED_FIN',
]);

/** A live socket's error: a client's bad frame is a one-line warning (no stack), anything else an error; the socket ends. */
export const logSocketError = (error: Error, socket: WebSocket, log: FastifyBaseLogger): void => {
  const code = (error as { code?: string }).code;
  if (code && CLIENT_FAULTS.has(code)) log.warn({ code, reason: error.message }, 'live socket closed: the client sent a bad frame');
  else log.error({ err: error }, 'live socket error');
  socket.terminate();
};
