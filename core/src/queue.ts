import type { Ticket } from './model/index.ts';

// How the agents' queue lists are ordered and filtered (issue 13). The SPA sorts and filters the
// tickets it holds with these; they are the one definition of "unanswered" and of the queue order.

/** The order of *Esperando*: the agent's choice, oldest first by default. */
export type WaitingOrder = 'oldest' | 'newest';
export const WAITING_ORDERS: readonly WaitingOrder[] = ['oldest', 'newest'];

/** When the ticket started waiting (again: a ticket returned to the queue waits from then). */
export const waitingSince = (t: Pick<Ticket, 'queuedAt' | 'createdAt'>): number => t.queuedAt ?? t.createdAt;

/**
 * Stable: ties (same millisecond) are broken by id, so a list never shuffles between renders and a
 * new arrival lands at one end — the bottom (oldest first) or the top (newest first).
 */
export const compareWaiting =
  (order: WaitingOrder) =>
  (a: Pick<Ticket, 'id' | 'queuedAt' | 'createdAt'>, b: Pick<Ticket, 'id' | 'queuedAt' | 'createdAt'>): number => {
    const d = waitingSince(a) - waitingSince(b) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
    return order === 'oldest' ? d : -d;
  };

/**
 * "Não respondidos": the last message of the conversation is the customer's. Reading a ticket does
 * not change this — only a reply does (opening a conversation is not handling it).
 */
export const isUnanswered = (t: Pick<Ticket, 'lastMessage'>): boolean => t.lastMessage?.direction === 'in';
