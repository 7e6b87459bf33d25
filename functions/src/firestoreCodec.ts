import { decodeTimes, encodeSpec, encodeTimes, statsField, type QuerySpec } from '@atende/core';
import { Timestamp } from 'firebase-admin/firestore';

/**
 * How a model document goes to and from Firestore on the functions' side:
 * times as Firestore timestamps (core/src/store/timeCodec.ts), a stats
 * document's encoded keys. Used by the store (./store.ts), by code that
 * reads or writes a model document with the admin SDK directly, and by tests.
 */
type Data = Record<string, unknown>;

/** The model's milliseconds as a Firestore timestamp. */
export const fromMillis = (ms: number): Timestamp => Timestamp.fromMillis(ms);

/** A stored document of `collection` as the model reads it (times in milliseconds). */
export const fromFirestore = <T = Data>(collection: string, data: Data): T =>
  (collection === 'stats' ? statsField.toStats(data) : decodeTimes(collection, data)) as T;

/** A model document (or patch) of `collection` as Firestore stores it (times as timestamps). */
export const toFirestore = (collection: string, data: Data): Data => encodeTimes(collection, data, fromMillis);

/** A query spec whose bounds on time fields are timestamps. */
export const toFirestoreSpec = <S extends QuerySpec>(spec: S): S => encodeSpec(spec, fromMillis);
