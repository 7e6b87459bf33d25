import type { CommandInput, CommandName, CommandResult, Ticket, User } from '@atende/core';
import { compareWaiting, type WaitingOrder } from '@core/queue.ts';
import { defineStore } from 'pinia';
import { useLocalStorage } from '@vueuse/core';
import { computed, reactive, ref, shallowReactive, watch, type WatchStopHandle } from 'vue';
import { backend, type LiveEvent } from '@/backend';
import { CONSOLE_LIMITS, closedSubscription, counterIdsFor, countersFor, queueScope, type ConsoleView } from '@/live/consolePlan';
import { firstPageThenAll } from '@/live/firstPage';
import { subscribeLive } from '@/live/table';
import { withCopyHeld } from '@/live/threadFollow';
import { useCatalogStore } from './catalog';
import { useNotificationsStore } from './notifications';
import { useQueueFilter, type QueueFilters, type QueueTab } from './queueFilter';
import { tabCounters } from './tabCounters';

export type { QueueFilters, QueueTab } from './queueFilter';

/** The commands that answer with the ticket they changed (accept, close, transfer, …). */
type TicketCommandName = { [N in CommandName]: CommandResult<N> extends { ticket: Ticket } ? N : never }[CommandName];

/** Every list the store keeps: the three tabs, and the team's tickets in service that supervisors watch. */
export type TicketList = QueueTab | 'team';

export { counterIdsFor };

const { waiting: WAITING_LIMIT, waitingFirstPage: WAITING_FIRST_PAGE, mine: MINE_LIMIT, closedPage: CLOSED_PAGE } = CONSOLE_LIMITS;

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
  const { counters, applyCounters, sum } = tabCounters();
  const me = ref<Pick<User, 'id' | 'role' | 'sectorIds'> | null>(null);
  const tab = ref<QueueTab>('waiting');
  const filters = reactive<QueueFilters>({ text: '', channelId: null, sectorId: null, tagId: null, unanswered: false, slaRisk: false });
  /** The agent's choice of order for Esperando, kept in this browser. */
  const waitingOrder = useLocalStorage<WaitingOrder>('atende.queue.waitingOrder', 'oldest');
  const closedLimit = ref<number>(CLOSED_PAGE);
  let stops: (() => void)[] = [];
  let stopClosed: (() => void) | null = null;
  let stopCounters: (() => void) | null = null;
  let stopWatch: WatchStopHandle | null = null;

  /**
   * Open tickets known only from a command's answer that carried no copy of the thread (`recent`). The functions write
   * the copy in the commit, after the command built its answer, so such a ticket may be starting one in that very
   * commit: the conversation store waits for a listener's copy before choosing how to follow the thread
   * (web/src/live/threadFollow.ts `withCopyHeld`).
   */
  const answerOnly = shallowReactive(new Set<string>());

  /** Keeps the newer copy; returns the copy held before, or undefined when the update was stale. */
  function upsert(t: Ticket): { before: Ticket | null } | undefined {
    const held = byId.get(t.id) ?? null;
    if (held && held.updatedAt > t.updatedAt) return undefined;
    byId.set(t.id, t);
    answerOnly.delete(t.id);
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

  /** The ticket is in one of the live lists held now: they deliver its changes (an open conversation needs no listener of its own). */
  const isLive = (id: string): boolean => members.waiting.has(id) || members.mine.has(id) || members.team.has(id) || members.closed.has(id);

  /** One ticket followed on its own (the conversation open on screen). */
  function applyDoc(id: string, event: LiveEvent<Ticket>) {
    if (event.type === 'snapshot') event.docs.forEach((t) => upsert(t));
    else if (event.type === 'changes') event.changes.forEach((c) => upsert(c.doc));
    else console.warn(`[tickets] ticket ${id}:`, event.error.message);
  }

  /** The limit of the Esperando listener that answered last (its first page, then the whole queue). */
  const waitingLimit = ref<number>(WAITING_LIMIT);
  /** What the screen needs counted beside its lists (web/src/live/consolePlan.ts): counters only for a truncated list or Finalizados on screen. */
  const view = computed<ConsoleView>(() => ({
    waitingTruncated: waitingLimit.value >= WAITING_LIMIT && members.waiting.size >= WAITING_LIMIT,
    mineTruncated: members.mine.size >= MINE_LIMIT,
    closedShown: tab.value === 'closed',
  }));
  const sectorIds = computed(() => [...useCatalogStore().sectors.keys()]);
  const ids = computed(() => (me.value ? counterIdsFor(me.value, sectorIds.value) : { waiting: [], mine: [], closed: [] }));
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

  /**
   * The tab counts: a whole list counts itself; a truncated one (or Finalizados, a page of history) is counted
   * by the counters. Finalizados has no count while its tab is not shown (null). `partial.waiting`: Esperando's
   * first page is full and the whole queue has not arrived yet (the count is at least this).
   */
  const counts = computed(() => ({
    waiting: view.value.waitingTruncated ? Math.max(sum(ids.value.waiting), lists.waiting.value.length) : lists.waiting.value.length,
    mine: view.value.mineTruncated ? Math.max(sum(ids.value.mine), lists.mine.value.length) : lists.mine.value.length,
    closed: view.value.closedShown ? sum(ids.value.closed) : null,
  }));
  const partial = computed(() => ({ waiting: waitingLimit.value < WAITING_LIMIT && members.waiting.size >= waitingLimit.value }));

  const { visible, filtering } = useQueueFilter(filters, tab, (t) => lists[t].value);

  /** Sum of unread customer messages in my tickets: what the tab title shows with the waiting count. */
  const unreadMine = computed(() => lists.mine.value.reduce((n, t) => n + t.unread, 0));

  function subscribeClosed() {
    stopClosed?.();
    stopClosed = null;
    const plan = me.value && tab.value === 'closed' ? closedSubscription(me.value, closedLimit.value) : null;
    if (plan) stopClosed = subscribeLive('tickets.closed', plan.params as { limit: number }, (e) => applyList('closed', e));
    else {
      // Off screen, Finalizados is not followed: it is read again when shown.
      members.closed.clear();
      loaded.closed = false;
    }
  }

  function start(user: Pick<User, 'id' | 'role' | 'sectorIds'>) {
    stop();
    me.value = { id: user.id, role: user.role, sectorIds: [...user.sectorIds] };
    // The whole queue, up to the catalogue's ceiling: search and filters run over what is loaded. Its first page comes
    // first, so the first cards do not wait for a 10,000-ticket snapshot.
    const waitingScope = queueScope(user);
    if (waitingScope) {
      let limitOfEvent: number = WAITING_FIRST_PAGE;
      const open = (limit: number, handler: (e: LiveEvent<Ticket>) => void) =>
        subscribeLive('tickets.waiting', { ...waitingScope, limit }, (e) => {
          limitOfEvent = limit;
          handler(e);
        });
      stops.push(
        firstPageThenAll<Ticket>(open, WAITING_FIRST_PAGE, WAITING_LIMIT, (e) => {
          waitingLimit.value = limitOfEvent;
          applyList('waiting', e);
        }),
      );
    } else loaded.waiting = true;
    stops.push(subscribeLive('tickets.mine', { limit: MINE_LIMIT }, (e) => applyList('mine', e)));
    stops.push(watch(() => tab.value === 'closed', subscribeClosed, { immediate: true }));
    stopWatch = watch(
      // A string, so an unchanged set of ids does not resubscribe.
      () => (me.value ? countersFor(me.value, sectorIds.value, view.value).join(' ') : ''),
      (all) => {
        stopCounters?.();
        counters.clear();
        stopCounters = all ? subscribeLive('counters', { ids: all.split(' ') }, applyCounters) : null;
      },
      { immediate: true },
    );
  }

  /** Runs a ticket command and takes the ticket it returns at once, before the live update arrives. */
  async function command<N extends TicketCommandName>(name: N, input: CommandInput<N>): Promise<Ticket> {
    const answer = (await backend().run(name, input)) as { ticket: Ticket };
    const { ticket, known } = withCopyHeld(answer.ticket, byId.get(answer.ticket.id));
    if (upsert(ticket) && !known) answerOnly.add(ticket.id);
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
    const scope = queueScope(user);
    const stopTeam = scope ? subscribeLive('tickets.open', { ...scope, limit: WAITING_LIMIT }, (e) => applyList('team', e)) : () => undefined;
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
    answerOnly.clear();
    for (const s of Object.values(members)) s.clear();
    Object.assign(loaded, { waiting: false, mine: false, closed: false, team: false });
    counters.clear();
    closedLimit.value = CLOSED_PAGE;
    waitingLimit.value = WAITING_LIMIT;
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
    partial,
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
    isLive,
    answerOnly,
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
