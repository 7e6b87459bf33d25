import type { QueryName, User } from '@atende/core';
import { counterIds } from '../../../core/src/tickets.ts';

/**
 * What an agent's console keeps live, in one place: the tickets store opens
 * these, and the bench (`bench/firestore.ts`) opens the same for each of its
 * 40 agents to count what a ticket's life costs on Firestore.
 */
export const CONSOLE_LIMITS = {
  /** Esperando: the whole queue, up to the catalogue's ceiling. */
  waiting: 10_000,
  mine: 2000,
  closedPage: 100,
} as const;

export interface PlannedSubscription {
  query: QueryName;
  params: Record<string, unknown>;
}

type Who = Pick<User, 'id' | 'role' | 'sectorIds'>;

/** The counters behind the tab counts: admins see every sector and tickets with no sector; everyone else their own sectors. */
export const counterIdsFor = (user: Who, allSectorIds: readonly string[]) => {
  const sectors: (string | null)[] = user.role === 'admin' ? [...new Set([...allSectorIds, ...user.sectorIds]), null] : [...user.sectorIds];
  return {
    waiting: sectors.map((s) => counterIds.bySector('waiting', s)),
    mine: [counterIds.byAssignee('open', user.id)],
    closed: sectors.map((s) => counterIds.bySector('closed', s)),
  };
};

const sectorScope = (user: Who): Record<string, unknown> | null => (user.role === 'admin' ? {} : user.sectorIds.length > 0 ? { sectorIds: user.sectorIds } : null);

/** The catalogues every console follows (catalog store). */
export const CATALOGUE_QUERIES = ['users.all', 'sectors.all', 'channels.all', 'tags.all', 'classifications.all', 'quickReplies.all', 'settings'] as const;

/** Every live query a signed-in agent's console opens before any conversation is on screen. */
export const consoleSubscriptions = (user: Who, allSectorIds: readonly string[] = []): PlannedSubscription[] => {
  const scope = sectorScope(user);
  const ids = counterIdsFor(user, allSectorIds);
  return [
    ...(scope ? [{ query: 'tickets.waiting', params: { ...scope, limit: CONSOLE_LIMITS.waiting } } as const] : []),
    { query: 'tickets.mine', params: { limit: CONSOLE_LIMITS.mine } },
    ...(scope ? [{ query: 'tickets.closed', params: { ...scope, limit: CONSOLE_LIMITS.closedPage } } as const] : []),
    { query: 'counters', params: { ids: [...new Set([...ids.waiting, ...ids.mine, ...ids.closed])].slice(0, 30) } },
    ...CATALOGUE_QUERIES.map((query): PlannedSubscription => ({ query, params: {} })),
  ];
};
