import type { Database } from 'better-sqlite3';
import { docKey, type CollectionName, type DocRef, type QuerySpec } from '@atende/core';
import { DocCache } from './docCache.ts';
import { Overlay, widened, type ReadRow } from './overlay.ts';
import { QueryCache } from './queryCache.ts';
import { CommittedQueries, type StoredRow } from './committedQueries.ts';
import { ReadSnapshot } from './readSnapshot.ts';
import { DocumentRows, isCreateConflict } from './rows.ts';
import { jsonCopy } from './jsonCopy.ts';

type AnyDoc = { id: string } & Record<string, unknown>;

/** A group's COMMIT met a document one of its transactions created unread, taking it to be new: the group was rolled back. */
export class CreateConflict extends Error {}

/** A row write's error as the group's commit reports it: a create taken to be new that met its row is a `CreateConflict`. */
export const asCommitError = (ref: DocRef, creating: boolean, error: unknown): unknown =>
  creating && isCreateConflict(error) ? new CreateConflict(docKey(ref), { cause: error }) : error;

/** How many rewritten documents `StoreReads.before` remembers (a busy workspace's live tickets). */
const REWRITTEN = 4096;

/** A document a transaction took to be absent without reading it (`expectAbsent`, or a create nothing here knew). */
export interface Presumed {
  key: string;
  ref: DocRef;
}

/**
 * The store's reads, in layers: the documents the current commit group
 * staged (`overlay`), the committed text of recently read documents and
 * recent small query results (`cache`, `queries`), then SQLite through the
 * read snapshot. `known` stops before SQLite: what it does not know, a
 * create may take to be new, its INSERT checking it in the commit.
 */
export class StoreReads {
  readonly rows: DocumentRows;
  readonly snapshot: ReadSnapshot;
  readonly committed: CommittedQueries;
  readonly overlay = new Overlay();
  readonly cache = new DocCache();
  readonly queries = new QueryCache();
  /** The last committed version of recently rewritten documents, as text and as the object it was serialised from. */
  private readonly rewritten = new Map<string, { text: string; doc: AnyDoc }>();

  constructor(db: Database) {
    this.snapshot = new ReadSnapshot(db);
    this.rows = new DocumentRows(db, this.snapshot.db);
    this.committed = new CommittedQueries(this.snapshot);
  }

  /** The committed text of a document: from the cache of recently read documents, or SQLite. */
  committedText(ref: DocRef, key = docKey(ref)): string | null {
    const cached = this.cache.get(key);
    if (cached !== undefined) return cached;
    this.snapshot.reading();
    const text = this.rows.text(ref);
    this.cache.filled(key, text);
    return text;
  }

  /** What this group staged or the cache holds of a document, without asking SQLite: undefined when neither knows it. */
  known(key: string): string | null | undefined {
    const staged = this.overlay.lookup(key);
    return staged ? staged.text : this.cache.get(key);
  }

  /** What a transaction reads: its group's staged state over the committed one. */
  text(key: string, ref: DocRef): string | null {
    const staged = this.overlay.lookup(key);
    return staged ? staged.text : this.committedText(ref, key);
  }

  /**
   * A document as `text` says, for a write's "before": the object a staged or recently committed rewrite made it
   * from, when there is one (shared, never changed: the hub and the commit's listeners hold it too), else a parse of
   * `text` (a message's ticket was parsed once for the command, once more for its before).
   */
  before(key: string, text: string): AnyDoc {
    const staged = this.overlay.lookup(key);
    const written = staged ? staged : this.rewritten.get(key);
    return written?.text === text && written.doc ? written.doc : (JSON.parse(text) as AnyDoc);
  }

  /**
   * A document as `text` says, for a transaction to read (and change as it likes): a copy of the object a staged or
   * recently committed rewrite made that text from, when there is one (a message's ticket, written by the message
   * before), else a parse of `text`. Either is what `JSON.parse(text)` gives (`jsonCopy` gives way to the parse when the
   * object holds anything JSON writes its own way).
   */
  parsed(key: string, text: string): AnyDoc {
    const staged = this.overlay.lookup(key);
    const written = staged ? staged : this.rewritten.get(key);
    return (written?.text === text && written.doc ? jsonCopy(written.doc) : undefined) ?? (JSON.parse(text) as AnyDoc);
  }

  /**
   * After a COMMIT wrote the document over a previous version (`after` null: deleted). Documents written once (new
   * messages, receipts) are not kept; those rewritten are, the oldest going first past REWRITTEN.
   */
  committedWrite(key: string, text: string | null, before: AnyDoc | null, after: AnyDoc | null): void {
    this.cache.written(key, text);
    if (before === null || text === null || after === null) {
      this.rewritten.delete(key);
      return;
    }
    if (this.rewritten.size >= REWRITTEN && !this.rewritten.has(key)) this.rewritten.delete(this.rewritten.keys().next().value!);
    this.rewritten.set(key, { text, doc: after });
  }

  /** Whether any of the documents a transaction took to be absent unread is there after all (it must run again, looking). */
  presumedWrongly(presumed: readonly Presumed[]): boolean {
    return presumed.some(({ key, ref }) => this.text(key, ref) !== null);
  }

  /** A query inside a transaction: over the committed rows and, when this group wrote to the collection, its staged documents. */
  query(spec: QuerySpec): readonly ReadRow[] {
    const rows = this.committedRows(spec);
    const extra = this.overlay.countOf(spec.collection);
    if (extra === 0) return rows;
    if (!rows.some((row) => this.overlay.lookup(row.key))) return this.overlay.merge(spec, rows);
    // Some of the rows are stale: others may come up from beyond the limit to replace them.
    return this.overlay.merge(spec, this.rowsOf(spec.collection, this.committed.rows(widened(spec, extra))));
  }

  /** A query's committed rows: from the cache of recent results, or SQLite. */
  committedRows(spec: QuerySpec): ReadRow[] {
    const key = QueryCache.keyOf(spec);
    const cached = this.queries.get(key);
    if (cached) return cached;
    const rows = this.rowsOf(spec.collection, this.committed.rows(spec));
    this.queries.put(key, spec, rows);
    return rows;
  }

  private rowsOf(collection: CollectionName, rows: StoredRow[]): ReadRow[] {
    return rows.map((row) => ({ key: `${collection}/${row.parent_id}/${row.id}`, text: row.data }));
  }
}
