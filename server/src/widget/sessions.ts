import { createHmac, randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { CommandError, LIMITS, readFileKey, signFileKey, type CustomerActor } from '@atende/core';
import { hashToken } from '../lib/secrets.ts';
import type { CustomerSession } from '../types.ts';

/**
 * The widget's customers: a long-lived bearer token per visitor (kept by the
 * widget, sent in the Authorization header; only the live socket, which
 * cannot send headers, takes it in its URL), and short-lived signed file keys
 * for links (`<img src>`), so a forwarded link neither lasts nor opens the
 * conversation.
 */
interface SessionRow {
  channel_id: string;
  contact_id: string;
  visitor_id: string;
  expires_at: number;
}

/** How many sessions are kept in memory (the one entered first leaves first). */
const RECENT_SESSIONS = 10_000;

export const createWidgetSessions = (app: FastifyInstance) => {
  const get = app.db.prepare<[string], SessionRow>(
    'SELECT channel_id, contact_id, visitor_id, expires_at FROM widget_sessions WHERE token_hash = ?',
  );
  const insert = app.db.prepare('INSERT INTO widget_sessions (token_hash, channel_id, contact_id, visitor_id, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)');
  const secretFile = join(app.config.dataDir, 'link-secret');
  if (!existsSync(secretFile)) writeFileSync(secretFile, randomBytes(32).toString('base64url'), { flag: 'wx', mode: 0o600 });
  const secret = readFileSync(secretFile, 'utf8').trim();
  const sign = (text: string) => createHmac('sha256', secret).update(text).digest('base64url');

  // Sessions are never changed once written (they only expire): every message of a chat names its session, so the
  // recent ones are kept here instead of read from SQLite each time. Only sessions that exist enter it.
  const recent = new Map<string, SessionRow>();
  const remember = (tokenHash: string, row: SessionRow) => {
    if (recent.size >= RECENT_SESSIONS) recent.delete(recent.keys().next().value!);
    recent.set(tokenHash, row);
  };

  const sessionOf = (token: string | undefined): CustomerSession | null => {
    if (!token || token.length > 200) return null;
    const tokenHash = hashToken(token);
    let row = recent.get(tokenHash);
    if (!row) {
      row = get.get(tokenHash);
      if (row) remember(tokenHash, row);
    }
    if (!row || row.expires_at <= app.clock()) return null;
    return { actor: { kind: 'customer', contactId: row.contact_id, channelId: row.channel_id }, visitorId: row.visitor_id, tokenHash };
  };

  const bearerOf = (request: FastifyRequest, allowQuery: boolean): string | undefined => {
    const header = request.headers.authorization;
    if (header?.startsWith('Bearer ')) return header.slice(7).trim();
    const token = allowQuery ? (request.query as { token?: unknown } | undefined)?.token : undefined;
    return typeof token === 'string' ? token : undefined;
  };

  return {
    sessionOf,
    create(row: { hash: string; channelId: string; contactId: string; visitorId: string }) {
      const now = app.clock();
      insert.run(row.hash, row.channelId, row.contactId, row.visitorId, now, now + LIMITS.widget.sessionTtlMs);
      remember(row.hash, { channel_id: row.channelId, contact_id: row.contactId, visitor_id: row.visitorId, expires_at: now + LIMITS.widget.sessionTtlMs });
    },
    /** The customer behind the request's bearer token (`?token=` only where a browser cannot send headers: the live socket). */
    require(request: FastifyRequest, options: { allowQuery?: boolean } = {}): CustomerSession {
      const session = sessionOf(bearerOf(request, options.allowQuery ?? false));
      if (!session) throw new CommandError('unauthenticated', 'Sua sessão de conversa expirou: recarregue a página. (Chat session expired: reload the page.)');
      request.customer = session;
      return session;
    },
    /** A key for file links of this customer's conversation, valid LIMITS.widget.fileLinkTtlMs (core's format, as on Firebase). */
    fileKey(actor: CustomerActor): { fileKey: string; fileKeyExpiresAt: number } {
      const exp = app.clock() + LIMITS.widget.fileLinkTtlMs;
      return { fileKey: signFileKey(actor, exp, sign), fileKeyExpiresAt: exp };
    },
    /** The customer a file key was signed for, if it is genuine and not expired. */
    actorOfFileKey(key: string | undefined): CustomerActor | null {
      const subject = readFileKey(key, app.clock(), sign);
      return subject?.kind === 'customer' ? subject : null;
    },
  };
};

export type WidgetSessions = ReturnType<typeof createWidgetSessions>;
