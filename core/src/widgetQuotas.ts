import { CommandError } from './errors.ts';
import { LIMITS } from './limits.ts';
import type { CustomerActor } from './policy.ts';
import type { QuerySpec } from './store/types.ts';
import { OPEN_STATUSES } from './tickets.ts';

const HOUR = 60 * 60 * 1000;

/**
 * How many new conversations a web-chat session may open
 * (LIMITS.widget.ticketsPerSessionPerHour), the same rule on both backends:
 * a message that continues a live ticket always goes; one that would open a
 * ticket is refused once the visitor opened the quota in the last hour.
 * The carrier runs the two queries (store or transaction) and hands the
 * counts to `checkNewTicket`.
 */
export const newTicketQueries = (actor: CustomerActor, now: number): { open: QuerySpec<'tickets'>; recent: QuerySpec<'tickets'> } => ({
  open: {
    collection: 'tickets',
    where: [['contactId', '==', actor.contactId], ['channelId', '==', actor.channelId], ['status', 'in', [...OPEN_STATUSES]]],
    orderBy: [],
    limit: 1,
  },
  recent: {
    collection: 'tickets',
    where: [['contactId', '==', actor.contactId], ['createdAt', '>=', now - HOUR]],
    orderBy: [['createdAt', 'desc']],
    limit: LIMITS.widget.ticketsPerSessionPerHour,
  },
});

export const checkNewTicket = (openCount: number, recentCount: number): void => {
  if (openCount > 0) return;
  const max = LIMITS.widget.ticketsPerSessionPerHour;
  if (recentCount >= max)
    throw new CommandError('resource-exhausted', 'Muitas conversas novas em pouco tempo: aguarde um pouco. (Too many new conversations: wait a while.)', [
      { path: '(request)', message: `at most ${max} new conversations per hour` },
    ]);
};

/** The per-session counters of the widget on Firebase (the embedded server counts with @fastify/rate-limit): name → [max, window ms]. */
export const widgetSessionQuotas = (): Record<'messages' | 'uploads', { max: number; windowMs: number }> => ({
  messages: { max: LIMITS.widget.messagesPerSessionPerMinute, windowMs: 60_000 },
  uploads: { max: LIMITS.widget.uploadsPerSessionPerHour, windowMs: HOUR },
});
