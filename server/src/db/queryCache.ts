import { matches, type CollectionName, type QuerySpec } from '@atende/core';
import type { ReadRow } from './overlay.ts';

type AnyDoc = { id: string } & Record<string, unknown>;

interface Entry {
  spec: QuerySpec;
  rows: ReadRow[];
  field: string;
  value: unknown;
}

/** A write, as the COMMIT applied it. */
export interface CommittedWrite {
  collection: CollectionName;
  key: string;
  /** The document's committed JSON text, null when deleted. */
  text: string | null;
  before: AnyDoc | null;
  after: AnyDoc | null;
}

/** Ordered by id alone: a document that stays in the result keeps its place. */
const byIdOnly = (spec: QuerySpec): boolean => spec.orderBy.every(([field]) => field === 'id');

const ANY = '*';

/**
 * The committed result of recent queries made inside transactions (what an
 * inbound message asks every time: the contact's live ticket). A result stays
 * true until a COMMIT writes a document the query matches before or after the
 * write: any other write cannot enter, leave or reorder its result. So each
 * COMMIT drops exactly the entries its writes may have changed.
 *
 * To find those without checking every entry, entries are filed under their
 * first equality filter on a top-level field (`contactId == X`): a write is
 * checked against the entries filed under its documents' values of that
 * field, and those with no such filter. Bounded: past `max` entries the
 * oldest go first.
 */
export class QueryCache {
  private readonly entries = new Map<string, Entry>();
  /** collection → field → value → keys; the field ANY holds the entries with no equality filter. */
  private readonly buckets = new Map<CollectionName, Map<string, Map<unknown, Set<string>>>>();

  constructor(private readonly max = 2048) {}

  static keyOf(spec: QuerySpec): string {
    return JSON.stringify(spec);
  }

  get(key: string): ReadRow[] | undefined {
    return this.entries.get(key)?.rows;
  }

  put(key: string, spec: QuerySpec, rows: ReadRow[]): void {
    if (this.entries.has(key)) this.drop(key);
    if (this.entries.size >= this.max) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.drop(oldest);
    }
    const eq = spec.where.find(([f, op, v]) => op === '==' && !f.includes('.') && (typeof v === 'string' || typeof v === 'number'));
    const field = eq ? eq[0] : ANY;
    const value = eq ? eq[2] : ANY;
    this.entries.set(key, { spec, rows, field, value });
    let fields = this.buckets.get(spec.collection);
    if (!fields) this.buckets.set(spec.collection, (fields = new Map()));
    let values = fields.get(field);
    if (!values) fields.set(field, (values = new Map()));
    let keys = values.get(value);
    if (!keys) values.set(value, (keys = new Set()));
    keys.add(key);
  }

  /**
   * After a COMMIT: forgets every result one of its writes may have changed,
   * but a document that matched before and after in a result ordered by id
   * alone (the contact's live ticket, rewritten by each message) is updated
   * in place: it neither entered, nor left, nor moved.
   */
  committed(writes: Iterable<CommittedWrite>): void {
    if (this.entries.size === 0) return;
    for (const { collection, key: written, text, before, after } of writes) {
      const fields = this.buckets.get(collection);
      if (!fields) continue;
      for (const [field, values] of fields) {
        if (field === ANY) {
          const all = values.get(ANY);
          if (all) this.recheck(all, written, text, before, after);
          continue;
        }
        // Filed under one value each: the entries under the before's value and under the after's are apart.
        const was = before ? values.get(before[field]) : undefined;
        const is = after ? values.get(after[field]) : undefined;
        if (was) this.recheck(was, written, text, before, after);
        if (is && is !== was) this.recheck(is, written, text, before, after);
      }
    }
  }

  /** One write against the entries filed under `keys` (a Set may lose the visited key while iterated: `drop`). */
  private recheck(keys: Set<string>, written: string, text: string | null, before: AnyDoc | null, after: AnyDoc | null): void {
    for (const key of keys) {
      const entry = this.entries.get(key);
      if (!entry) continue;
      const was = before !== null && matches(entry.spec, before);
      const is = after !== null && text !== null && matches(entry.spec, after);
      if (was && is && byIdOnly(entry.spec)) {
        const i = entry.rows.findIndex((row) => row.key === written);
        if (i >= 0) entry.rows[i] = { key: written, text: text! };
      } else if (was || is) this.drop(key);
    }
  }

  private drop(key: string): void {
    const entry = this.entries.get(key);
    if (!entry) return;
    this.entries.delete(key);
    const values = this.buckets.get(entry.spec.collection)?.get(entry.field);
    const keys = values?.get(entry.value);
    keys?.delete(key);
    if (keys?.size === 0) values!.delete(entry.value);
  }

  get size(): number {
    return this.entries.size;
  }
}
