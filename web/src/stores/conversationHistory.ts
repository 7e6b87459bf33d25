import type { QueryDoc, QueryName, QueryParams, Ticket } from '@atende/core';
import { shallowReactive } from 'vue';
import { backend } from '@/backend';
import { THREAD_PAGE } from '@/live/threadFollow';
import { userMessage } from '@/i18n/errors';
import { useSessionStore } from './session';
import { useTicketsStore } from './tickets';
import { byTime, emptyHistory, newerThanKnown, type History, type Thread, type ThreadRow } from './conversationThread';

/** What is above an open conversation's live page (B7): its older pages, then the contact's earlier tickets. Part of the conversation store. */

/** The live page and every older page of a thread. */
export const PAGE = THREAD_PAGE;

/**
 * One read of a catalogue query: the backend's one-shot read where it has one
 * (Firebase: from the server; a listener's first snapshot may come from the
 * SDK's cache of an earlier listener), else the first snapshot of a listener
 * that is then gone.
 */
const readOnce = <Q extends QueryName>(query: Q, params: QueryParams<Q>): Promise<QueryDoc<Q>[]> => {
  const b = backend();
  return b.load ? b.load(query, params) : firstSnapshot(query, params);
};

const firstSnapshot = <Q extends QueryName>(query: Q, params: QueryParams<Q>): Promise<QueryDoc<Q>[]> =>
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

/** The histories of the open conversations; `threads` is the conversation store's live pages. */
export function useConversationHistories(threads: ReadonlyMap<string, Thread>) {
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
        // A live page shorter than a page is the whole thread (a ticket's copy says so itself).
        const whole = live.startsThread ?? live.messages.length < PAGE;
        const page =
          first && (h.older.length > 0 || !whole)
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

  return { histories, loadOlder, historyRowsOf };
}
