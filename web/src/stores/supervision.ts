import type { Counter, Presence, Sector, Ticket, User } from '@atende/core';
import { counterIds } from '@core/tickets.ts';
import { defineStore } from 'pinia';
import { computed, shallowReactive, shallowRef, watch, type WatchStopHandle } from 'vue';
import { backend, type LiveEvent } from '@/backend';
import { useCatalogStore } from './catalog';
import { useTicketsStore } from './tickets';

export type Supervisor = Pick<User, 'id' | 'role' | 'sectorIds'>;

export interface SectorLive {
  /** null: tickets with no sector (admins only). */
  id: string | null;
  sector: Sector | null;
  /** null until the counters have answered: a zero that is not yet known is not shown as zero. */
  waiting: number | null;
  inService: number | null;
  /** When the oldest ticket still waiting entered the queue; null when nobody waits. */
  oldestSince: number | null;
}

export interface AgentLive {
  user: User;
  /** Open tickets assigned to them (counter `tickets.open.assignee.<uid>`). */
  load: number;
}

/** The sectors a supervisor watches: their own; admins every sector, and the tickets with none. */
export const watchedSectors = (me: Supervisor, allSectorIds: readonly string[]): (string | null)[] =>
  me.role === 'admin' ? [...new Set([...allSectorIds, ...me.sectorIds]), null] : [...me.sectorIds];

/** The people whose load the supervisor sees: active staff sharing a watched sector (admins: everyone with a sector). */
export const watchedAgents = (me: Supervisor, users: Iterable<User>, sectors: readonly (string | null)[]): User[] => {
  const set = new Set(sectors);
  const order: Record<Presence, number> = { online: 0, paused: 1, offline: 2 };
  return [...users]
    .filter((u) => u.active && u.role !== 'admin' && u.sectorIds.some((s) => set.has(s)))
    .sort((a, b) => order[a.presence] - order[b.presence] || a.name.localeCompare(b.name, 'pt-BR'));
};

export const supervisionCounterIds = (sectors: readonly (string | null)[], agentIds: readonly string[]): string[] => [
  ...sectors.flatMap((s) => [counterIds.bySector('waiting', s), counterIds.bySector('open', s)]),
  ...agentIds.map((uid) => counterIds.byAssignee('open', uid)),
];

/** The `counters` query takes 30 ids at most (Firestore's `in` limit): one subscription per slice. */
export const slices = <T>(items: readonly T[], size = 30): T[][] => {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
};

/**
 * The oldest waiting ticket of each sector, from the queue already sorted
 * oldest first: stops as soon as every sector has its answer, so 10,000
 * waiting tickets in one busy sector cost one step per other sector's first.
 */
export const oldestWaiting = (oldestFirst: readonly Ticket[], sectors: readonly (string | null)[]): Map<string | null, number> => {
  const want = new Set(sectors);
  const out = new Map<string | null, number>();
  for (const t of oldestFirst) {
    if (out.size === want.size) break;
    if (t.status !== 'waiting' || !want.has(t.sectorId) || out.has(t.sectorId)) continue;
    out.set(t.sectorId, t.queuedAt ?? t.createdAt);
  }
  return out;
};

/**
 * C3: the supervisor's live view. Counts come from the counters kept in
 * every transaction, never from counting rows; the oldest wait per sector
 * from the waiting queue the tickets store already follows.
 */
export const useSupervisionStore = defineStore('supervision', () => {
  const counters = shallowReactive(new Map<string, number>());
  /** Ids whose slice has answered once: a counter absent from an answer is zero. */
  const answered = shallowReactive(new Set<string>());
  /** Per sector, when its oldest waiting ticket entered the queue (null: nobody waits), from a one-row query. */
  const oldest = shallowReactive(new Map<string, number | null>());
  const me = shallowRef<Supervisor | null>(null);
  let stops: (() => void)[] = [];
  let oldestStops: (() => void)[] = [];
  let stopWatch: WatchStopHandle | null = null;

  const sectorIds = computed(() => (me.value ? watchedSectors(me.value, [...useCatalogStore().sectors.keys()]) : []));
  const agentUsers = computed(() => (me.value ? watchedAgents(me.value, useCatalogStore().users.values(), sectorIds.value) : []));
  const value = (id: string) => Math.max(0, counters.get(id) ?? 0);
  const known = (id: string) => (answered.has(id) ? value(id) : null);

  const sectors = computed<SectorLive[]>(() => {
    const catalog = useCatalogStore();
    // The loaded queue answers for tickets with no sector, and until the one-row queries answer.
    const loaded = oldestWaiting(useTicketsStore().waiting, sectorIds.value);
    return sectorIds.value
      .map((id) => ({
        id,
        sector: id ? (catalog.sectors.get(id) ?? null) : null,
        waiting: known(counterIds.bySector('waiting', id)),
        inService: known(counterIds.bySector('open', id)),
        oldestSince: id !== null && oldest.has(id) ? oldest.get(id)! : (loaded.get(id) ?? null),
      }))
      .filter((s) => s.id !== null || (s.waiting ?? 0) > 0 || (s.inService ?? 0) > 0);
  });

  const agents = computed<AgentLive[]>(() => agentUsers.value.map((user) => ({ user, load: value(counterIds.byAssignee('open', user.id)) })));
  const totals = computed(() => sectors.value.reduce((n, s) => ({ waiting: n.waiting + (s.waiting ?? 0), inService: n.inService + (s.inService ?? 0) }), { waiting: 0, inService: 0 }));

  function applyCounters(event: LiveEvent<Counter>, ids: readonly string[]) {
    if (event.type === 'error') return console.warn('[supervision] counters:', event.error.message);
    if (event.type === 'snapshot') {
      // Only this slice's ids: the other slices keep theirs.
      for (const id of ids) {
        counters.delete(id);
        answered.add(id);
      }
      for (const c of event.docs) counters.set(c.id, c.value);
      return;
    }
    for (const { type, doc } of event.changes) {
      if (type === 'removed') counters.delete(doc.id);
      else counters.set(doc.id, doc.value);
    }
  }

  function resubscribe(key: string) {
    for (const s of stops) s();
    stops = [];
    const ids = key ? key.split(' ') : [];
    // Directly on the backend, not through the live table: its `counters` and `tickets.waiting` entries
    // feed the tab counts and the queue, and a second snapshot there would replace them. Sorted ids put the agents'
    // totals first: on Firebase the first slice opens the listener of every sector's counts and the others join it.
    stops = slices(ids).map((slice) => backend().subscribe('counters', { ids: slice }, (e) => applyCounters(e, slice)));
  }

  /**
   * The queue the tickets store holds stops at 10,000 rows: past that, a
   * sector's oldest ticket may not be loaded. One row per sector, oldest
   * first, answers exactly whatever the queue's length.
   */
  function followOldest(key: string) {
    for (const s of oldestStops) s();
    oldest.clear();
    oldestStops = (key ? key.split(' ') : []).map((sectorId) => {
      const docs = new Map<string, Ticket>();
      return backend().subscribe('tickets.waiting', { sectorIds: [sectorId], limit: 1 }, (e) => {
        if (e.type === 'error') return console.warn('[supervision] oldest:', e.error.message);
        if (e.type === 'snapshot') {
          docs.clear();
          for (const t of e.docs) docs.set(t.id, t);
        } else for (const c of e.changes) (c.type === 'removed' ? docs.delete(c.doc.id) : docs.set(c.doc.id, c.doc));
        let min: number | null = null;
        for (const t of docs.values()) if (t.status === 'waiting') min = Math.min(min ?? Infinity, t.queuedAt ?? t.createdAt);
        oldest.set(sectorId, min);
      });
    });
  }

  function start(user: Supervisor) {
    stop();
    me.value = { id: user.id, role: user.role, sectorIds: [...user.sectorIds] };
    stopWatch = watch(
      // Sorted: a change of presence reorders the agents but must not resubscribe.
      () => supervisionCounterIds(sectorIds.value, agentUsers.value.map((u) => u.id)).sort().join(' '),
      resubscribe,
      { immediate: true },
    );
    const stopCounters = stopWatch;
    const stopOldest = watch(() => sectorIds.value.filter((s): s is string => s !== null).join(' '), followOldest, { immediate: true });
    stopWatch = () => {
      stopCounters();
      stopOldest();
    };
  }

  function stop() {
    stopWatch?.();
    stopWatch = null;
    for (const s of [...stops, ...oldestStops]) s();
    stops = [];
    oldestStops = [];
    counters.clear();
    answered.clear();
    oldest.clear();
    me.value = null;
  }

  return { counters, sectors, agents, totals, applyCounters, start, stop };
});
