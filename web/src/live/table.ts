import { backend, type LiveEvent } from '@/backend';
import { useCatalogStore } from '@/stores/catalog';
import { useConversationStore } from '@/stores/conversation';
import { useHistoryStore } from '@/stores/history';
import { useTicketsStore } from '@/stores/tickets';
import { useWorkspaceStore } from '@/stores/workspace';

type Params = Record<string, unknown>;
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each handler knows its own document type
type Handler = (event: LiveEvent<any>, params: Params) => void;

/**
 * The one place where live query results turn into store actions (like
 * Chatwoot's actionCable table). Stores subscribe through `subscribeLive`;
 * nothing else listens to the socket.
 */
export const liveTable = {
  'tickets.waiting': (e) => useTicketsStore().applyList('waiting', e),
  'tickets.mine': (e) => useTicketsStore().applyList('mine', e),
  'tickets.closed': (e) => useTicketsStore().applyList('closed', e),
  'tickets.open': (e) => useTicketsStore().applyList('team', e),
  'tickets.history': (e, p) => useHistoryStore().applyPage(p, e),
  ticket: (e, p) => {
    useTicketsStore().applyDoc(String(p.id), e);
    // The open conversation's ticket left my view (moved to a sector I am not in): say so instead of showing stale data.
    if (e.type === 'error' || (e.type === 'snapshot' && e.docs.length === 0) || (e.type === 'changes' && e.changes.some((c: { type: string }) => c.type === 'removed')))
      useConversationStore().lose(String(p.id), e.type === 'error' ? e.error.message : null);
  },
  counters: (e) => useTicketsStore().applyCounters(e),
  contact: (e, p) => useWorkspaceStore().applyContact(String(p.id), e),
  'messages.ofTicket': (e, p) => useConversationStore().applyMessages(String(p.ticketId), e),
  'users.all': (e) => useCatalogStore().apply('users', e),
  'sectors.all': (e) => useCatalogStore().apply('sectors', e),
  'channels.all': (e) => useCatalogStore().apply('channels', e),
  'tags.all': (e) => useCatalogStore().apply('tags', e),
  'classifications.all': (e) => useCatalogStore().apply('classifications', e),
  'quickReplies.all': (e) => useCatalogStore().apply('quickReplies', e),
  settings: (e) => useCatalogStore().applySettings(e),
} satisfies Record<string, Handler>;

export type LiveQuery = keyof typeof liveTable;

export const subscribeLive = (query: LiveQuery, params: Params = {}): (() => void) => {
  const handler: Handler = liveTable[query];
  return backend().subscribe(query, params, (event) => handler(event, params));
};
