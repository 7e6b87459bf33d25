import type { Message } from '@atende/core';
import { watch } from 'vue';
import { backend, type LiveEvent } from '@/backend';
import { subscribeLive } from '@/live/table';
import { followThread, type ThreadSubscription } from '@/live/threadFollow';
import { userMessage } from '@/i18n/errors';
import { useTicketsStore } from './tickets';
import { byTime, emptyHistory, upsertMessage, type History, type Thread } from './conversationThread';
import { isRevised, leftPage, pageOfCopy, withRevised } from './conversationCopy';

/**
 * The live pages of the open conversations (part of the conversation store):
 * from the thread's own listener, or on Firestore from the ticket's copy of
 * its newest lines with the revised ones over it (web/src/live/threadFollow.ts
 * chooses). A line that leaves the live page stays on screen as part of the
 * older history (conversationHistory.ts).
 */
export function useLiveThreads(
  threads: Map<string, Thread>,
  histories: Map<string, History>,
  dropConfirmed: (ticketId: string, messages: readonly Message[]) => void,
) {
  /** Messages are never deleted: one leaving the live page slid out of its window as newer ones arrived. */
  function slideToHistory(ticketId: string, slid: readonly Message[]) {
    const h = histories.get(ticketId) ?? emptyHistory();
    let older = h.older;
    for (const m of slid) older = upsertMessage(older, m);
    histories.set(ticketId, { ...h, older });
  }

  function show(ticketId: string, messages: Message[], rest: Omit<Thread, 'messages'>) {
    const slid = leftPage(threads.get(ticketId)?.messages ?? [], messages);
    if (slid.length) slideToHistory(ticketId, slid);
    threads.set(ticketId, { messages, ...rest });
    dropConfirmed(ticketId, messages);
  }

  /** An event of the thread's own listener (`messages.ofTicket`, the live page of a ticket without a copy). */
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
    }
    show(ticketId, messages, { loaded: true, error: null });
  }

  /** Follows the thread of an open conversation; returns the stop. */
  function follow(ticketId: string): () => void {
    const tickets = useTicketsStore();
    /** The revised documents heard (kept when they leave the revised listener's window: they are still the newest copies). */
    const revised = new Map<string, Message>();
    /** The lines created after a closed ticket dropped its copy. */
    let tail: Message[] = [];
    let error: string | null = null;

    const compose = () => {
      const plan = thread.plan;
      if (plan.source !== 'copy' && plan.source !== 'closed') return;
      const page = pageOfCopy(plan.copy, revised, tail, threads.get(ticketId)?.messages ?? []);
      show(ticketId, page, { loaded: true, error, startsThread: plan.copy.older === null });
    };

    const heard = (s: ThreadSubscription, event: LiveEvent<Message>) => {
      if (!thread.current(s)) return;
      if (s.query === 'messages.ofTicket' && thread.plan.source === 'thread') return applyMessages(ticketId, event);
      if (event.type === 'error') error = userMessage(event.error);
      else if (s.query === 'messages.ofTicket') {
        if (event.type === 'snapshot') tail = [...event.docs];
        else for (const c of event.changes) if (c.type !== 'removed') tail = upsertMessage(tail, c.doc);
      } else {
        const docs = event.type === 'snapshot' ? event.docs : event.changes.filter((c) => c.type !== 'removed').map((c) => c.doc);
        for (const m of docs) revised.set(m.id, m);
        const h = histories.get(ticketId);
        if (h && h.older.length) histories.set(ticketId, { ...h, older: withRevised(h.older, revised) });
      }
      compose();
    };

    const thread = followThread(
      ticketId,
      backend().kind === 'firebase',
      (s) => subscribeLive(s.query, s.params as never, (e) => heard(s, e as LiveEvent<Message>)),
      (plan, was) => {
        if (plan.source === 'copy' || plan.source === 'closed') {
          // The thread's own page knew which of its lines were revised: they stay right until the revised listener answers.
          if (was.source === 'thread') for (const m of threads.get(ticketId)?.messages ?? []) if (isRevised(m)) revised.set(m.id, m);
          if (plan.source === 'copy') tail = [];
          compose();
        }
      },
    );
    // An open ticket known only from a command's answer without a copy may be starting one: wait for a listener to choose.
    const stopWatch = watch(() => (tickets.answerOnly.has(ticketId) ? undefined : tickets.byId.get(ticketId)), (t) => thread.ticket(t), { immediate: true });
    return () => {
      stopWatch();
      thread.stop();
    };
  }

  return { applyMessages, follow };
}
