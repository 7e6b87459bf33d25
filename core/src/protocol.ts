/**
 * The wire contract between the SPA and the embedded server. The Firebase
 * driver produces the same events from Firestore listeners.
 *
 * HTTP (JSON; staff are authenticated by the HttpOnly `atende_session` cookie):
 *   POST /api/auth/login      {email, password}  → 200 {user} | 401 | 429
 *   POST /api/auth/logout                        → 204 (ends the session)
 *   GET  /api/auth/me                            → 200 {user} | 401
 *   GET  /api/auth/session                       → 200 {user: User | null}  (never 401: the SPA's question at every page load)
 *   POST /api/commands/:name  input              → 200 {result} | 4xx ErrorBody
 *   POST /api/files           multipart: file, ticketId → 200 {attachment}
 *   GET  /api/files/:ticketId/:attachmentId      → the file, to those who may see the ticket
 *   POST /api/quick-reply-files multipart: file   → 200 {attachment} (supervisors and admins)
 *   GET  /api/quick-reply-files/:attachmentId    → a quick reply's file, to any staff
 *   POST /api/files/from-quick-reply {ticketId, quickReplyId, attachmentId} → 200 {attachment}, the file copied into the ticket
 *   GET  /api/health                             → 200 {ok: true}
 *
 * Web-chat widget (customers; `Authorization: Bearer <token>` from the session call):
 *   GET  /api/widget/:channelId                  → 200 {channel: {id, name, type}}
 *   POST /api/widget/:channelId/session {name, email?, phone?, token?} → 200 {token, contactId}
 *   POST /api/widget/messages {text, attachments?, clientMessageId} → 200 {ticketId, messageId, protocol}
 *   POST /api/widget/files    multipart: file → 200 {attachment}
 *   GET  /api/widget/files/:ticketId/:attachmentId?token=… → the file
 *
 * WebSocket: /api/live (staff, cookie) and /api/widget/live?token=… (customer).
 */

import type { FieldIssue, ErrorCode } from './errors.ts';

export interface ErrorBody {
  /** `reason` + `params`: the stable code the SPA and the widget translate (core/src/errors/texts.ts); `message` is the server's English, for logs. */
  error: { code: ErrorCode | 'internal'; message: string; issues: FieldIssue[]; reason?: string | null; params?: Record<string, string> };
}

export type ClientMessage =
  | { type: 'subscribe'; id: string; query: string; params?: Record<string, unknown> }
  | { type: 'unsubscribe'; id: string }
  | { type: 'ping' };

export type DocChange<T = Record<string, unknown>> = { type: 'added' | 'modified' | 'removed'; doc: T };

export type ServerMessage =
  /** The full current result; for a one-document target, `docs` has 0 or 1 element. */
  | { type: 'snapshot'; id: string; docs: Record<string, unknown>[] }
  | { type: 'changes'; id: string; changes: DocChange[] }
  /** The subscription was refused or ended (e.g. a parameter the user may not use); the socket stays open. */
  | { type: 'error'; id: string | null; error: ErrorBody['error'] }
  | { type: 'pong' };

export const SESSION_COOKIE = 'atende_session';
