import type { Database } from 'better-sqlite3';
import { clonePlain, CommandError, docKey, checkedInQuery, PendingWrites, readValidated, VALIDATED, type Change, type MalformedDocument, type CollectionName, type Doc, type DocRef, type QuerySpec, type ResolvedWrite, type Store, type Tx } from '@atende/core';
import { asCommitError, CreateConflict, StoreReads, type Presumed } from './reads.ts';

type AnyDoc = { id: string } & Record<string, unknown>;

/** At most this many transactions share one COMMIT; the group is committed as soon as it is full. */
const MAX_GROUP = 128;

/** Queries outside transactions with at most this limit are served from the cache of committed results. */
const SMALL_QUERY = 50;

/** Taken at load, so a test's fake timers never hold a commit back. */
const nextTurn = globalThis.setImmediate;

/** A transaction whose writes are checked and waiting for its group's COMMIT. */
interface Staged {
  writes: { ref: DocRef; text: string | null; before: AnyDoc | null; after: AnyDoc | null }[];
  changes: Change[];
  settle(error: unknown): void;
  /** Runs the transaction again from the start, every create checked before its commit (its group was rolled back). */
  rerun(): void;
}

/**
 * The core Store port on SQLite, with MemoryStore's semantics: reads before
 * writes, all-or-nothing commits, serialised transactions, and the list of
 * changes handed to listeners after every commit.
 *
 * Transactions are serialised by a promise queue (this process is the only
 * writer), so the reads inside one see exactly the state the ones before it
 * left. Group commit: a transaction's writes are checked (all or nothing:
 * `already-exists`, `not-found` fail it alone, before anything is applied)
 * and staged; the transactions staged during one turn of the event loop are
 * applied together in one `BEGIN IMMEDIATE … COMMIT` (at `setImmediate`, or
 * as soon as MAX_GROUP are waiting), and only then does each caller's promise
 * settle and do listeners hear of it: nothing is acknowledged before it is
 * committed. A document created without being read first (a new message's
 * fresh id) is not looked for: what no cache or staged write knows is taken
 * to be new, and its INSERT checks it in the commit, where the writer's pages
 * are at hand (a lookup of an absent row before it cost a read of its own).
 * Should one be there after all, the group is rolled back and each of its
 * transactions runs again with every create checked first, so the one that
 * created it fails `already-exists` alone, as before. A read hinted
 * `expectAbsent` (the receipt of a new message's provider id) is answered
 * the same way: null unread, checked by the INSERT of the receipt the
 * transaction then creates (or, if it creates none, looked up before the
 * transaction is staged); wrong, and the transaction runs again, looking. Until then, reads inside later transactions see the staged
 * documents through the overlay; reads outside transactions see only what is
 * committed. No SQL transaction stays open across an `await`: other
 * statements on the same connection (sessions, files) never end up inside a
 * command's transaction.
 */
export class SqliteStore implements Store {
  private queue: Promise<unknown> = Promise.resolve();
  private readonly listeners = new Set<(changes: Change[]) => void>();
  private readonly reads: StoreReads;
  private group: Staged[] = [];
  private flushScheduled = false;
  private closed = false;
  /** The JSON text each staged or committed document was written as, by the document object (`storedText`). */
  private readonly texts = new WeakMap<object, string>();
  /** Configuration documents as last validated, by key: the same stored text is parsed by its schema once, and each read gets its own copy. */
  private readonly validated = new Map<string, { text: string; valid: AnyDoc }>();

  constructor(
    readonly db: Database,
    private readonly onMalformed?: (report: MalformedDocument) => void,
  ) {
    this.reads = new StoreReads(db);
  }

  onCommit(listener: (changes: Change[]) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Waits for the running and queued transactions, commits the last group, then refuses new ones. */
  async close(): Promise<void> {
    this.closed = true;
    await this.queue;
    this.flush();
    // A group rolled back by a create conflict queued its transactions again.
    await this.queue;
    this.flush();
    this.reads.snapshot.release();
  }

  /** Closes the connection reads go to (after `close`, when the database itself is closed). */
  closeReads(): void {
    this.reads.snapshot.close();
  }

  /** A read outside transactions: the committed state. */
  get<C extends CollectionName>(ref: DocRef<C>): Doc<C> | null {
    const text = this.reads.committedText(ref);
    return text === null ? null : (JSON.parse(text) as Doc<C>);
  }

  query<C extends CollectionName>(spec: QuerySpec<C>): Doc<C>[] {
    // Small lookups (e.g. the widget's quota check for the contact's live ticket) share the committed-result cache.
    if (spec.limit !== undefined && spec.limit <= SMALL_QUERY) return this.reads.committedRows(spec).map((r) => JSON.parse(r.text) as Doc<C>);
    return this.reads.committed.rows(spec).map((r) => JSON.parse(r.data) as Doc<C>);
  }

  /** How many documents the query finds, none of them parsed (a small query from the cache of committed results, as `query`). */
  count(spec: QuerySpec): number {
    return spec.limit !== undefined && spec.limit <= SMALL_QUERY ? this.reads.committedRows(spec).length : this.reads.committed.rows(spec).length;
  }

  /** `JSON.stringify(doc)` of a document a commit's listeners were given as written (nobody changes it after): the hub's frames reuse it. */
  storedText(doc: object): string | undefined {
    return this.texts.get(doc);
  }

  /** The query's documents as stored (JSON text), so a snapshot can be sent without serialising them again. */
  queryTexts(spec: QuerySpec): string[] {
    return this.reads.committed.rows(spec).map((r) => r.data);
  }

  /** The query's documents as stored (UTF-8 bytes), each with the values of `fields` read by SQLite (`CommittedQueries.rowsWith`). */
  queryBytesWith(spec: QuerySpec, fields: readonly string[]): { id: string; bytes: Buffer; values: unknown[] }[] {
    return this.reads.committed.rowsWith(spec, fields);
  }

  /** The query's document ids, each with the values of `fields`, without the documents (`queryBytesWith`'s places alone). */
  queryPlaces(spec: QuerySpec, fields: readonly string[]): { id: string; values: unknown[] }[] {
    return this.reads.committed.rowsWith(spec, fields, false);
  }

  transaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
    if (this.closed) return Promise.reject(new CommandError('aborted', 'The server is shutting down'));
    return new Promise<T>((resolve, reject) => {
      const settle = (error: unknown, result?: T) => (error === undefined ? resolve(result as T) : reject(error as Error));
      const run = this.queue.then(() => this.stage(fn, settle, false));
      this.queue = run.catch(() => undefined);
    });
  }

  /**
   * A document as a transaction sees it. Configuration and team documents (settings, channels, sectors, users,
   * catalogues: `VALIDATED` in core) go through their schema, so model defaults apply to old documents and a malformed one is a clear
   * `failed-precondition` naming the document and field, never a crash deep in a command (issue 9, point 5).
   */
  private docOf<C extends CollectionName>(collection: C, key: string, text: string): Doc<C> {
    if (!VALIDATED[collection]) return this.reads.parsed(key, text) as Doc<C>;
    const known = this.validated.get(key);
    // A copy of the parsed document (a fifth of JSON.parse's cost for the settings read by every message).
    if (known?.text === text) return clonePlain(known.valid) as unknown as Doc<C>;
    try {
      const valid = readValidated(collection, JSON.parse(text) as Doc<C>);
      if (this.validated.size >= 1000) this.validated.clear();
      // Stored as JSON would give it back (no undefined fields), and never handed out itself.
      this.validated.set(key, { text, valid: JSON.parse(JSON.stringify(valid)) as AnyDoc });
      return valid;
    } catch (error) {
      if (error instanceof CommandError) this.onMalformed?.({ path: key, message: error.message, issues: error.issues });
      throw error;
    }
  }

  /** Runs `fn` again after its group was rolled back, behind the transactions already queued. */
  private restage<T>(fn: (tx: Tx) => Promise<T>, settle: (error: unknown, result?: T) => void): void {
    const run = this.queue.then(() => this.stage(fn, settle, true));
    this.queue = run.catch(() => undefined);
  }

  /**
   * Runs `fn`, checks its writes and stages them in the current group; `settle` is called once the group is committed.
   * `checkCreates`: look up every document it creates (else one nothing here knows is taken to be new; its INSERT checks).
   */
  private async stage<T>(fn: (tx: Tx) => Promise<T>, settle: (error: unknown, result?: T) => void, checkCreates: boolean): Promise<void> {
    const rerun = () => this.restage(fn, settle);
    const pending = new PendingWrites();
    // What this transaction read, as it was: the commit takes its "before" from here instead of reading again
    // (nothing else can have written in between: transactions are serialised).
    const seen = new Map<string, string | null>();
    /** Documents read as absent unread (`expectAbsent`): each must be created by an INSERT, which checks it, or be looked up after all. */
    const presumed: Presumed[] = [];
    const tx: Tx = {
      get: async (ref, hint) => {
        pending.beforeRead();
        const key = docKey(ref);
        const text = hint?.expectAbsent && !checkCreates ? this.reads.known(key) : this.reads.text(key, ref);
        if (text === undefined) presumed.push({ key, ref });
        seen.set(key, text ?? null);
        return text == null ? null : this.docOf(ref.collection, key, text);
      },
      query: async (spec) => {
        pending.beforeRead();
        return this.reads.query(spec).flatMap(({ key, text }) => {
          seen.set(key, text);
          // core validated.ts: a malformed person is left out of a query over the team (reported), not a refusal for all.
          return checkedInQuery(spec.collection, () => this.docOf(spec.collection, key, text));
        });
      },
      ...pending.writers,
    };
    let result: T;
    let writes: ResolvedWrite[];
    try {
      result = await fn(tx);
      writes = pending.resolve((k, ref, creating) => {
        const text = seen.has(k) ? seen.get(k)! : creating && !checkCreates ? (this.reads.known(k) ?? null) : this.reads.text(k, ref);
        return text === null ? null : this.reads.before(k, text);
      });
    } catch (error) {
      if (this.reads.presumedWrongly(presumed)) return this.stage(fn, settle, true);
      // It may have read staged documents: its answer waits for them to be committed too.
      this.enqueue({ writes: [], changes: [], settle: () => settle(error ?? new Error('transaction failed')), rerun });
      return;
    }
    // A document taken to be absent and not created here is looked up after all; a created one, by its INSERT.
    if (presumed.length > 0) {
      const inserted = new Set(writes.filter((w) => w.before === null && w.after !== null).map((w) => docKey(w.ref)));
      if (this.reads.presumedWrongly(presumed.filter((p) => !inserted.has(p.key)))) return this.stage(fn, settle, true);
    }
    const staged: Staged = { writes: [], changes: [], settle: (error) => settle(error, result), rerun };
    for (const { ref, before, after } of writes) {
      const text = after ? JSON.stringify(after) : null;
      if (after) this.texts.set(after, text!);
      staged.writes.push({ ref, text, before: before as AnyDoc | null, after });
      staged.changes.push({ ref, before: before as never, after: after as never });
      this.reads.overlay.put(ref, text, after);
    }
    this.enqueue(staged);
  }

  private enqueue(staged: Staged): void {
    if (this.group.length === 0 && staged.writes.length === 0) {
      staged.settle(undefined);
      return;
    }
    this.group.push(staged);
    if (this.group.length >= MAX_GROUP) this.flush();
    else if (!this.flushScheduled) {
      this.flushScheduled = true;
      nextTurn(() => {
        this.flushScheduled = false;
        this.flush();
      });
    }
  }

  /** Commits the group in one SQL transaction, then settles its callers and tells listeners, in order. */
  private flush(): void {
    const group = this.group;
    if (group.length === 0) return;
    this.group = [];
    this.reads.overlay.clear();
    this.reads.snapshot.release();
    try {
      this.db.transaction(() => {
        for (const staged of group)
          for (const w of staged.writes) {
            try {
              this.reads.rows.write(w.ref, w.text, w.before, w.after);
            } catch (error) {
              throw asCommitError(w.ref, w.before === null && w.after !== null, error);
            }
          }
      }).immediate();
    } catch (error) {
      if (error instanceof CreateConflict) {
        // Nothing of the group was applied; each transaction runs again (they may have read one another's writes).
        for (const staged of group) staged.rerun();
        return;
      }
      // Nothing of the group was applied: every transaction in it fails, as each may have read another's writes.
      for (const staged of group) staged.settle(error);
      return;
    }
    for (const staged of group) {
      for (const w of staged.writes) this.reads.committedWrite(docKey(w.ref), w.text, w.before, w.after);
      this.reads.queries.committed(
        staged.changes.map((c, i) => ({
          collection: c.ref.collection,
          key: docKey(c.ref),
          text: staged.writes[i]!.text,
          before: c.before as AnyDoc | null,
          after: c.after as AnyDoc | null,
        })),
      );
    }
    for (const staged of group) {
      if (staged.changes.length > 0)
        for (const l of this.listeners) {
          try {
            l(staged.changes);
          } catch (error) {
            // A listener's failure must not turn a committed transaction into an error.
            console.error('commit listener failed', error);
          }
        }
      staged.settle(undefined);
    }
  }
}
