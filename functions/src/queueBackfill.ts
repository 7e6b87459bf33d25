import { inQueue, QUEUE, queueEntryOf } from '@atende/core';
import type { Firestore } from 'firebase-admin/firestore';
import { fromFirestore, toFirestore } from './firestoreCodec.ts';

/** Set once every waiting ticket stored before the queue's entries has one (functions only: firestore.rules closes it). */
export const QUEUE_MARK = 'meta/queue';
/** Tickets looked at per transaction. */
const CHUNK = 200;

/** Instances that saw the mark: they never read it again. */
let marked = false;

/**
 * The upgrade of a project deployed before `queue/{id}` (core/src/store/queueLayout.ts): a ticket that was already
 * waiting has no entry, so the consoles' Esperando would not show it until its next write. Run by `automationTick`
 * until the mark exists: the waiting tickets' ids in one query, then, a chunk at a time, a transaction that reads the
 * tickets and their entries and writes the entry of each ticket still waiting without one (a ticket that changed
 * meanwhile is seen as it is now; one a command wrote since has its entry from that command). Then the mark.
 *
 * Cost, once: three reads per waiting ticket (the query, then the ticket and its entry in the chunk's transaction), a
 * write per entry missing. Afterwards one read of the mark per instance. Returns the entries written, or null when already done.
 */
export const backfillQueue = async (db: Firestore, chunk = CHUNK): Promise<number | null> => {
  if (marked) return null;
  const mark = db.doc(QUEUE_MARK);
  if ((await mark.get()).exists) {
    marked = true;
    return null;
  }
  const waiting = await db.collection('tickets').where('status', '==', 'waiting').get();
  const ids = waiting.docs.map((d) => d.id);
  let written = 0;
  for (let from = 0; from < ids.length; from += chunk) {
    const part = ids.slice(from, from + chunk);
    written += await db.runTransaction(async (t) => {
      const tickets = await t.getAll(...part.map((id) => db.collection('tickets').doc(id)));
      const entries = await t.getAll(...part.map((id) => db.collection(QUEUE).doc(id)));
      let n = 0;
      tickets.forEach((ticket, i) => {
        if (!ticket.exists || !inQueue(ticket.data()) || entries[i]!.exists) return;
        // The ticket as the model reads it, stored as the functions store it (a time still held as a number: a timestamp).
        t.set(entries[i]!.ref, toFirestore(QUEUE, queueEntryOf(fromFirestore<Record<string, unknown>>('tickets', ticket.data()!))));
        n++;
      });
      return n;
    });
  }
  await mark.set({ backfilledAt: new Date(), entries: written });
  marked = true;
  return written;
};

/** For tests: forget that this instance saw the mark. */
export const forgetQueueMark = (): void => {
  marked = false;
};
