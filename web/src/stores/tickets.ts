import type { CommandInput, CommandName, CommandResult, Counter, Ticket, User } from '@atende/core';
import { counterIds } from '@core/tickets.ts';
import { compareWaiting, isUnanswered, type WaitingOrder } from '@core/queue.ts';
import { slaAtRisk } from '@core/reports/sla.ts';
import { defineStore } from 'pinia';
import { refDebounced, useLocalStorage } from '@vueuse/core';
import { computed, reactive, ref, shallowReactive, toRef, watch, type WatchStopHandle } from 'vue';
import { backend, type LiveEvent } from '@/backend';
import { firstPageThenAll } from '@/live/firstPage';
import { subscribeLive } from '@/live/table';
import { useCatalogStore } from './catalog';
import { useNotificationsStore } from './notifications';

/** The commands that answer with the ticket they changed (accept, close, transfer, …). */
type TicketCommandName = { [N in CommandName]: CommandResult<N> extends { ticket: Ticket } ? N : never }[CommandName];

export type QueueTab = 'waiting' | 'mine' | 'closed';
/** Every list the store keeps: the three tabs, and the team's tickets in service that supervisors watch. */
export type TicketList = QueueTab | 'team';

export interface QueueFilters {
  text: string;
  channelId: string | null;
  sectorId: string | null;
  tagId: string | null;
  /** "Não respondidos": only tickets whose last message is the customer's (core's isUnanswered). */
  unanswered: boolean;
  /** "SLA em risco": a running service-level target in its last quarter or missed (core's slaAtRisk). */
  slaRisk: boolean;
}

/** The counter ids behind the three tab counts, for this user and the sectors that exist. */
export const counterIdsFor = (user: Pick<User, 'id' | 'role' | 'sectorIds'>, allSectorIds: readonly string[]) => {
  // Admins see every sector and tickets with no sector; everyone else their own sectors.
  const sectors: (string | null)[] = user.role === 'admin' ? [...new Set([...allSectorIds, ...user.sectorIds]), null] : [...user.sectorIds];
  return {
    waiting: sectors.map((s) => counterIds.bySector('waiting', s)),
    mine: [counterIds.byAssignee('open', user.id)],
    closed: sectors.map((s) => counterIds.bySector('closed', s)),
  };
};

const CLOSED_PAGE = 100;
const WAITING_LIMIT = 10_000;
/** What Esperando shows before the whole queue has arrived (a tall screen holds about 15 cards). */
const WAITING_FIRST_PAGE = 50;
const MINE_LIMIT = 2000;

/**
 * Every ticket the console knows, keyed by id, and which live list each
 * belongs to. Updates are upserts; an update older than the copy held
 * (by `updatedAt`) is dropped, so lists that deliver out of order agree.
 */
export const useTicketsStore = defineStore('tickets', () => {
  const byId = shallowReactive(new Map<string, Ticket>());
  const members = {
    waiting: shallowReactive(new Set<string>()),
    mine: shallowReactive(new Set<string>()),
    closed: shallowReactive(new Set<string>()),
    team: shallowReactive(new Set<string>()),
  };
  const loaded = reactive({ waiting: false, mine: false, closed: false, team: false });
  const counters = shallowReactive(new Map<string, number>());
  const me = ref<Pick<User, 'id' | 'role' | 'sectorIds'> | null>(null);
  const tab = ref<QueueTab>('waiting');
  const filters = reactive<QueueFilters>({ text: '', channelId: null, sectorId: null, tagId: null, unanswered: false, slaRisk: false });
  /** The time "SLA em risco" is judged at: ticks only while that filter is on. */
  const slaNow = ref(Date.now());
  let slaTimer: ReturnType<typeof setInterval> | null = null;
  watch(
    () => filters.slaRisk,
    (on) => {
      if (slaTimer) clearInterval(slaTimer);
      slaTimer = null;
      slaNow.value = Date.now();
      if (on) slaTimer = setInterval(() => (slaNow.value = Date.now()), 15_000);
    },
  );
  /** The agent's choice of order for Esperando, kept in this browser. */
  const waitingOrder = useLocalStorage<WaitingOrder>('atende.queue.waitingOrder', 'oldest');
  const closedLimit = ref(CLOSED_PAGE);
  let stops: (() => void)[] = [];
  let stopClosed: (() => void) | null = null;
  let stopCounters: (() => void) | null = null;
  let stopWatch: WatchStopHandle | null = null;

  /** Keeps the newer copy; returns the copy held before, or undefined when the update was stale. */
  function upsert(t: Ticket): { before: Ticket | null } | undefined {
    const held = byId.get(t.id) ?? null;
    if (held && held.updatedAt > t.updatedAt) return undefined;
    byId.set(t.id, t);
    return { before: held };
  }

  function applyList(list: TicketList, event: LiveEvent<Ticket>) {
    const set = members[list];
    if (event.type === 'error') {
      console.warn(`[tickets] ${list}:`, event.error.message);
      return;
    }
    if (event.type === 'snapshot') {
      set.clear();
      for (const t of event.docs) {
        upsert(t);
        set.add(t.id);
      }
      loaded[list] = true;
      return;
    }
    const notifications = useNotificationsStore();
    for (const { type, doc } of event.changes) {
      if (type === 'removed') {
        set.delete(doc.id);
        upsert(doc);
        continue;
      }
      const wasMember = set.has(doc.id);
      const result = upsert(doc);
      set.add(doc.id);
      if (!result) continue;
      if (list === 'waiting' && type === 'added' && !wasMember && doc.status === 'waiting') notifications.newTicket(doc);
      const before = result.before;
      if (list === 'mine' && doc.lastCustomerMessageAt !== null && before && (before.lastCustomerMessageAt ?? 0) < doc.lastCustomerMessageAt) {
        notifications.newMessage(doc);
      }
    }
  }

  /** One ticket followed on its own (the conversation open on screen). */
  function applyDoc(id: string, event: LiveEvent<Ticket>) {
    if (event.type === 'snapshot') event.docs.forEach((t) => upsert(t));
    else if (event.type === 'changes') event.changes.forEach((c) => upsert(c.doc));
    else console.warn(`[tickets] ticket ${id}:`, event.error.message);
  }

  function applyCounters(event: LiveEvent<Counter>) {
    if (event.type === 'error') return console.warn('[tickets] counters:', event.error.message);
    if (event.type === 'snapshot') {
      counters.clear();
      for (const c of event.docs) counters.set(c.id, c.value);
      return;
    }
    for (const { type, doc } of event.changes) {
      if (type === 'removed') counters.delete(doc.id);
      else counters.set(doc.id, doc.value);
    }
  }

  const sum = (ids: string[]) => ids.reduce((n, id) => n + Math.max(0, counters.get(id) ?? 0), 0);

  const ids = computed(() => (me.value ? counterIdsFor(me.value, [...useCatalogStore().sectors.keys()]) : { waiting: [], mine: [], closed: [] }));
  const counts = computed(() => ({ waiting: sum(ids.value.waiting), mine: sum(ids.value.mine), closed: sum(ids.value.closed) }));

  const listOf = (list: TicketList, keep: (t: Ticket) => boolean, order: (a: Ticket, b: Ticket) => number) =>
    computed(() => {
      const out: Ticket[] = [];
      for (const id of members[list]) {
        const t = byId.get(id);
        if (t && keep(t)) out.push(t);
      }
      return out.sort(order);
    });

  const lists = {
    waiting: listOf('waiting', (t) => t.status === 'waiting', (a, b) => compareWaiting(waitingOrder.value === 'newest' ? 'newest' : 'oldest')(a, b)),
    mine: listOf('mine', (t) => t.status === 'open' && t.assigneeId === me.value?.id, (a, b) => b.lastMessageAt - a.lastMessageAt || (a.id < b.id ? -1 : 1)),
    closed: listOf('closed', (t) => t.status === 'closed', (a, b) => (b.closedAt ?? 0) - (a.closedAt ?? 0)),
    // Longest without an answer first: what a supervisor looks at.
    team: listOf('team', (t) => t.status === 'open', (a, b) => (a.lastCustomerMessageAt ?? a.lastMessageAt) - (b.lastCustomerMessageAt ?? b.lastMessageAt)),
  };

  // Typing filters thousands of tickets: wait for a pause, and lower-case each ticket once per version.
  const query = refDebounced(toRef(filters, 'text'), 120);
  const haystacks = new WeakMap<Ticket, string>();
  const haystackOf = (t: Ticket) => {
    let h = haystacks.get(t);
    if (h === undefined) {
      h = [t.contact.name, t.contact.phone ?? '', t.contact.email ?? '', t.protocol, t.lastMessage?.text ?? ''].join('\n').toLowerCase();
      haystacks.set(t, h);
    }
    return h;
  };

  const visible = computed(() => {
    const { channelId, sectorId, tagId } = filters;
    const unanswered = filters.unanswered && tab.value !== 'closed';
    const slaRisk = filters.slaRisk && tab.value !== 'closed';
    const q = query.value.trim().toLowerCase();
    const all = lists[tab.value].value;
    if (!q && !channelId && !sectorId && !tagId && !unanswered && !slaRisk) return all;
    const at = slaRisk ? slaNow.value : 0;
    return all.filter(
      (t) =>
        (!unanswered || isUnanswered(t)) &&
        (!slaRisk || slaAtRisk(t, at)) &&
        (!channelId || t.channelId === channelId) &&
        (!sectorId || t.sectorId === sectorId) &&
        (!tagId || t.tagIds.includes(tagId)) &&
        (!q || haystackOf(t).includes(q)),
    );
  });
  const filtering = computed(() => Boolean(filters.text.trim() || filters.channelId || filters.sectorId || filters.tagId || ((filters.unanswered || filters.slaRisk) && tab.value !== 'closed')));

  /** Sum of unread customer messages in my tickets: what the tab title shows with the waiting count. */
  const unreadMine = computed(() => lists.mine.value.reduce((n, t) => n + t.unread, 0));

  function subscribeClosed() {
    stopClosed?.();
    const user = me.value;
    if (!user) return;
    const params: Record<string, unknown> = { limit: closedLimit.value };
    if (user.role !== 'admin') params.sectorIds = user.sectorIds;
    stopClosed = user.role === 'admin' || user.sectorIds.length > 0 ? subscribeLive('tickets.closed', params, (e) => applyList('closed', e)) : null;
  }

  function start(user: Pick<User, 'id' | 'role' | 'sectorIds'>) {
    stop();
    me.value = { id: user.id, role: user.role, sectorIds: [...user.sectorIds] };
    // The whole queue, up to the catalogue's ceiling: search and filters run over what is loaded. Its first page comes
    // first, so the first cards do not wait for a 10,000-ticket snapshot.
    const waitingScope = user.role === 'admin' ? {} : user.sectorIds.length > 0 ? { sectorIds: user.sectorIds } : null;
    if (waitingScope)
      stops.push(firstPageThenAll<Ticket>((limit, handler) => subscribeLive('tickets.waiting', { ...waitingScope, limit }, handler), WAITING_FIRST_PAGE, WAITING_LIMIT, (e) => applyList('waiting', e)));
    else loaded.waiting = true;
    stops.push(subscribeLive('tickets.mine', { limit: MINE_LIMIT }, (e) => applyList('mine', e)));
    subscribeClosed();
    stopWatch = watch(
      // A string, so an unchanged set of ids does not resubscribe.
      () => [...new Set([...ids.value.waiting, ...ids.value.mine, ...ids.value.closed])].join(' '),
      (all) => {
        stopCounters?.();
        // The catalogue query takes at most 30 ids (Firestore's `in` limit).
        const unique = all ? all.split(' ').slice(0, 30) : [];
        stopCounters = unique.length ? subscribeLive('counters', { ids: unique }, applyCounters) : null;
      },
      { immediate: true },
    );
  }

  /** Runs a ticket command and takes the ticket it returns at once, before the live update arrives. */
  async function command<N extends TicketCommandName>(name: N, input: CommandInput<N>): Promise<Ticket> {
    const { ticket } = (await backend().run(name, input)) as { ticket: Ticket };
    upsert(ticket);
    if (ticket.status === 'open' && ticket.assigneeId === me.value?.id) members.mine.add(ticket.id);
    return ticket;
  }

  const accept = (ticketId: string) => command('ticket.accept', { ticketId });
  const close = (ticketId: string, classificationId: string | null) => command('ticket.close', { ticketId, classificationId });
  const reopen = (ticketId: string) => command('ticket.reopen', { ticketId });
  const returnToQueue = (ticketId: string) => command('ticket.returnToQueue', { ticketId });
  const transfer = (ticketId: string, target: { sectorId?: string; assigneeId?: string; channelId?: string }) => command('ticket.transfer', { ticketId, ...target });
  const markRead = (ticketId: string) => command('ticket.markRead', { ticketId });

  /**
   * C2: the tickets in service in my sectors (every sector for admins), for
   * supervisors to transfer, return or close. Followed only while a screen
   * needs it; returns the stop.
   */
  function followTeam(): () => void {
    const user = me.value;
    if (!user) return () => undefined;
    const stopTeam =
      user.role === 'admin'
        ? subscribeLive('tickets.open', { limit: WAITING_LIMIT }, (e) => applyList('team', e))
        : user.sectorIds.length > 0
          ? subscribeLive('tickets.open', { sectorIds: user.sectorIds, limit: WAITING_LIMIT }, (e) => applyList('team', e))
          : () => undefined;
    return () => {
      stopTeam();
      members.team.clear();
      loaded.team = false;
    };
  }

  function loadMoreClosed() {
    if (closedLimit.value >= 500) return;
    closedLimit.value = Math.min(500, closedLimit.value + CLOSED_PAGE);
    subscribeClosed();
  }

  function stop() {
    for (const s of stops) s();
    stops = [];
    stopClosed?.();
    stopCounters?.();
    stopWatch?.();
    stopClosed = stopCounters = stopWatch = null;
    byId.clear();
    for (const s of Object.values(members)) s.clear();
    Object.assign(loaded, { waiting: false, mine: false, closed: false, team: false });
    counters.clear();
    closedLimit.value = CLOSED_PAGE;
    me.value = null;
  }

  return {
    byId,
    counters,
    loaded,
    tab,
    filters,
    waitingOrder,
    closedLimit,
    counts,
    waiting: lists.waiting,
    mine: lists.mine,
    closed: lists.closed,
    team: lists.team,
    followTeam,
    visible,
    filtering,
    unreadMine,
    upsert,
    applyList,
    applyDoc,
    applyCounters,
    start,
    stop,
    loadMoreClosed,
    accept,
    close,
    reopen,
    returnToQueue,
    transfer,
    markRead,
  };
});
