import type { Contact, Ticket } from '@atende/core';
import { useLocalStorage, useSessionStorage } from '@vueuse/core';
import { defineStore } from 'pinia';
import { computed, ref, shallowReactive, watch } from 'vue';
import { backend, type LiveEvent } from '@/backend';
import { subscribeLive } from '@/live/table';
import { useConversationStore } from './conversation';
import { useTicketsStore } from './tickets';

export const MAX_WINDOWS = 4;

/** `windows`: a 2×2 grid ("Janelas"); `columns`: side by side ("Colunas"). */
export type WorkspaceLayout = 'windows' | 'columns';

export interface ContactPatch {
  name?: string;
  phone?: string | null;
  email?: string | null;
  notes?: string;
  tagIds?: string[];
}

/**
 * The conversation windows on screen (at most four), their order, which one
 * is active, how they are laid out, and the side panel. A fifth conversation
 * is not opened over another: it waits in `asking` until the agent picks a
 * window to give up. Closing a window never closes the ticket.
 */
export const useWorkspaceStore = defineStore('workspace', () => {
  const conversation = useConversationStore();
  const tickets = useTicketsStore();

  const layout = useLocalStorage<WorkspaceLayout>('atende.workspace.layout', 'windows');
  const sidePanel = useLocalStorage<boolean>('atende.workspace.sidePanel', false);
  /** The queue can step aside so four columns get the whole width. */
  const queueShown = useLocalStorage<boolean>('atende.workspace.queueShown', true);
  // The windows survive a reload of this tab (not a new tab, not a sign-out: those start empty).
  const windows = useSessionStorage<string[]>('atende.workspace.windows', []);
  const activeId = useSessionStorage<string | null>('atende.workspace.active', null);
  /** A ticket waiting for a free window: the agent is being asked which one to close. */
  const asking = ref<string | null>(null);

  function activate(ticketId: string | null) {
    activeId.value = ticketId;
    // The conversation store's notion of "active" follows, for code that still reads it.
    conversation.activeId = ticketId;
  }

  /** Opens (or brings forward) a conversation; returns 'asking' when four are already open. */
  function open(ticketId: string): 'opened' | 'asking' {
    if (windows.value.includes(ticketId)) {
      activate(ticketId);
      return 'opened';
    }
    if (windows.value.length >= MAX_WINDOWS) {
      asking.value = ticketId;
      return 'asking';
    }
    windows.value = [...windows.value, ticketId];
    conversation.open(ticketId);
    activate(ticketId);
    return 'opened';
  }

  /** The agent chose `closeId` to make room: the waiting conversation takes its place. */
  function replace(closeId: string) {
    const next = asking.value;
    asking.value = null;
    if (!next || !windows.value.includes(closeId)) return;
    const at = windows.value.indexOf(closeId);
    conversation.close(closeId);
    const list = windows.value.filter((id) => id !== closeId);
    list.splice(at, 0, next);
    windows.value = list;
    conversation.open(next);
    activate(next);
  }

  function cancelAsking() {
    asking.value = null;
  }

  /** Closes the window (the ticket stays as it is); the neighbour on the left becomes active. */
  function close(ticketId: string) {
    const at = windows.value.indexOf(ticketId);
    if (at < 0) return;
    windows.value = windows.value.filter((id) => id !== ticketId);
    conversation.close(ticketId);
    if (activeId.value === ticketId || !activeId.value) activate(windows.value[Math.max(0, at - 1)] ?? null);
    else conversation.activeId = activeId.value;
  }

  const activeIndex = computed(() => (activeId.value ? windows.value.indexOf(activeId.value) : -1));

  /** 0-based; out of range does nothing. */
  function activateAt(index: number) {
    const id = windows.value[index];
    if (id) activate(id);
  }

  /** Moves to the next (+1) or previous (-1) window, wrapping around. */
  function step(delta: number) {
    const n = windows.value.length;
    if (n === 0) return;
    const from = activeIndex.value < 0 ? 0 : activeIndex.value;
    activateAt((from + delta + n) % n);
  }

  function toggleLayout() {
    layout.value = layout.value === 'windows' ? 'columns' : 'windows';
  }

  // A conversation closed behind the workspace's back (a transfer out of my sectors, a sign-out) leaves
  // its window. Conversations opened elsewhere (History, Supervision) do not become windows.
  watch(
    () => conversation.openIds,
    (ids) => {
      const kept = windows.value.filter((id) => ids.includes(id));
      if (kept.length === windows.value.length) return;
      windows.value = kept;
      if (activeId.value && !kept.includes(activeId.value)) activate(kept[kept.length - 1] ?? null);
    },
  );
  watch(
    () => conversation.activeId,
    (id) => {
      if (id && id !== activeId.value && windows.value.includes(id)) activeId.value = id;
    },
  );

  // Back after a reload: follow the restored conversations again.
  windows.value = windows.value.filter((id, i, all) => typeof id === 'string' && all.indexOf(id) === i).slice(0, MAX_WINDOWS);
  for (const id of windows.value) conversation.open(id);
  activate(activeId.value && windows.value.includes(activeId.value) ? activeId.value : (windows.value[windows.value.length - 1] ?? null));

  const active = computed<Ticket | null>(() => (activeId.value ? (tickets.byId.get(activeId.value) ?? null) : null));

  /** The contact shown in the side panel, kept live (its tags and notes are not on the ticket). */
  const contacts = shallowReactive(new Map<string, Contact>());
  function applyContact(id: string, event: LiveEvent<Contact>) {
    if (event.type === 'error') return contacts.delete(id);
    if (event.type === 'snapshot') {
      const doc = event.docs[0];
      if (doc) contacts.set(id, doc);
      else contacts.delete(id);
      return;
    }
    for (const c of event.changes) {
      if (c.type === 'removed') contacts.delete(id);
      else if ((contacts.get(id)?.updatedAt ?? 0) <= c.doc.updatedAt) contacts.set(id, c.doc);
    }
  }
  function followContact(id: string): () => void {
    const stop = subscribeLive('contact', { id }, (e) => applyContact(id, e));
    return () => {
      stop();
      contacts.delete(id);
    };
  }

  async function updateContact(contactId: string, patch: ContactPatch): Promise<Contact> {
    const { contact } = await backend().run('contact.update', { contactId, ...patch });
    // The open tickets carry a copy of the name: show it at once, before the live update.
    for (const t of tickets.byId.values()) {
      if (t.contactId === contactId && t.status !== 'closed')
        tickets.upsert({ ...t, contact: { name: contact.name, phone: contact.phone, email: contact.email } });
    }
    if ((contacts.get(contactId)?.updatedAt ?? 0) <= contact.updatedAt) contacts.set(contactId, contact);
    return contact;
  }

  async function setTags(ticketId: string, tagIds: string[]): Promise<Ticket> {
    const { ticket } = await backend().run('ticket.setTags', { ticketId, tagIds });
    tickets.upsert(ticket);
    return ticket;
  }

  async function classify(ticketId: string, classificationId: string | null): Promise<Ticket> {
    const { ticket } = await backend().run('ticket.classify', { ticketId, classificationId });
    tickets.upsert(ticket);
    return ticket;
  }

  function reset() {
    for (const id of windows.value) conversation.close(id);
    windows.value = [];
    asking.value = null;
    activate(null);
  }

  return {
    layout,
    sidePanel,
    queueShown,
    windows,
    activeId,
    activeIndex,
    active,
    asking,
    open,
    replace,
    cancelAsking,
    close,
    activate,
    activateAt,
    step,
    toggleLayout,
    contacts,
    applyContact,
    followContact,
    updateContact,
    setTags,
    classify,
    reset,
  };
});
