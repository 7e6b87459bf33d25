import { checkNewTicket, CommandError, millisOf, newTicketQueries, widgetSessionQuotas, type CustomerActor } from '@atende/core';
import { Timestamp } from 'firebase-admin/firestore';
import { storeOf, type CallerAuth, type Deps } from './deps.ts';
import { UPLOAD_BEGIN } from './uploads.ts';

/** Functions-only counters, one per visitor and quota: `quotas/{uid}~{name}` (give the collection a TTL policy on `expiresAt`). */
export const QUOTAS = 'quotas';

/**
 * Counts one use of a visitor's quota in a fixed window, refusing past the
 * limit (LIMITS.widget, as the embedded server's @fastify/rate-limit hooks).
 * One small document per visitor: no hot spot, as each person writes at
 * human speed.
 */
export const countQuota = async (deps: Deps, uid: string, name: 'messages' | 'uploads'): Promise<void> => {
  const { max, windowMs } = widgetSessionQuotas()[name];
  const ref = deps.db.collection(QUOTAS).doc(`${uid}~${name}`);
  const now = deps.clock();
  const waitSeconds = await deps.db.runTransaction(async (t) => {
    const d = (await t.get(ref)).data() as { windowStart?: unknown; count?: number } | undefined;
    // A timestamp (or, written before times were timestamps, a number of ms).
    const start = millisOf(d?.windowStart);
    const fresh = !d || typeof start !== 'number' || now - start >= windowMs || now < start;
    const windowStart = fresh ? now : (start as number);
    const count = fresh ? 0 : (d.count ?? 0);
    if (count >= max) return Math.max(1, Math.ceil((windowStart + windowMs - now) / 1000));
    t.set(ref, { uid, name, windowStart: Timestamp.fromMillis(windowStart), count: count + 1, expiresAt: Timestamp.fromMillis(windowStart + windowMs) });
    return 0;
  });
  if (waitSeconds > 0)
    throw new CommandError('resource-exhausted', `Muitas requisições: aguarde ${waitSeconds} s. (Too many requests: wait ${waitSeconds} s.)`, [
      { path: '(request)', message: `${name}: at most ${max} per ${windowMs / 1000} s` },
    ]);
};

/**
 * The widget's abuse controls on Firebase, before a web-chat customer's
 * command runs: App Check (when enforced), then per-session quotas on
 * messages and uploads, and core's new-ticket rule.
 */
export const guardCustomer = async (deps: Deps, auth: CallerAuth, actor: CustomerActor, name: string): Promise<void> => {
  if (name === 'inbound.receive') {
    const { open, recent } = newTicketQueries(actor, deps.clock());
    const [live, opened] = await storeOf(deps.db).transaction(async (tx) => [await tx.query(open), await tx.query(recent)] as const);
    checkNewTicket(live.length, opened.length);
    await countQuota(deps, auth.uid, 'messages');
  } else if (name === UPLOAD_BEGIN) await countQuota(deps, auth.uid, 'uploads');
};

/**
 * App Check for the widget (`ATENDE_APP_CHECK=enforce`): a visitor's call
 * must carry a valid App Check token, so scripts outside the site cannot
 * open sessions or write. Staff calls are not affected.
 */
export const requireAppCheck = (deps: Deps, auth: CallerAuth | undefined): void => {
  if (deps.enforceWidgetAppCheck && auth?.appCheck !== true)
    throw new CommandError('unauthenticated', 'This chat must be opened from the site (App Check).', [{ path: '(request)', message: 'missing or invalid App Check token' }]);
};
