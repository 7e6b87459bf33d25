import type { Message, Ticket } from '@atende/core';

/** A conversation's thread kept in order: the pure parts of the conversation store (stores/conversation.ts). */

/**
 * A message of this agent's that the server has not confirmed; `failure` says why it did not go;
 * `offline`: the server could not be reached, it goes by itself (in order) when it can be.
 */
export type OutgoingMessage = Message & { failure?: string; offline?: boolean };

export interface Thread {
  messages: Message[];
  loaded: boolean;
  error: string | null;
  /** Whether the live page begins with the thread's first line; unset: when it is shorter than a page (conversationHistory.ts). */
  startsThread?: boolean;
}

export const byTime = (a: Message, b: Message) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** Inserts or replaces one message, keeping the thread in time order; returns a new array. */
export const upsertMessage = (list: readonly Message[], m: Message): Message[] => {
  const out = list.filter((x) => x.id !== m.id);
  let i = out.length;
  while (i > 0 && byTime(out[i - 1]!, m) > 0) i -= 1;
  out.splice(i, 0, m);
  return out;
};

/** A row of the thread: a message, or the divider opening one of the contact's tickets. */
export type ThreadRow = { kind: 'message'; key: string; message: OutgoingMessage } | { kind: 'divider'; key: string; ticket: Ticket; current: boolean };

/** What is above the live page of an open conversation: its older pages, then the contact's earlier tickets (B7). */
export interface History {
  /** Older pages of the open ticket, in time order. */
  older: Message[];
  /** Earlier tickets loaded so far, newest first, each with the part of its thread loaded. */
  earlier: { ticket: Ticket; messages: Message[]; done: boolean }[];
  currentDone: boolean;
  /** The contact's earlier tickets I may read, newest first; null until asked. */
  tickets: Ticket[] | null;
  loading: boolean;
  done: boolean;
  error: string | null;
}

export const emptyHistory = (): History => ({ older: [], earlier: [], currentDone: false, tickets: null, loading: false, done: false, error: null });

/**
 * A page asked for "up to and including the oldest time I hold", since
 * several messages may share a millisecond: what I already hold is dropped.
 */
export const newerThanKnown = (page: readonly Message[], known: readonly Message[]): Message[] => {
  const ids = new Set(known.map((m) => m.id));
  return page.filter((m) => !ids.has(m.id)).sort(byTime);
};
