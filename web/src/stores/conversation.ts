import type { Attachment } from '@atende/core';
import { defineStore } from 'pinia';
import { computed, ref, shallowReactive, watch } from 'vue';
import { backend } from '@/backend';
import { subscribeLive } from '@/live/table';
import { followTicket } from '@/live/ticketFollow';
import { useSessionStore } from './session';
import { useTicketsStore } from './tickets';
import { userMessage } from '@/i18n/errors';
import type { OutgoingMessage, Thread } from './conversationThread';
import { useConversationHistories } from './conversationHistory';
import { useLiveThreads } from './conversationLive';
import { useOutgoingMessages } from './conversationOutgoing';

export { upsertMessage, type History, type OutgoingMessage, type Thread, type ThreadRow } from './conversationThread';
export { newClientId } from './conversationOutgoing';

// Four windows on Atendimentos (the workspace store asks before a fifth) and one on History or Supervision.
const MAX_OPEN = 6;

/**
 * The conversations open on screen: their live threads and the messages
 * this agent is sending. A sent message shows at once as pending, keyed by
 * its `clientId`, and gives way to the server's copy carrying that id
 * (conversationOutgoing.ts); the live page comes from the thread's listener
 * or, on Firestore, from the ticket's copy of its newest lines
 * (conversationLive.ts); what is above it is in conversationHistory.ts.
 */
export const useConversationStore = defineStore('conversation', () => {
  const activeId = ref<string | null>(null);
  const openIds = ref<string[]>([]);
  const threads = shallowReactive(new Map<string, Thread>());
  const subscriptions = new Map<string, () => void>();
  const { pending, dropConfirmed, restoreUnsent, send, retry, discard, stop: stopResending } = useOutgoingMessages(threads, openIds);
  const { histories, loadOlder, historyRowsOf } = useConversationHistories(threads);
  const { applyMessages, follow } = useLiveThreads(threads, histories, dropConfirmed);

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
    const stopThread = follow(ticketId);
    const tickets = useTicketsStore();
    // Its own listener only while no live list carries the ticket (web/src/live/ticketFollow.ts).
    const follower = followTicket(() =>
      subscribeLive('ticket', { id: ticketId }, (e) => {
        tickets.applyDoc(ticketId, e);
        // The open conversation's ticket left my view (moved to a sector I am not in): say so instead of showing stale data.
        if (e.type === 'error' || (e.type === 'snapshot' && e.docs.length === 0) || (e.type === 'changes' && e.changes.some((c) => c.type === 'removed')))
          lose(ticketId, e.type === 'error' ? userMessage(e.error) : null);
      }),
    );
    const stopListed = watch(() => tickets.isLive(ticketId), (live) => follower.listed(live), { immediate: true });
    subscriptions.set(ticketId, () => {
      stopThread();
      stopListed();
      follower.stop();
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
    stopResending();
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

  const fileUrl = (ticketId: string, attachmentId: string) => backend().fileUrl(ticketId, attachmentId);

  /** Uploads a file for a message of this ticket; rejects with the server's reason (type by content, size). */
  const upload = (ticketId: string, file: File, onProgress?: (fraction: number) => void): Promise<Attachment> => backend().uploadFile(file, ticketId, onProgress);

  /** Whether picking a quick reply can bring its files along (the backend may not have them). */
  const canCopyQuickReplyFiles = () => typeof backend().copyQuickReplyFile === 'function';
  /** Copies a quick reply's file into this ticket, ready to be sent like an uploaded one. */
  const copyQuickReplyFile = (ticketId: string, quickReplyId: string, attachmentId: string): Promise<Attachment> =>
    backend().copyQuickReplyFile!(ticketId, quickReplyId, attachmentId);

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
