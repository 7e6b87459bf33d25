import type { QueryName, User } from '@atende/core';
import { counterIds } from '../../../core/src/tickets.ts';

/**
 * What an agent's console keeps live, in one place: the tickets and catalog
 * stores open these, and the bench (`bench/firestore.ts`) opens the same for each of its
 * 40 agents to count what a ticket's life costs on Firestore.
 *
 * On Firestore every change a listener hears is a billed read, for every
 * console that hears it — but for a document that leaves the results because
 * it was deleted: Esperando listens to the queue's entries, deleted when a
 * ticket stops waiting (core/src/store/queueLayout.ts), so a ticket leaving it
 * costs the consoles nothing. So the console follows only what is on screen:
 * - Esperando and Em atendimento are live lists; while a list holds fewer
 *   tickets than its limit it is the whole list, and its tab count is its
 *   length: no `counters` listener for it. The counters are followed only
 *   for a list that is truncated (a queue of more than 10,000).
 * - Finalizados (`tickets.closed`) and its count are followed only while
 *   that tab is shown: a closed ticket costs nobody a read otherwise.
 */
export const CONSOLE_LIMITS = {
  /** Esperando: the whole queue, up to the catalogue's ceiling. */
  waiting: 10_000,
  /** What Esperando shows before the whole queue has arrived (a tall screen holds about 15 cards). */
  waitingFirstPage: 50,
  mine: 2000,
  closedPage: 100,
} as const;

export interface PlannedSubscription {
  query: QueryName;
  params: Record<string, unknown>;
}

type Who = Pick<User, 'id' | 'role' | 'sectorIds'>;

/** What the console's screen needs counted, beside its live lists. */
export interface ConsoleView {
  /** Esperando holds as many tickets as its limit: there may be more, its count comes from the counters. */
  waitingTruncated: boolean;
  mineTruncated: boolean;
  /** The Finalizados tab is on screen. */
  closedShown: boolean;
}

/** A console on Esperando (or Em atendimento) whose lists are whole: what nearly every agent has open. */
export const STEADY_VIEW: ConsoleView = { waitingTruncated: false, mineTruncated: false, closedShown: false };

/** The counters behind the tab counts: admins see every sector and tickets with no sector; everyone else their own sectors. */
export const counterIdsFor = (user: Who, allSectorIds: readonly string[]) => {
  const sectors: (string | null)[] = user.role === 'admin' ? [...new Set([...allSectorIds, ...user.sectorIds]), null] : [...user.sectorIds];
  return {
    waiting: sectors.map((s) => counterIds.bySector('waiting', s)),
    mine: [counterIds.byAssignee('open', user.id)],
    closed: sectors.map((s) => counterIds.bySector('closed', s)),
  };
};

/** The counters this view cannot count from its own lists (at most 30: Firestore's `in` limit). */
export const countersFor = (user: Who, allSectorIds: readonly string[], view: ConsoleView): string[] => {
  const ids = counterIdsFor(user, allSectorIds);
  return [...new Set([...(view.waitingTruncated ? ids.waiting : []), ...(view.mineTruncated ? ids.mine : []), ...(view.closedShown ? ids.closed : [])])].slice(0, 30);
};

/** The sectors whose tickets this user's lists show: every one (no filter) for admins; none at all for a user in no sector. */
export const sectorScope = (user: Who): Record<string, unknown> | null => (user.role === 'admin' ? {} : user.sectorIds.length > 0 ? { sectorIds: user.sectorIds } : null);

/**
 * The live queues (Esperando, the team's tickets in service) ask for the
 * sectors the person may see as the backend resolves them (`'visible'`, core's
 * catalogue), not a list fixed at sign-in: when an admin changes their
 * sectors, the same subscription follows (the Firebase driver re-opens only
 * the listeners whose target the new claims change).
 */
export const queueScope = (user: Who): { sectorIds?: 'visible' } | null => (user.role === 'admin' ? {} : user.sectorIds.length > 0 ? { sectorIds: 'visible' } : null);

/** Finalizados, a page at a time: subscribed only while its tab is shown. */
export const closedSubscription = (user: Who, limit: number = CONSOLE_LIMITS.closedPage): PlannedSubscription | null => {
  const scope = sectorScope(user);
  return scope ? { query: 'tickets.closed', params: { ...scope, limit } } : null;
};

/** The catalogue every console keeps live (catalog store): the team, whose presence changes all day. */
export const LIVE_CATALOGUES = ['users.all'] as const;

/**
 * The catalogues a console loads once and again when their version moves
 * (`followCatalogues`, web/src/live/catalogues.ts; followed live on the
 * embedded server): edited by admins now and then, read all day.
 */
export const VERSIONED_CATALOGUES = ['sectors.all', 'channels.all', 'tags.all', 'classifications.all', 'quickReplies.all', 'pauseReasons.all', 'settings'] as const;

/**
 * Every live query a signed-in agent's console keeps open for `view` before
 * any conversation is on screen (on Firebase; the versioned catalogues come
 * beside them through `followCatalogues`).
 */
export const consoleSubscriptions = (user: Who, allSectorIds: readonly string[] = [], view: ConsoleView = STEADY_VIEW): PlannedSubscription[] => {
  const scope = queueScope(user);
  const counters = countersFor(user, allSectorIds, view);
  const closed = view.closedShown ? closedSubscription(user) : null;
  return [
    ...(scope ? [{ query: 'tickets.waiting', params: { ...scope, limit: CONSOLE_LIMITS.waiting } } as const] : []),
    { query: 'tickets.mine', params: { limit: CONSOLE_LIMITS.mine } },
    ...(closed ? [closed] : []),
    ...(counters.length > 0 ? [{ query: 'counters', params: { ids: counters } } as const] : []),
    ...LIVE_CATALOGUES.map((query): PlannedSubscription => ({ query, params: {} })),
  ];
};
