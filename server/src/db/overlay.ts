import { docKey, matches, runQuery, type CollectionName, type DocRef, type QuerySpec } from '@atende/core';

type AnyDoc = { id: string } & Record<string, unknown>;

/** A document as a staged (checked, not yet committed) transaction left it: `text` null means deleted. */
export interface StagedDoc {
  ref: DocRef;
  text: string | null;
  /** The parsed document, for matching, and for reads to copy (`StoreReads.parsed`): never handed out itself. */
  doc: AnyDoc | null;
}

/** A row as a read inside a transaction sees it. */
export interface ReadRow {
  key: string;
  text: string;
}

/**
 * The documents written by the transactions of the current commit group,
 * which SQLite does not have yet. Reads inside later transactions of the
 * group look here first, so every transaction still sees the state left by
 * the ones before it, exactly as if each had committed on its own.
 */
export class Overlay {
  private readonly docs = new Map<string, StagedDoc>();
  /** The same documents by collection: a query merges only its own collection's (a group of 128 messages stages ~500 documents). */
  private readonly byCollection = new Map<CollectionName, Map<string, StagedDoc>>();
  /**
   * The same documents by their value of a top-level field, for each field an equality filter of `merge` has asked
   * about in this group (`contactId`: a message's live-ticket query looks at its customer's staged tickets, not at
   * every ticket the group wrote before it).
   */
  private readonly byField = new Map<CollectionName, Map<string, Map<unknown, Map<string, StagedDoc>>>>();

  get size(): number {
    return this.docs.size;
  }

  clear(): void {
    this.docs.clear();
    this.byCollection.clear();
    this.byField.clear();
  }

  put(ref: DocRef, text: string | null, doc: AnyDoc | null): void {
    const key = docKey(ref);
    const staged = { ref, text, doc };
    const previous = this.docs.get(key);
    this.docs.set(key, staged);
    let ofCollection = this.byCollection.get(ref.collection);
    if (!ofCollection) this.byCollection.set(ref.collection, (ofCollection = new Map()));
    ofCollection.set(key, staged);
    for (const [field, values] of this.byField.get(ref.collection) ?? []) {
      if (previous?.doc) values.get(previous.doc[field])?.delete(key);
      file(values, field, key, staged);
    }
  }

  /** The staged state of one document: undefined when this group has not written it. */
  lookup(key: string): StagedDoc | undefined {
    return this.docs.get(key);
  }

  /** How many documents of the collection this group has written: a query over SQLite must fetch that many more rows. */
  countOf(collection: CollectionName): number {
    return this.byCollection.get(collection)?.size ?? 0;
  }

  /**
   * Merges a query's committed rows with this group's documents: a staged
   * document replaces its stored row, and the whole is filtered, ordered and
   * limited as the query would be. Right when none of the rows is staged (the
   * unstaged documents beyond them cannot enter the first N), or when the rows
   * come from the query with its limit widened by `countOf` (among the true
   * first N, the unstaged ones are within the committed first N + countOf,
   * since at most countOf stale rows can come before them).
   */
  merge(spec: QuerySpec, stored: readonly ReadRow[]): readonly ReadRow[] {
    const textOf = new Map<object, ReadRow>();
    const candidates: AnyDoc[] = [];
    for (const [key, staged] of this.stagedFor(spec)) {
      if (staged.text === null || staged.doc === null) continue;
      if (spec.parentId !== undefined && (staged.ref.parentId ?? '') !== spec.parentId) continue;
      if (!matches(spec, staged.doc)) continue;
      textOf.set(staged.doc, { key, text: staged.text });
      candidates.push(staged.doc);
    }
    // Nothing staged enters the result and nothing in it is staged (another customer's ticket, written earlier in
    // the group, beside this one's live ticket): the committed rows are the answer, none of them parsed.
    if (candidates.length === 0 && stored.length <= (spec.limit ?? spec.limitToLast ?? Infinity) && !stored.some((row) => this.docs.has(row.key))) return stored;
    for (const row of stored) {
      if (this.docs.has(row.key)) continue;
      const doc = JSON.parse(row.text) as AnyDoc;
      textOf.set(doc, row);
      candidates.push(doc);
    }
    return runQuery(spec, candidates).map((doc) => textOf.get(doc)!);
  }

  /**
   * The staged documents of the query's collection that may match it: with an equality filter on a top-level field
   * to a string or a number (which only a document holding that very value matches), those filed under its value;
   * else all of them.
   */
  private stagedFor(spec: QuerySpec): Iterable<[string, StagedDoc]> {
    const all = this.byCollection.get(spec.collection);
    if (!all) return [];
    const eq = spec.where.find(([f, op, v]) => op === '==' && !f.includes('.') && (typeof v === 'string' || typeof v === 'number'));
    if (!eq) return all;
    const [field, , value] = eq;
    let fields = this.byField.get(spec.collection);
    if (!fields) this.byField.set(spec.collection, (fields = new Map()));
    let values = fields.get(field);
    if (!values) {
      fields.set(field, (values = new Map()));
      for (const [key, staged] of all) file(values, field, key, staged);
    }
    return values.get(value) ?? [];
  }
}

/** Files a staged document under its value of `field` (a deletion, which has none, is not filed). */
const file = (values: Map<unknown, Map<string, StagedDoc>>, field: string, key: string, staged: StagedDoc): void => {
  if (!staged.doc) return;
  const value = staged.doc[field];
  let keys = values.get(value);
  if (!keys) values.set(value, (keys = new Map()));
  keys.set(key, staged);
};

/** The spec with room for the rows a commit group may have made stale. */
export const widened = (spec: QuerySpec, extra: number): QuerySpec =>
  extra === 0
    ? spec
    : {
        ...spec,
        ...(spec.limit !== undefined && { limit: spec.limit + extra }),
        ...(spec.limitToLast !== undefined && { limitToLast: spec.limitToLast + extra }),
      };
