import { statsField, type Stats } from '@atende/core';
import { FieldValue, type Firestore, type Transaction } from 'firebase-admin/firestore';
import type { ReadState } from './store.ts';

type Data = Record<string, unknown>;

/** How many documents one day's (or month's) aggregate of a sector is spread over. */
export const STATS_SHARDS = 4;

export const statsShardId = (statsId: string, shard: number): string => `${statsId}~${shard}`;

/** A transaction's `accumulate` calls per stats document: its fixed fields and the sum of each number's deltas. */
export type StatsSums = Map<string, { fields: Data; v: Map<string, number> }>;

/**
 * A transaction's stats writes: documents written whole (the roll-up's months; null: deleted) go to shard 0 and the
 * other shards go; accumulated numbers are added to one random shard (a busy sector's day is written by every ticket
 * event). `reads`: what the transaction read, by path.
 */
export const writeStats = (t: Transaction, db: Firestore, reads: ReadonlyMap<string, ReadState>, replaced: ReadonlyMap<string, Stats | null>, sums: StatsSums): void => {
  for (const [id, doc] of replaced) {
    const shards = Array.from({ length: STATS_SHARDS }, (_, n) => db.collection('stats').doc(statsShardId(id, n)));
    // When the transaction read the document (a query returns every shard), only the shards it found need deleting.
    const known = shards.some((shard) => reads.has(shard.path));
    shards.forEach((shard, n) => {
      const read = reads.get(shard.path);
      if (n === 0 && doc) {
        const data: Data = { id, period: doc.period, key: doc.key, sectorId: doc.sectorId, ...Object.fromEntries(Object.entries(doc.v).map(([k, x]) => [statsField.encode(k), x])) };
        // Replacing a shard read here: a number it held that the new sums lack becomes 0, which adds nothing to any
        // report (and, unlike a field delete, the Node emulator the tests run on applies it).
        if (read?.exists) t.update(shard, { ...data, ...Object.fromEntries(read.keys.filter((k) => k.startsWith('v_') && !(k in data)).map((k) => [k, 0])) });
        else t.set(shard, data);
      } else if (!known || read?.exists) t.delete(shard);
    });
  }
  for (const [id, { fields, v }] of sums) {
    if (v.size === 0) continue;
    const ref = db.collection('stats').doc(statsShardId(id, Math.floor(Math.random() * STATS_SHARDS)));
    t.set(ref, { ...fields, id, ...Object.fromEntries([...v].map(([k, d]) => [statsField.encode(k), FieldValue.increment(d)])) }, { merge: true });
  }
};
