import type { Message, Ticket } from '@atende/core';

/**
 * What an open conversation's thread listens to, in one place: the
 * conversation store (web/src/stores/conversation.ts) and the Firestore bench
 * (bench/firestore.ts) both follow threads this way.
 *
 * On Firestore the functions keep a copy of a thread's newest lines on its
 * ticket (`Ticket.recent`, core/src/store/threadLayout.ts), and the console
 * already hears every change of the ticket it serves (Em atendimento, or the
 * conversation's own ticket listener, ./ticketFollow.ts). So a ticket with a
 * copy costs its thread no listener read but for the lines changed after they
 * were created (`messages.revisedOfTicket`: reply outcomes, statuses,
 * reactions, edits). A ticket without one — every ticket of the embedded
 * server, one stored before the copy existed — is followed through
 * `messages.ofTicket` as it always was (on Firebase that query merges the
 * ticket's copy too: web/src/backend/firebaseThread.ts). A closed ticket keeps
 * its copy (core/src/store/threadLayout.ts: lines may live there alone). A
 * ticket closed before then lost it: the thread keeps the lines it holds and
 * hears only what came after its newest one (`messages.ofTicket` with `after`).
 */

/** The ticket's copy of its newest lines: every line newer than `older` is in `lines` (null: `lines` is the whole thread). */
export interface ThreadCopy {
  lines: Message[];
  older: number | null;
}

/** A ticket as the thread looks at it (the embedded server's never carry a copy; a closed one stores null). */
export type CopyCarrier = Pick<Ticket, 'status'> & { recent?: ThreadCopy | null | undefined };

export type ThreadPlan =
  /** The ticket is not known yet: nothing is chosen (a wrong guess would cost a whole first page). */
  | { source: 'wait' }
  /** The thread's live page from `messages.ofTicket`. */
  | { source: 'thread' }
  /** The ticket's copy, with the revised lines over it. */
  | { source: 'copy'; copy: ThreadCopy }
  /** The copy last held before the ticket dropped it (closed), the revised lines, and the lines created after `after`. */
  | { source: 'closed'; copy: ThreadCopy; after: number | null };

/** The newest instant the copy speaks for: the time of its newest line, else its `older` (null: an empty thread). */
export const coveredUntil = (copy: ThreadCopy): number | null => copy.lines[copy.lines.length - 1]?.createdAt ?? copy.older;

/**
 * The plan once the ticket is known as `ticket` (undefined: not known);
 * `copies`: whether the backend's tickets may carry a copy at all (Firebase).
 */
export const planThread = (was: ThreadPlan, ticket: CopyCarrier | undefined, copies: boolean): ThreadPlan => {
  if (!copies) return was.source === 'thread' ? was : { source: 'thread' };
  if (!ticket) return was;
  if (ticket.recent) return was.source === 'copy' && was.copy === ticket.recent ? was : { source: 'copy', copy: ticket.recent };
  if (was.source === 'copy') return { source: 'closed', copy: was.copy, after: coveredUntil(was.copy) };
  if (was.source === 'closed') return was;
  return { source: 'thread' };
};

/**
 * A command's answer as the console takes it. The functions write the copy
 * in the commit, after the command built its answer from the ticket as it
 * read it: an answer's copy, if any, lacks the commit's own lines. So the
 * copy held is kept until the listeners bring the new one, and `known` is
 * false for a ticket with no copy at all (it may start one in this very
 * commit: the thread waits for a listener before choosing).
 */
export const withCopyHeld = <T extends CopyCarrier>(answer: T, held: CopyCarrier | undefined): { ticket: T; known: boolean } => {
  if (held?.recent) return { ticket: { ...answer, recent: held.recent }, known: true };
  return { ticket: answer, known: answer.recent != null };
};

/** The live page of a thread without a copy, as the conversation store has always listened to it. */
export const THREAD_PAGE = 200;
/** The revised lines heard at most (the newest). */
export const REVISED_LIMIT = 100;

export type ThreadSubscription =
  | { query: 'messages.ofTicket'; params: { ticketId: string; limit: number; after?: number } }
  | { query: 'messages.revisedOfTicket'; params: { ticketId: string; limit: number } };

/** The listeners a plan needs. */
export const subscriptionsOf = (ticketId: string, plan: ThreadPlan): ThreadSubscription[] => {
  switch (plan.source) {
    case 'wait':
      return [];
    case 'thread':
      return [{ query: 'messages.ofTicket', params: { ticketId, limit: THREAD_PAGE } }];
    case 'copy':
      return [{ query: 'messages.revisedOfTicket', params: { ticketId, limit: REVISED_LIMIT } }];
    case 'closed':
      return [
        { query: 'messages.revisedOfTicket', params: { ticketId, limit: REVISED_LIMIT } },
        { query: 'messages.ofTicket', params: { ticketId, limit: THREAD_PAGE, ...(plan.after === null ? {} : { after: plan.after }) } },
      ];
  }
};

const keyOf = (s: ThreadSubscription) => JSON.stringify(s);

/**
 * Follows one thread: `ticket(t)` at every change of the ticket as the
 * console holds it; `subscribe` opens one listener (its events go where the
 * caller sends them) and returns its stop. A listener still needed by the
 * next plan stays open (no new first snapshot to pay); the ones opened are
 * opened before the ones left are stopped. `onPlan` hears every change of
 * plan, before the listeners move.
 */
export const followThread = (
  ticketId: string,
  copies: boolean,
  subscribe: (s: ThreadSubscription) => () => void,
  onPlan: (plan: ThreadPlan, was: ThreadPlan) => void = () => undefined,
) => {
  let plan: ThreadPlan = { source: 'wait' };
  let open = new Map<string, () => void>();
  return {
    get plan() {
      return plan;
    },
    /** Whether `s` is one of the listeners the plan holds now (a late event of a stopped one is not). */
    current: (s: ThreadSubscription) => open.has(keyOf(s)),
    ticket(t: CopyCarrier | undefined) {
      const next = planThread(plan, t, copies);
      if (next === plan) return;
      const was = plan;
      plan = next;
      onPlan(next, was);
      const wanted = subscriptionsOf(ticketId, next);
      const kept = new Map<string, () => void>();
      for (const s of wanted) {
        const key = keyOf(s);
        const stop = open.get(key);
        if (stop) kept.set(key, stop);
      }
      const left = [...open].filter(([key]) => !kept.has(key));
      open = kept;
      for (const s of wanted) {
        const key = keyOf(s);
        if (open.has(key)) continue;
        // Current before it answers: a listener may answer before subscribe() has returned.
        open.set(key, () => undefined);
        open.set(key, subscribe(s));
      }
      for (const [, stop] of left) stop();
    },
    stop() {
      for (const stop of open.values()) stop();
      open.clear();
    },
  };
};
