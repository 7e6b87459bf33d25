import { computed, onScopeDispose, triggerRef } from '@vue/reactivity';
import type { Attachment, DocChange, Message, Ticket } from '@atende/core';
import { explainError, MAX_TEXT, type WidgetApi } from './api.ts';
import type { WidgetLive } from './live.ts';
import { t } from './i18n.ts';
import { applyChanges, buildThread, isAwaitingAgent, newClientMessageId, sortByCreation, unconfirmed, type PendingMessage } from './thread.ts';
import { signal } from './signal.ts';

export interface ConversationDeps {
  api: WidgetApi;
  live: WidgetLive;
  token: string;
  newId?: () => string;
  now?: () => number;
}

/**
 * The customer's conversation, live: their tickets (newest first), the
 * messages of each, and what they have sent that the server has not yet
 * echoed back. Must be called inside an effect scope, which stops it.
 */
export const useConversation = ({ api, live, token, newId = newClientMessageId, now = Date.now }: ConversationDeps) => {
  // Shallow refs throughout: every list is replaced, never mutated, so deep proxies would only cost time (and bytes).
  const tickets = signal<Ticket[]>([]);
  // One array per ticket; the map itself is triggered by hand to keep updates cheap.
  const messagesByTicket = signal(new Map<string, Message[]>());
  const pending = signal<PendingMessage[]>([]);
  const connected = signal(true);
  const error = signal<string | null>(null);
  const messageSubscriptions = new Map<string, () => void>();

  const setMessages = (ticketId: string, messages: Message[]) => {
    messagesByTicket.value.set(ticketId, messages);
    triggerRef(messagesByTicket);
    // Drop pending copies now echoed, and free their previews.
    const left = unconfirmed(pending.value, messages);
    if (left.length !== pending.value.length) {
      for (const p of pending.value) if (!left.includes(p) && p.file?.previewUrl) URL.revokeObjectURL(p.file.previewUrl);
      pending.value = left;
    }
  };

  const follow = (list: Ticket[]) => {
    const wanted = new Set(list.map((ticket) => ticket.id));
    for (const [id, stop] of messageSubscriptions)
      if (!wanted.has(id)) {
        stop();
        messageSubscriptions.delete(id);
      }
    for (const ticket of list) {
      if (messageSubscriptions.has(ticket.id)) continue;
      const stop = live.subscribe('customer.messages', { ticketId: ticket.id }, (event) => {
        if (event.type === 'snapshot') setMessages(ticket.id, sortByCreation(event.docs as unknown as Message[]));
        else if (event.type === 'changes')
          setMessages(ticket.id, applyChanges(messagesByTicket.value.get(ticket.id) ?? [], event.changes as unknown as DocChange<Message>[]));
      });
      messageSubscriptions.set(ticket.id, stop);
    }
  };

  const setTickets = (list: Ticket[]) => {
    tickets.value = [...list].sort((a, b) => b.createdAt - a.createdAt);
    follow(tickets.value);
  };

  const stopTickets = live.subscribe('customer.tickets', {}, (event) => {
    if (event.type === 'snapshot') setTickets(event.docs as unknown as Ticket[]);
    else if (event.type === 'changes') setTickets(applyChanges(tickets.value, event.changes as unknown as DocChange<Ticket>[]));
  });
  const stopConnection = live.onConnection((value) => (connected.value = value));

  onScopeDispose(() => {
    stopTickets();
    stopConnection();
    for (const stop of messageSubscriptions.values()) stop();
    messageSubscriptions.clear();
  });

  const current = computed<Ticket | null>(() => tickets.value[0] ?? null);
  const currentMessages = computed(() => (current.value ? (messagesByTicket.value.get(current.value.id) ?? []) : []));
  const thread = computed(() => buildThread(tickets.value, messagesByTicket.value, pending.value));
  const awaitingAgent = computed(() => isAwaitingAgent(current.value, currentMessages.value));

  const update = (clientMessageId: string, patch: Partial<PendingMessage>) => {
    pending.value = pending.value.map((p) => (p.clientMessageId === clientMessageId ? { ...p, ...patch } : p));
  };

  const deliver = async (p: PendingMessage) => {
    update(p.clientMessageId, { state: 'sending' });
    try {
      await api.send(token, { text: p.text, attachments: p.attachments, clientMessageId: p.clientMessageId });
    } catch (e) {
      update(p.clientMessageId, { state: 'failed' });
      const { key, vars } = explainError(e);
      error.value = t(key, vars);
    }
  };

  /** Sends text; returns false (and says why) when it cannot even be tried. */
  const sendText = (text: string): boolean => {
    error.value = null;
    if (!text.trim()) return false;
    if (text.length > MAX_TEXT) {
      error.value = t('errTooLong', { max: MAX_TEXT });
      return false;
    }
    const p: PendingMessage = { clientMessageId: newId(), text, attachments: [], file: null, createdAt: now(), state: 'sending' };
    pending.value = [...pending.value, p];
    void deliver(p);
    return true;
  };

  const sendFile = async (file: File): Promise<void> => {
    error.value = null;
    const previewUrl = file.type.startsWith('image/') && typeof URL.createObjectURL === 'function' ? URL.createObjectURL(file) : null;
    const p: PendingMessage = {
      clientMessageId: newId(),
      text: '',
      attachments: [],
      file: { name: file.name, size: file.size, previewUrl },
      createdAt: now(),
      state: 'sending',
    };
    pending.value = [...pending.value, p];
    let attachment: Attachment;
    try {
      attachment = await api.upload(token, file);
    } catch (e) {
      // A refused file is not worth a retry button: say why and take it away.
      pending.value = pending.value.filter((x) => x.clientMessageId !== p.clientMessageId);
      if (previewUrl) URL.revokeObjectURL(previewUrl);
      const { key, vars } = explainError(e);
      error.value = t(key, vars);
      return;
    }
    const ready = { ...p, attachments: [attachment] };
    update(p.clientMessageId, { attachments: [attachment] });
    await deliver(ready);
  };

  const retry = (clientMessageId: string) => {
    const p = pending.value.find((x) => x.clientMessageId === clientMessageId);
    if (p) {
      error.value = null;
      void deliver(p);
    }
  };

  const dismissError = () => (error.value = null);

  const fileUrl = (ticketId: string, attachmentId: string) => api.fileUrl(token, ticketId, attachmentId);

  return { tickets, current, thread, awaitingAgent, connected, error, pending, sendText, sendFile, retry, dismissError, fileUrl };
};

export type Conversation = ReturnType<typeof useConversation>;
