import type { QuerySpec } from './types.ts';

/**
 * Firestore's queue (issue 15, reads). Every console keeps Esperando live, so
 * a ticket entering and leaving it costs each console a listener read — and
 * Firestore bills a document that leaves a query's results because it
 * CHANGED, but not one that was DELETED. So on Firestore each ticket in
 * Esperando has an entry `queue/{ticketId}` holding the ticket as it is (the
 * console maps it as a ticket), written by the same transaction as the
 * ticket while it waits and deleted by the transaction in which it stops
 * waiting (functions/src/queueEntry.ts); the consoles listen to the entries
 * (`tickets.waiting` only), and leaving the queue costs them nothing.
 *
 * The embedded server has no billing and no entries. Zod-free: the console's
 * Firebase driver uses it too.
 */
export const QUEUE = 'queue';

/** The one rule of the entries: a ticket is in the queue exactly while it waits. */
export const inQueue = (ticket: { status?: unknown } | null | undefined): boolean => ticket?.status === 'waiting';

/** The live queries a console reads from the entries instead of the tickets (same filters, order and limit). */
export const QUEUE_QUERIES: readonly string[] = ['tickets.waiting'];

/** Where a catalogue query's target is read on Firestore: the queue's entries for Esperando, else its own collection. */
export const firestoreCollectionOf = (queryName: string, spec: QuerySpec): string => (QUEUE_QUERIES.includes(queryName) ? QUEUE : spec.collection);

/**
 * A queue entry as stored: its ticket without the copy of its thread (`recent` and its keys, ./threadLayout.ts), which only the
 * consoles following the ticket itself read — Esperando's every console would carry it for nothing.
 */
export const queueEntryOf = <T extends { recent?: unknown; recentKeys?: unknown }>(ticket: T): Omit<T, 'recent' | 'recentKeys'> => {
  const { recent: _recent, recentKeys: _keys, ...entry } = ticket;
  return entry;
};
