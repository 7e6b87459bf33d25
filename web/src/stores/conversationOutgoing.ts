import type { Attachment, Message, Ticket } from '@atende/core';
import { shallowReactive, type Ref } from 'vue';
import { backend } from '@/backend';
import { userMessage } from '@/i18n/errors';
import { useSessionStore } from './session';
import { useTicketsStore } from './tickets';
import { isUnreachable, loadUnsent, retryDelay, saveUnsent } from './unsent';
import { upsertMessage, type OutgoingMessage, type Thread } from './conversationThread';

export const newClientId = (): string => `c${Date.now().toString(36)}${Math.random().toString(36).slice(2, 10)}`;

/**
 * The messages this agent is sending, part of the conversation store: shown at once as pending, keyed by
 * their `clientId`, until the server's copy arrives; while the server cannot be reached they wait, in order,
 * in this browser (stores/unsent.ts) and go by themselves.
 */
export function useOutgoingMessages(threads: Map<string, Thread>, openIds: Ref<string[]>) {
  const pending = shallowReactive(new Map<string, OutgoingMessage[]>());

  /** Pending copies whose server copy has arrived are no longer needed. */
  function dropConfirmed(ticketId: string, messages: readonly Message[]) {
    const mine = pending.get(ticketId);
    if (!mine?.length) return;
    const confirmed = new Set(messages.map((m) => m.clientId).filter(Boolean));
    const left = mine.filter((m) => !confirmed.has(m.clientId));
    if (left.length !== mine.length) pending.set(ticketId, left);
  }

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

  /** Stops waiting to resend (signing out). */
  function stop() {
    if (retryTimer) clearTimeout(retryTimer);
    retryTimer = null;
    unlisten?.();
    unlisten = null;
  }

  return { pending, dropConfirmed, restoreUnsent, send, retry, discard, stop };
}
