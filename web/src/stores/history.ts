import type { QueryParams, Ticket, User } from '@atende/core';

type HistoryParams = QueryParams<'tickets.history'>;
import { defineStore } from 'pinia';
import { computed, reactive, ref, shallowReactive, shallowRef, watch, type WatchStopHandle } from 'vue';
import type { BackendError, LiveEvent } from '@/backend';
import { subscribeLive } from '@/live/table';

export interface HistoryFilters {
  /** Contact name, phone, e-mail or protocol: matched on the loaded pages (Firestore has no substring search). */
  contact: string;
  sectorId: string | null;
  assigneeId: string | null;
  tagId: string | null;
  classificationId: string | null;
  /** Closed between these local days (YYYY-MM-DD, both inclusive); '' for open-ended. */
  from: string;
  to: string;
}

export const emptyHistoryFilters = (): HistoryFilters => ({ contact: '', sectorId: null, assigneeId: null, tagId: null, classificationId: null, from: '', to: '' });

export type HistoryViewer = Pick<User, 'id' | 'role' | 'sectorIds' | 'seesAllHistory'>;

/** Admins and people with `seesAllHistory` may list every sector's history (DESIGN §5); others their own sectors. */
export const seesAllHistory = (u: HistoryViewer) => u.role === 'admin' || u.seesAllHistory;

/**
 * The equality filters `tickets.history` accepts, one per query (each
 * combination would need its own composite index). In order of preference:
 * an agent or a tag usually narrows more than a classification.
 */
const NARROWING = ['assigneeId', 'tagId', 'classificationId'] as const;

const localDay = (day: string, plusDays = 0): number | undefined => {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!m) return undefined;
  return new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]) + plusDays).getTime();
};

export interface HistoryPlan {
  /** Parameters of `tickets.history` (without `before`/`limit`), or null when there is nothing this person may list. */
  params: HistoryParams | null;
  /** What the server could not filter: applied to the fetched pages. */
  keep: (t: Ticket) => boolean;
  /** Whether `keep` drops anything, so a page may show fewer rows than it fetched. */
  narrowsLocally: boolean;
}

const haystacks = new WeakMap<Ticket, string>();
const haystackOf = (t: Ticket) => {
  let h = haystacks.get(t);
  if (h === undefined) {
    h = [t.contact.name, t.contact.phone ?? '', t.contact.email ?? '', t.protocol].join('\n').toLowerCase();
    haystacks.set(t, h);
  }
  return h;
};

/** Turns the filters on screen into the one query Firestore can run, and the rest into a filter on the page. */
export const planHistoryQuery = (f: HistoryFilters, who: HistoryViewer): HistoryPlan => {
  const nothing: HistoryPlan = { params: null, keep: () => false, narrowsLocally: false };
  const params: HistoryParams = {};
  // Rules are not filters: a person without seesAllHistory must name their sectors in the query itself.
  if (f.sectorId) {
    if (!seesAllHistory(who) && !who.sectorIds.includes(f.sectorId)) return nothing;
    params.sectorIds = [f.sectorId];
  } else if (!seesAllHistory(who)) {
    if (who.sectorIds.length === 0) return nothing;
    params.sectorIds = [...who.sectorIds];
  }
  const from = localDay(f.from);
  const to = localDay(f.to, 1);
  if (from !== undefined) params.closedFrom = from;
  if (to !== undefined) params.closedTo = to;
  const server = NARROWING.find((k) => f[k] !== null);
  if (server) params[server] = f[server] ?? undefined;
  const rest = NARROWING.filter((k) => k !== server && f[k] !== null);
  const q = f.contact.trim().toLowerCase();
  const keep = (t: Ticket) =>
    rest.every((k) => (k === 'tagId' ? t.tagIds.includes(f.tagId!) : t[k] === f[k])) && (!q || haystackOf(t).includes(q));
  return { params, keep, narrowsLocally: rest.length > 0 || q.length > 0 };
};

export interface HistoryFigures {
  count: number;
  byClassification: [string | null, number][];
  bySector: [string | null, number][];
  byChannel: [string, number][];
  /** createdAt → acceptedAt (queuedAt is cleared on close); null when no row was accepted. */
  averageWaitMs: number | null;
  /** acceptedAt → closedAt. */
  averageHandlingMs: number | null;
}

const tally = <K>(rows: Ticket[], key: (t: Ticket) => K): [K, number][] => {
  const m = new Map<K, number>();
  for (const t of rows) m.set(key(t), (m.get(key(t)) ?? 0) + 1);
  return [...m].sort((a, b) => b[1] - a[1]);
};

/** G2: volumes and average times over the rows shown. */
export const historyFigures = (rows: Ticket[]): HistoryFigures => {
  let wait = 0;
  let handling = 0;
  let accepted = 0;
  for (const t of rows) {
    if (t.acceptedAt === null) continue;
    accepted++;
    wait += Math.max(0, t.acceptedAt - t.createdAt);
    handling += Math.max(0, (t.closedAt ?? t.acceptedAt) - t.acceptedAt);
  }
  return {
    count: rows.length,
    byClassification: tally(rows, (t) => t.classificationId),
    bySector: tally(rows, (t) => t.sectorId),
    byChannel: tally(rows, (t) => t.channelId),
    averageWaitMs: accepted ? wait / accepted : null,
    averageHandlingMs: accepted ? handling / accepted : null,
  };
};

export const HISTORY_PAGE = 50;
/** When the page filter hides most rows, fetch on by itself up to this many pages before asking. */
const AUTO_PAGES = 6;

interface Page {
  params: HistoryParams;
  docs: Map<string, Ticket>;
  loaded: boolean;
  stop: () => void;
}

/**
 * G1 Histórico: closed tickets, newest first, page after page. Every page is
 * a live query (`before` = the previous page's oldest closedAt, boundary
 * millisecond included and deduplicated), so a ticket reopened elsewhere
 * leaves the list and a newly closed one enters the first page.
 */
export const useHistoryStore = defineStore('history', () => {
  const filters = reactive<HistoryFilters>(emptyHistoryFilters());
  const pages = shallowReactive<Page[]>([]);
  const version = ref(0);
  const error = shallowRef<BackendError | null>(null);
  const me = shallowRef<HistoryViewer | null>(null);
  let stopWatch: WatchStopHandle | null = null;

  const plan = computed(() => (me.value ? planHistoryQuery(filters, me.value) : null));
  /** The server part of the plan as a string: typing a contact name does not refetch. */
  const serverKey = computed(() => JSON.stringify(plan.value?.params ?? null));

  function applyPage(params: HistoryParams, event: LiveEvent<Ticket>) {
    const page = pages.find((p) => p.params === params);
    if (!page) return;
    if (event.type === 'error') {
      error.value = event.error;
      page.loaded = true;
    } else if (event.type === 'snapshot') {
      page.docs = new Map(event.docs.map((t) => [t.id, t]));
      page.loaded = true;
    } else {
      for (const { type, doc } of event.changes) {
        if (type === 'removed') page.docs.delete(doc.id);
        else page.docs.set(doc.id, doc);
      }
    }
    version.value++;
  }

  function addPage(before?: number) {
    const base = plan.value?.params;
    if (!base) return;
    const params = { ...base, limit: HISTORY_PAGE, ...(before !== undefined && { before }) };
    const page: Page = { params, docs: new Map(), loaded: false, stop: () => undefined };
    pages.push(page);
    page.stop = subscribeLive('tickets.history', params, (e) => applyPage(params, e));
  }

  function clearPages() {
    for (const p of pages) p.stop();
    pages.splice(0);
    error.value = null;
    version.value++;
  }

  function reload() {
    clearPages();
    addPage();
  }

  const loading = computed(() => {
    void version.value;
    return pages.some((p) => !p.loaded);
  });

  const fetched = computed(() => {
    void version.value;
    const all = new Map<string, Ticket>();
    for (const p of pages) for (const [id, t] of p.docs) all.set(id, t);
    return [...all.values()].sort((a, b) => (b.closedAt ?? 0) - (a.closedAt ?? 0) || (a.id < b.id ? 1 : -1));
  });

  const rows = computed(() => {
    const keep = plan.value?.keep;
    if (!keep) return [];
    return plan.value?.narrowsLocally ? fetched.value.filter(keep) : fetched.value;
  });

  const hasMore = computed(() => {
    void version.value;
    const last = pages.at(-1);
    return !!last && last.loaded && !error.value && last.docs.size >= HISTORY_PAGE;
  });

  function loadMore() {
    const last = pages.at(-1);
    if (!last?.loaded || !hasMore.value) return;
    let oldest = Infinity;
    for (const t of last.docs.values()) oldest = Math.min(oldest, t.closedAt ?? Infinity);
    if (oldest === Infinity) return;
    addPage(oldest + 1);
  }

  const figures = computed(() => historyFigures(rows.value));

  function start(user: HistoryViewer) {
    stop();
    me.value = { id: user.id, role: user.role, sectorIds: [...user.sectorIds], seesAllHistory: user.seesAllHistory };
    stopWatch = watch(serverKey, reload, { immediate: true });
    // A contact search over a few matches would show a near-empty page: keep fetching a little on our own.
    const stopFill = watch([rows, loading, hasMore], () => {
      if (plan.value?.narrowsLocally && !loading.value && hasMore.value && rows.value.length < HISTORY_PAGE && pages.length < AUTO_PAGES) loadMore();
    });
    const stopServer = stopWatch;
    stopWatch = () => {
      stopServer();
      stopFill();
    };
  }

  function stop() {
    stopWatch?.();
    stopWatch = null;
    clearPages();
    me.value = null;
  }

  function resetFilters() {
    Object.assign(filters, emptyHistoryFilters());
  }

  return { filters, plan, rows, fetched, figures, loading, hasMore, error, pageCount: computed(() => pages.length), applyPage, start, stop, loadMore, resetFilters };
});
