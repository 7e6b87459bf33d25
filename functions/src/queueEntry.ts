import { inQueue, QUEUE, queueEntryOf } from '@atende/core';
import type { Firestore, Transaction } from 'firebase-admin/firestore';
import { toFirestore } from './firestoreCodec.ts';

type Data = Record<string, unknown>;

/**
 * Keeps `queue/{ticketId}` (core/src/store/queueLayout.ts) in step with a
 * ticket, in the ticket's own transaction: the ticket as written while it
 * waits (every write of it, so the card the consoles show is the ticket's;
 * without its copy of the thread, core's `queueEntryOf`),
 * deleted when it stops waiting. Firestore bills no listener read for a
 * deleted document, so leaving Esperando costs the consoles nothing.
 *
 * `before` is the ticket as this transaction read it (null: it did not exist),
 * `after` as it leaves it (null: deleted). A delete is written only when the
 * ticket was waiting: a delete of nothing is billed all the same.
 */
export const writeQueueEntry = (t: Transaction, db: Firestore, ticketId: string, before: Data | null, after: Data | null): void => {
  const ref = db.collection(QUEUE).doc(ticketId);
  if (inQueue(after)) {
    const entry = queueEntryOf(after!);
    // A write of the ticket's copy of its thread alone (a line's later write, functions/src/threadCopy.ts) leaves the card as it was.
    if (inQueue(before) && JSON.stringify(queueEntryOf(before!)) === JSON.stringify(entry)) return;
    t.set(ref, toFirestore(QUEUE, entry));
  }
  else if (inQueue(before)) t.delete(ref);
};
