import type { Firestore, QuerySnapshot } from 'firebase-admin/firestore';
import type { Message } from '@atende/core';
import { FirestoreStore, fromFirestore, toFirestore } from '../../src/store.ts';

/** The collection of a document path (`tickets/T/messages/M` → `messages`). */
const collectionOf = (path: string): string => {
  const segments = path.split('/');
  return segments[segments.length - 2] ?? '';
};

/** A document as the model reads it (times in ms, core/src/store/timeCodec.ts), or undefined. */
export const readStored = async <T = Record<string, unknown>>(db: Firestore, path: string): Promise<T | undefined> => {
  const snap = await db.doc(path).get();
  return snap.exists ? fromFirestore<T>(collectionOf(path), snap.data()!) : undefined;
};

/** The documents of a query result as the model reads them. */
export const storedDocs = <T = Record<string, unknown>>(snap: QuerySnapshot): T[] => snap.docs.map((d) => fromFirestore<T>(collectionOf(d.ref.path), d.data()));

/** Writes a model document as the functions' store would (times as timestamps). */
export const writeStored = (db: Firestore, path: string, data: Record<string, unknown>) => db.doc(path).set(toFirestore(collectionOf(path), data));

/**
 * A thread's lines in order as the functions' store reads them: its documents and the lines its ticket's copy holds
 * alone (core/src/store/threadLayout.ts: system lines, and customer lines but web chat's, have no document while there).
 */
export const storedThread = async (db: Firestore, ticketId: string): Promise<Message[]> =>
  new FirestoreStore(db, { configCache: false }).transaction((tx) => tx.query({ collection: 'messages', parentId: ticketId, where: [], orderBy: [['createdAt', 'asc']] }));
