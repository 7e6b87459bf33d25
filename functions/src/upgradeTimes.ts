import { TIME_FIELDS, CUSTOMER_TICKETS, staleTimeKeys } from '@atende/core';
import type { DocumentSnapshot, Firestore, Query } from 'firebase-admin/firestore';
import { fromFirestore, toFirestore } from './store.ts';

/** gRPC FAILED_PRECONDITION: the document changed since it was read. */
const FAILED_PRECONDITION = 9;

/**
 * Re-stores, as Firestore timestamps, every time still kept as a number of
 * milliseconds (documents written before the time codec, core/src/store/timeCodec.ts).
 * Reads accept both, and the store upgrades a document at its next write,
 * but Firestore compares a timestamp bound only with timestamps: until this
 * has run once, range queries (the queues, the auto-close tick, reports)
 * miss the documents nobody has written since. Safe to run at any time and
 * again: each update is guarded by the update time it was read at (a
 * document written meanwhile is read again), and documents already
 * upgraded are left alone. `npm run firestore:times -- --project <id>`.
 */
export const upgradeStoredTimes = async (db: Firestore, log: (line: string) => void = () => {}): Promise<Record<string, number>> => {
  const upgraded: Record<string, number> = {};
  const collections = [...Object.keys(TIME_FIELDS), CUSTOMER_TICKETS];
  let ticketIds: string[] = [];
  for (const collection of collections) {
    if (collection === 'messages') continue;
    upgraded[collection] = await upgradeAll(collection, db.collection(collection), (id) => collection === 'tickets' && ticketIds.push(id));
  }
  // Thread by thread (a collection-group query would do, but the Node emulator the tests use has none).
  upgraded.messages = 0;
  for (const id of ticketIds) upgraded.messages += await upgradeAll('messages', db.collection(`tickets/${id}/messages`));
  ticketIds = [];
  for (const [collection, n] of Object.entries(upgraded)) if (n > 0) log(`${collection}: ${n} document(s) upgraded`);
  return upgraded;
};

/** Every document of a query whose times are still numbers, a few updates in flight at a time; `seen` is told every id. */
const upgradeAll = async (collection: string, query: Query, seen: (id: string) => unknown = () => {}): Promise<number> => {
  let n = 0;
  const pending = new Set<Promise<void>>();
  for await (const snap of query.stream() as AsyncIterable<DocumentSnapshot>) {
    seen(snap.id);
    if (staleTimeKeys(collection, snap.data()!).length === 0) continue;
    const p = upgradeOne(collection, snap).then((done) => {
      if (done) n++;
      pending.delete(p);
    });
    pending.add(p);
    if (pending.size >= 20) await Promise.race(pending);
  }
  await Promise.all(pending);
  return n;
};

const upgradeOne = async (collection: string, first: DocumentSnapshot): Promise<boolean> => {
  for (let snap = first; ; snap = await snap.ref.get()) {
    if (!snap.exists) return false;
    const raw = snap.data()!;
    const stale = staleTimeKeys(collection, raw);
    if (stale.length === 0) return false;
    const data = fromFirestore<Record<string, unknown>>(collection, raw);
    const patch = toFirestore(collection, Object.fromEntries(stale.map((k) => [k, data[k]])));
    try {
      await snap.ref.update(patch, { lastUpdateTime: snap.updateTime! });
      return true;
    } catch (e) {
      if ((e as { code?: unknown }).code !== FAILED_PRECONDITION) throw e;
    }
  }
};
