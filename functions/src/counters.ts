import { counterPlace, counterTotals } from '@atende/core';
import { FieldValue, type Firestore, type Transaction } from 'firebase-admin/firestore';

/** How many documents one counter document is spread over. */
export const COUNTER_SHARDS = 8;

export const counterShardId = (counterId: string, shard: number): string => `${counterId}~${shard}`;

/**
 * A transaction's counter changes, written as core's layout says
 * (core/src/store/counterLayout.ts): the counters that share a document (a
 * sector's waiting/open/closed and its agents' open counts) go to one shard
 * of it in one write.
 */
export const writeIncrements = (t: Transaction, db: Firestore, increments: ReadonlyMap<string, number>): void => {
  const docs = new Map<string, Record<string, unknown>>();
  for (const [id, delta] of increments) {
    if (delta === 0) continue;
    const { docId, field } = counterPlace(id);
    const fields = docs.get(docId) ?? { id: docId };
    fields[field] = FieldValue.increment(delta);
    docs.set(docId, fields);
  }
  for (const [docId, fields] of docs) t.set(db.collection('counters').doc(counterShardId(docId, Math.floor(Math.random() * COUNTER_SHARDS))), fields, { merge: true });
};

/** Folds counter documents (shards of either layout) into one `{id, value}` per counter id asked for. */
export const sumCounterShards = (docs: readonly Record<string, unknown>[], counterIds?: readonly string[]): { id: string; value: number }[] =>
  counterTotals(docs, counterIds ?? [...new Set(docs.map((d) => String(d.id)))]);
