import type { Attachment, Message, QueryDoc, QueryName, QueryParams, Ticket } from '@atende/core';
import { defineStore } from 'pinia';
import { computed, ref, shallowReactive, watch } from 'vue';
import { backend, type LiveEvent } from '@/backend';
import { subscribeLive } from '@/live/table';
import { useSessionStore } from './session';
import { useTicketsStore } from './tickets';
import { userMessage } from '@/i18n/errors';
import { isUnreachable, loadUnsent, retryDelay, saveUnsent } from './unsent';

// Four windows on Atendimentos (the workspace store asks before a fifth) and one on History or Supervision.
const MAX_OPEN = 6;
const PAGE = 200;

/**
 * A message of this agent's that the server has not confirmed; `failure` says why it did not go;
 * `offline`: the server could not be reached, it goes by itself (in order) when it can be.
 */
export type OutgoingMessage = Message & { failure?: string; offline?: boolean };

export interface Thread {
  messages: Message[];
  loaded: boolean;
  error: string | null;
}

const byTime = (a: Message, b: Message) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** Inserts or replaces one message, keeping the thread in time order; returns a new array. */
export const upsertMessage = (list: readonly Message[], m: Message): Message[] => {
  const out = list.filter((x) => x.id !== m.id);
  let i = out.length;
  while (i > 0 && byTime(out[i - 1]!, m) > 0) i -= 1;
  out.splice(i, 0, m);
  return out;
};

/** A row of the thread: a message, or the divider opening one of the contact's tickets. */
export type ThreadRow = { kind: 'message'; key: string; message: OutgoingMessage } | { kind: 'divider'; key: string; ticket: Ticket; current: boolean };

/** What is above the live page of an open conversation: its older pages, then the contact's earlier tickets (B7). */
export interface History {
  /** Older pages of the open ticket, in time order. */
  older: Message[];
  /** Earlier tickets loaded so far, newest first, each with the part of its thread loaded. */
  earlier: { ticket: Ticket; messages: Message[]; done: boolean }[];
  currentDone: boolean;
  /** The contact's earlier tickets I may read, newest first; null until asked. */
  tickets: Ticket[] | null;
  loading: boolean;
  done: boolean;
  error: string | null;
}

const emptyHistory = (): History => ({ older: [], earlier: [], currentDone: false, tickets: null, loading: false, done: false, error: null });

/**
 * A page asked for "up to and including the oldest time I hold", since
 * several messages may share a millisecond: what I already hold is dropped.
 */
const newerThanKnown = (page: readonly Message[], known: readonly Message[]): Message[] => {
  const ids = new Set(known.map((m) => m.id));
  return page.filter((m) => !ids.has(m.id)).sort(byTime);
};

/** One read of a catalogue query: the first snapshot, then the listener is gone. */
const readOnce = <Q extends QueryName>(query: Q, params: QueryParams<Q>): Promise<QueryDoc<Q>[]> =>
  new Promise<QueryDoc<Q>[]>((resolve, reject) => {
    let stop: (() => void) | null = null;
    let settled = false;
    const finish = () => {
      settled = true;
      // The listener may fire before subscribe() has returned its stop function.
      queueMicrotask(() => stop?.());
    };
    stop = backend().subscribe(query, params, (event) => {
      if (settled) return;
      if (event.type === 'snapshot') {
        finish();
        resolve(event.docs);
      } else if (event.type === 'error') {
        finish();
        reject(event.error);
      }
    });
    if (settled) stop();
  });

export const newClientId = (): string => `c${Date.now().toString(36)}${Math.random().toString(36).slice(2, 10)}`;

/**
 * The conversations open on screen: their live threads and the messages
 * this agent is sending. A sent message shows at once as pending, keyed by
 * its `clientId`, and gives way to the server's copy carrying that id.
 */
export const useConversationStore = defineStore('conversation', () => {
  const activeId = ref<string | null>(null);
  const openIds = ref<string[]>([]);
  const threads = shallowReactive(new Map<string, Thread>());
  const pending = shallowReactive(new Map<string, OutgoingMessage[]>());
  const subscriptions = new Map<string, () => void>();

  function applyMessages(ticketId: string, event: LiveEvent<Message>) {
    const held = threads.get(ticketId) ?? { messages: [], loaded: false, error: null };
    if (event.type === 'error') {
      threads.set(ticketId, { ...held, loaded: true, error: userMessage(event.error) });
      return;
    }
    let messages: Message[];
    if (event.type === 'snapshot') messages = [...event.docs].sort(byTime);
    else {
      messages = held.messages;
      for (const c of event.changes) messages = c.type === 'removed' ? messages.filter((m) => m.id !== c.doc.id) : upsertMessage(messages, c.doc);
      // Messages are never deleted: one leaving the live page slid out of its window as newer ones
      // arrived, so it stays on screen as part of the older history.
      const slid = event.changes.filter((c) => c.type === 'removed').map((c) => c.doc);
      if (slid.length) {
        const h = histories.get(ticketId) ?? emptyHistory();
        let older = h.older;
        for (const m of slid) older = upsertMessage(older, m);
        histories.set(ticketId, { ...h, older });
      }
    }
    threads.set(ticketId, { messages, loaded: true, error: null });
    dropConfirmed(ticketId, messages);
  }

  /** Pending copies whose server copy has arrived are no longer needed. */
  function dropConfirmed(ticketId: string, messages: readonly Message[]) {
    const mine = pending.get(ticketId);
    if (!mine?.length) return;
    const confirmed = new Set(messages.map((m) => m.clientId).filter(Boolean));
    const left = mine.filter((m) => !confirmed.has(m.clientId));
    if (left.length !== mine.length) pending.set(ticketId, left);
  }

  /** The thread as shown: the server's messages, then what is still on its way. */
  const threadOf = (ticketId: string): OutgoingMessage[] => {
    const server = threads.get(ticketId)?.messages ?? [];
    const mine = pending.get(ticketId) ?? [];
    return mine.length ? [...server, ...mine] : server;
  };

  function open(ticketId: string) {
    activeId.value = ticketId;
    if (!openIds.value.includes(ticketId)) openIds.value = [...openIds.value, ticketId];
    while (openIds.value.length > MAX_OPEN) {
      const oldest = openIds.value.find((id) => id !== ticketId);
      if (!oldest) break;
      close(oldest);
    }
    if (subscriptions.has(ticketId)) return;
    restoreUnsent(ticketId);
    const stopMessages = subscribeLive('messages.ofTicket', { ticketId, limit: PAGE }, (e) => applyMessages(ticketId, e));
    const stopTicket = subscribeLive('ticket', { id: ticketId }, (e) => {
      useTicketsStore().applyDoc(ticketId, e);
      // The open conversation's ticket left my view (moved to a sector I am not in): say so instead of showing stale data.
      if (e.type === 'error' || (e.type === 'snapshot' && e.docs.length === 0) || (e.type === 'changes' && e.changes.some((c) => c.type === 'removed')))
        lose(ticketId, e.type === 'error' ? userMessage(e.error) : null);
    });
    subscriptions.set(ticketId, () => {
      stopMessages();
      stopTicket();
    });
  }

  function close(ticketId: string) {
    lost.delete(ticketId);
    histories.delete(ticketId);
    subscriptions.get(ticketId)?.();
    subscriptions.delete(ticketId);
    threads.delete(ticketId);
    openIds.value = openIds.value.filter((id) => id !== ticketId);
    if (activeId.value === ticketId) activeId.value = null;
  }

  /** The ticket can no longer be seen: keep the conversation's place, but show why it is empty. */
  const lost = shallowReactive(new Map<string, string | null>());
  function lose(ticketId: string, reason: string | null) {
    if (subscriptions.has(ticketId)) lost.set(ticketId, reason);
  }

  function reset() {
    for (const id of [...subscriptions.keys()]) close(id);
    pending.clear();
    if (retryTimer) clearTimeout(retryTimer);
    retryTimer = null;
    unlisten?.();
    unlisten = null;
    activeId.value = null;
  }

  // Signing out (or the session ending elsewhere) closes every thread: the session store does not know this one.
  watch(
    () => useSessionStore().user,
    (user) => {
      if (!user) reset();
    },
    { flush: 'sync' },
  );

  // ── Outage: messages that could not reach the server wait, in order, and go by themselves ──
  const me = () => useSessionStore().user?.id ?? null;
  const patch = (ticketId: string, clientId: string | null, change: Partial<OutgoingMessage>) =>
    pending.set(ticketId, (pending.get(ticketId) ?? []).map((m) => (m.clientId === clientId ? { ...m, ...change } : m)));
  /** Keeps the waiting messages in this browser (stores/unsent.ts), so a reload does not lose them. */
  function persistUnsent() {
    const uid = me();
    if (!uid) return;
    const waiting = [...pending.values()].flat().filter((m) => m.offline);
    const elsewhere = loadUnsent(uid).filter((m) => !openIds.value.includes(m.ticketId) && !waiting.some((w) => w.clientId === m.clientId));
    saveUnsent(uid, [...elsewhere, ...waiting.map(({ failure: _f, offline: _o, ...m }) => m)]);
  }
  /** A reloaded console picks up what was waiting for this ticket. */
  function restoreUnsent(ticketId: string) {
    const uid = me();
    if (!uid) return;
    const held = new Set((pending.get(ticketId) ?? []).map((m) => m.clientId));
    const back = loadUnsent(uid).filter((m) => m.ticketId === ticketId && !held.has(m.clientId));
    if (!back.length) return;
    pending.set(ticketId, [...(pending.get(ticketId) ?? []), ...back.map((m) => ({ ...m, status: 'pending' as const, offline: true }))]);
    void flush(ticketId);
  }
  const flushing = new Set<string>();
  let retries = 0;
  let retryTimer: ReturnType<typeof setTimeout> | null = null;
  let unlisten: (() => void) | null = null;
  function flushAll() {
    if (retryTimer) clearTimeout(retryTimer);
    retryTimer = null;
    for (const id of pending.keys()) void flush(id);
  }
  function scheduleRetry() {
    unlisten ??= backend().onConnection((up) => up && flushAll());
    if (retryTimer) return;
    retryTimer = setTimeout(flushAll, retryDelay(retries++));
  }
  /** Sends this ticket's waiting messages one after another, oldest first; stops at the first that still cannot go. */
  async function flush(ticketId: string) {
    if (flushing.has(ticketId)) return;
    flushing.add(ticketId);
    try {
      for (;;) {
        const next = (pending.get(ticketId) ?? []).find((m) => m.offline);
        if (!next) break;
        patch(ticketId, next.clientId, { offline: false });
        if ((await deliver(ticketId, next).then(() => 'sent', (e: unknown) => (isUnreachable(e) ? 'offline' : 'failed'))) === 'offline') break;
      }
    } finally {
      flushing.delete(ticketId);
    }
    if (![...pending.values()].flat().some((m) => m.offline)) retries = 0;
  }

  async function deliver(ticketId: string, message: OutgoingMessage) {
    try {
      const { message: stored } = await backend().run('message.send', {
        ticketId,
        text: message.text,
        attachments: message.attachments,
        clientId: message.clientId,
      });
      const thread = threads.get(ticketId);
      // The live copy, when it came first, is at least as new (it may already say "delivered").
      if (thread && !thread.messages.some((m) => m.id === stored.id)) threads.set(ticketId, { ...thread, messages: upsertMessage(thread.messages, stored) });
      dropConfirmed(ticketId, [stored]);
      if (message.offline !== undefined) persistUnsent();
    } catch (e) {
      if (isUnreachable(e)) {
        // Not refused, just not arrived: it waits (shown as pending) and goes when the server answers.
        patch(ticketId, message.clientId, { status: 'pending', offline: true, failure: undefined });
        persistUnsent();
        scheduleRetry();
        throw e;
      }
      const reason = userMessage(e);
      pending.set(
        ticketId,
        (pending.get(ticketId) ?? []).map((m) => (m.clientId === message.clientId ? { ...m, status: 'failed' as const, failure: reason } : m)),
      );
      throw e;
    }
  }

  /** Shows the message at once as pending, then sends it. Rejects with the server's reason. */
  async function send(ticketId: string, text: string, attachments: Attachment[] = []) {
    const ticket: Ticket | undefined = useTicketsStore().byId.get(ticketId);
    const user = useSessionStore().user;
    const clientId = newClientId();
    const message: OutgoingMessage = {
      id: clientId,
      ticketId,
      contactId: ticket?.contactId ?? '',
      direction: 'out',
      authorId: user?.id ?? null,
      authorName: user?.name ?? null,
      text,
      attachments,
      status: 'pending',
      createdAt: Date.now(),
      channelMessageId: null,
      clientId,
      event: null,
      automated: false,
    };
    const behind = (pending.get(ticketId) ?? []).some((m) => m.offline || (m.status === 'pending' && flushing.has(ticketId)));
    // Behind messages still waiting for the connection: it waits its turn, so the customer reads them in order.
    pending.set(ticketId, [...(pending.get(ticketId) ?? []), behind ? { ...message, offline: true } : message]);
    if (behind) {
      persistUnsent();
      return void flush(ticketId);
    }
    await deliver(ticketId, message).catch((e: unknown) => {
      if (!isUnreachable(e)) throw e;
    });
  }

  /** Sends a failed message again with the same clientId, so the server cannot store it twice. */
  async function retry(ticketId: string, clientId: string) {
    const message = pending.get(ticketId)?.find((m) => m.clientId === clientId);
    if (!message) return;
    pending.set(ticketId, (pending.get(ticketId) ?? []).map((m) => (m.clientId === clientId ? { ...message, status: 'pending' as const, failure: undefined } : m)));
    await deliver(ticketId, message);
  }

  function discard(ticketId: string, clientId: string) {
    pending.set(ticketId, (pending.get(ticketId) ?? []).filter((m) => m.clientId !== clientId));
    persistUnsent();
  }

  const fileUrl = (ticketId: string, attachmentId: string) => backend().fileUrl(ticketId, attachmentId);

  /** Uploads a file for a message of this ticket; rejects with the server's reason (type by content, size). */
  const upload = (ticketId: string, file: File, onProgress?: (fraction: number) => void): Promise<Attachment> => backend().uploadFile(file, ticketId, onProgress);

  /** Whether picking a quick reply can bring its files along (the backend may not have them). */
  const canCopyQuickReplyFiles = () => typeof backend().copyQuickReplyFile === 'function';
  /** Copies a quick reply's file into this ticket, ready to be sent like an uploaded one. */
  const copyQuickReplyFile = (ticketId: string, quickReplyId: string, attachmentId: string): Promise<Attachment> =>
    backend().copyQuickReplyFile!(ticketId, quickReplyId, attachmentId);

  const histories = shallowReactive(new Map<string, History>());

  /** The contact's earlier tickets this user may read: their own sectors, or all for an admin (the catalogue refuses wider lists). */
  async function earlierTickets(current: Ticket): Promise<Ticket[]> {
    const user = useSessionStore().user;
    const base = { contactId: current.contactId, limit: 100 };
    // A ticket still with the bot has no sector: then only the user's own sectors can be named.
    const mine = user?.sectorIds.length ? user.sectorIds : current.sectorId ? [current.sectorId] : [];
    const reads =
      !user || user.role === 'admin'
        ? [readOnce('tickets.ofContact', base)]
        : [
            ...(mine.length ? [readOnce('tickets.ofContact', { ...base, sectorIds: mine })] : []),
            // Whoever sees the whole history also gets the contact's closed tickets of other sectors.
            ...(user.seesAllHistory ? [readOnce('tickets.ofContact', { ...base, closedOnly: true })] : []),
          ];
    const found = new Map((await Promise.all(reads)).flat().map((t) => [t.id, t]));
    return [...found.values()].filter((t) => t.id !== current.id && t.createdAt < current.createdAt).sort((a, b) => b.createdAt - a.createdAt);
  }

  /**
   * Loads one page above what is shown: older messages of the open ticket,
   * then, ticket by ticket, the contact's earlier conversations.
   */
  async function loadOlder(ticketId: string): Promise<void> {
    const h = histories.get(ticketId) ?? emptyHistory();
    if (h.loading || h.done) return;
    const current = useTicketsStore().byId.get(ticketId);
    const live = threads.get(ticketId);
    if (!current || !live?.loaded) return;
    histories.set(ticketId, { ...h, loading: true, error: null });
    const patch = (p: Partial<History>): void => {
      histories.set(ticketId, { ...(histories.get(ticketId) ?? h), ...p, loading: false });
    };
    try {
      if (!h.currentDone) {
        const first = h.older[0] ?? live.messages[0];
        // A live page shorter than a page is the whole thread.
        const page =
          first && (h.older.length > 0 || live.messages.length >= PAGE)
            ? await readOnce('messages.ofTicket', { ticketId, limit: PAGE, before: first.createdAt + 1 })
            : [];
        const held = histories.get(ticketId)?.older ?? h.older;
        const fresh = newerThanKnown(page, [...held, ...live.messages]);
        if (fresh.length > 0) return patch({ older: fresh.concat(held), currentDone: page.length < PAGE });
        // Nothing older in this ticket: go on to the contact's earlier tickets in the same call.
        histories.set(ticketId, { ...(histories.get(ticketId) ?? h), currentDone: true });
      }
      const now = histories.get(ticketId) ?? h;
      const tickets = now.tickets ?? (await earlierTickets(current));
      const last = now.earlier[now.earlier.length - 1];
      if (last && !last.done) {
        const page = await readOnce('messages.ofTicket', { ticketId: last.ticket.id, limit: PAGE, before: (last.messages[0]?.createdAt ?? 0) + 1 });
        const fresh = newerThanKnown(page, last.messages);
        const earlier = [...now.earlier];
        earlier[earlier.length - 1] = { ...last, messages: fresh.concat(last.messages), done: page.length < PAGE || fresh.length === 0 };
        return patch({ tickets, earlier, done: page.length < PAGE && tickets.length === earlier.length });
      }
      const next = tickets[now.earlier.length];
      if (!next) return patch({ tickets, done: true });
      const page = await readOnce('messages.ofTicket', { ticketId: next.id, limit: PAGE });
      const earlier = [...now.earlier, { ticket: next, messages: [...page].sort(byTime), done: page.length < PAGE }];
      patch({ tickets, earlier, done: page.length < PAGE && tickets.length === earlier.length });
    } catch (e) {
      patch({ error: userMessage(e) });
    }
  }

  /** The history above the live page, as rows: earlier tickets (oldest first) each under its divider, then the open ticket's older pages. */
  const historyRowsOf = (ticketId: string): ThreadRow[] => {
    const h = histories.get(ticketId);
    if (!h) return [];
    const rows: ThreadRow[] = [];
    for (const e of [...h.earlier].reverse()) {
      rows.push({ kind: 'divider', key: `divider-${e.ticket.id}`, ticket: e.ticket, current: false });
      for (const m of e.messages) rows.push({ kind: 'message', key: m.id, message: m });
    }
    const current = useTicketsStore().byId.get(ticketId);
    if (h.earlier.length && current) rows.push({ kind: 'divider', key: `divider-${ticketId}`, ticket: current, current: true });
    const liveIds = new Set((threads.get(ticketId)?.messages ?? []).map((m) => m.id));
    for (const m of h.older) if (!liveIds.has(m.id)) rows.push({ kind: 'message', key: m.id, message: m });
    return rows;
  };

  const active = computed(() => (activeId.value ? (useTicketsStore().byId.get(activeId.value) ?? null) : null));

  return {
    activeId,
    openIds,
    fileUrl,
    upload,
    canCopyQuickReplyFiles,
    copyQuickReplyFile,
    lost,
    lose,
    threads,
    pending,
    histories,
    active,
    threadOf,
    historyRowsOf,
    loadOlder,
    applyMessages,
    open,
    close,
    reset,
    send,
    retry,
    discard,
  };
});
