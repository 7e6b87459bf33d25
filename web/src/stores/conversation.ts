import type { Message, Ticket } from '@atende/core';
import { defineStore } from 'pinia';
import { computed, ref, shallowReactive } from 'vue';
import { backend, BackendError, type LiveEvent } from '@/backend';
import { subscribeLive } from '@/live/table';
import { useSessionStore } from './session';
import { useTicketsStore } from './tickets';

const MAX_OPEN = 4;
const PAGE = 200;

/** A message of this agent's that the server has not confirmed; `failure` says why it did not go. */
export type OutgoingMessage = Message & { failure?: string };

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
      threads.set(ticketId, { ...held, loaded: true, error: event.error.message });
      return;
    }
    let messages: Message[];
    if (event.type === 'snapshot') messages = [...event.docs].sort(byTime);
    else {
      messages = held.messages;
      for (const c of event.changes) messages = c.type === 'removed' ? messages.filter((m) => m.id !== c.doc.id) : upsertMessage(messages, c.doc);
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
    const stopMessages = subscribeLive('messages.ofTicket', { ticketId, limit: PAGE });
    const stopTicket = subscribeLive('ticket', { id: ticketId });
    subscriptions.set(ticketId, () => {
      stopMessages();
      stopTicket();
    });
  }

  function close(ticketId: string) {
    lost.delete(ticketId);
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
    activeId.value = null;
  }

  async function deliver(ticketId: string, message: OutgoingMessage) {
    try {
      const { message: stored } = await backend().run<{ message: Message }>('message.send', { ticketId, text: message.text, clientId: message.clientId });
      const thread = threads.get(ticketId);
      // The live copy, when it came first, is at least as new (it may already say "delivered").
      if (thread && !thread.messages.some((m) => m.id === stored.id)) threads.set(ticketId, { ...thread, messages: upsertMessage(thread.messages, stored) });
      dropConfirmed(ticketId, [stored]);
    } catch (e) {
      const reason = e instanceof BackendError ? e.message : String(e);
      pending.set(
        ticketId,
        (pending.get(ticketId) ?? []).map((m) => (m.clientId === message.clientId ? { ...m, status: 'failed' as const, failure: reason } : m)),
      );
      throw e;
    }
  }

  /** Shows the message at once as pending, then sends it. Rejects with the server's reason. */
  async function send(ticketId: string, text: string) {
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
      attachments: [],
      status: 'pending',
      createdAt: Date.now(),
      channelMessageId: null,
      clientId,
      event: null,
      automated: false,
    };
    pending.set(ticketId, [...(pending.get(ticketId) ?? []), message]);
    await deliver(ticketId, message);
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
  }

  const fileUrl = (ticketId: string, attachmentId: string) => backend().fileUrl(ticketId, attachmentId);

  const active = computed(() => (activeId.value ? (useTicketsStore().byId.get(activeId.value) ?? null) : null));

  return { activeId, openIds, fileUrl, lost, lose, threads, pending, active, threadOf, applyMessages, open, close, reset, send, retry, discard };
});
