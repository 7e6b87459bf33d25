import type { Database, Statement } from 'better-sqlite3';
import { CommandError, collectionNames, docKey, PendingWrites, type Change, type CollectionName, type Doc, type DocRef, type QuerySpec, type Store, type Tx } from '@atende/core';
import { tableOf, translate } from './sql.ts';

type AnyDoc = { id: string } & Record<string, unknown>;


interface Statements {
  get: Statement<[string, string], { data: string }>;
  upsert: Statement<[string, string, string]>;
  remove: Statement<[string, string]>;
}

/**
 * The core Store port on SQLite, with MemoryStore's semantics: reads before
 * writes, all-or-nothing commits, serialised transactions, and the list of
 * changes handed to listeners after every commit.
 *
 * Transactions are serialised by a promise queue (this process is the only
 * writer), so the reads inside one see exactly the committed state; its
 * writes are checked, then applied in one `BEGIN IMMEDIATE … COMMIT`. No SQL
 * transaction stays open across an `await`: other statements on the same
 * connection (sessions, files) never end up inside a command's transaction.
 */
export class SqliteStore implements Store {
  private queue: Promise<unknown> = Promise.resolve();
  private readonly listeners = new Set<(changes: Change[]) => void>();
  private readonly statements = new Map<CollectionName, Statements>();
  private readonly queryCache = new Map<string, Statement>();
  private closed = false;

  constructor(readonly db: Database) {
    for (const c of collectionNames) {
      const t = tableOf(c);
      this.statements.set(c, {
        get: db.prepare(`SELECT data FROM ${t} WHERE parent_id = ? AND id = ?`),
        upsert: db.prepare(`INSERT INTO ${t} (id, parent_id, data) VALUES (?, ?, ?) ON CONFLICT DO UPDATE SET data = excluded.data`),
        remove: db.prepare(`DELETE FROM ${t} WHERE parent_id = ? AND id = ?`),
      });
    }
  }

  onCommit(listener: (changes: Change[]) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Waits for the running and queued transactions, then refuses new ones. */
  async close(): Promise<void> {
    this.closed = true;
    await this.queue;
  }

  /** A read outside transactions: the committed state. */
  get<C extends CollectionName>(ref: DocRef<C>): Doc<C> | null {
    const text = this.getText(ref);
    return text === null ? null : (JSON.parse(text) as Doc<C>);
  }

  query<C extends CollectionName>(spec: QuerySpec<C>): Doc<C>[] {
    return this.queryRows(spec).map((r) => JSON.parse(r.data) as Doc<C>);
  }

  /** The query's documents as stored (JSON text), so a snapshot can be sent without serialising them again. */
  queryTexts(spec: QuerySpec): string[] {
    return this.queryRows(spec).map((r) => r.data);
  }

  private getText(ref: DocRef): string | null {
    return this.stmts(ref.collection).get.get(ref.parentId ?? '', ref.id)?.data ?? null;
  }

  private queryRows(spec: QuerySpec): { id: string; parent_id: string; data: string }[] {
    const sql = translate(spec, { typedFields: true });
    let stmt = this.queryCache.get(sql.text);
    if (!stmt) {
      stmt = this.db.prepare(sql.text);
      if (this.queryCache.size > 500) this.queryCache.clear();
      this.queryCache.set(sql.text, stmt);
    }
    const rows = stmt.all(...sql.params) as { id: string; parent_id: string; data: string }[];
    return sql.reversed ? rows.reverse() : rows;
  }

  transaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
    if (this.closed) return Promise.reject(new CommandError('aborted', 'The server is shutting down'));
    const run = this.queue.then(() => this.runTransaction(fn));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private stmts(c: CollectionName): Statements {
    const s = this.statements.get(c);
    if (!s) throw new Error(`unknown collection ${c}`);
    return s;
  }

  private async runTransaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
    const pending = new PendingWrites();
    // What this transaction read, as stored: the commit takes its "before" from here instead of reading again
    // (nothing else can have written in between: transactions are serialised).
    const seen = new Map<string, string | null>();
    const tx: Tx = {
      get: async (ref) => {
        pending.beforeRead();
        const text = this.getText(ref);
        seen.set(docKey(ref), text);
        return text === null ? null : JSON.parse(text);
      },
      query: async (spec) => {
        pending.beforeRead();
        return this.queryRows(spec).map((row) => {
          seen.set(`${spec.collection}/${row.parent_id}/${row.id}`, row.data);
          return JSON.parse(row.data);
        });
      },
      ...pending.writers,
    };
    const result = await fn(tx);
    const changes = this.db.transaction(() => this.commit(pending, seen)).immediate();
    if (changes.length === 0) return result;
    for (const l of this.listeners) {
      try {
        l(changes);
      } catch (error) {
        // A listener's failure must not turn a committed transaction into an error.
        console.error('commit listener failed', error);
      }
    }
    return result;
  }

  /** Resolves every write (throwing before anything is applied if one is invalid), then applies them. */
  private commit(pending: PendingWrites, seen: ReadonlyMap<string, string | null>): Change[] {
    const next = pending.resolve((k, ref) => {
      const text = seen.has(k) ? seen.get(k)! : this.getText(ref);
      return text === null ? null : (JSON.parse(text) as AnyDoc);
    });
    const changes: Change[] = [];
    for (const { ref, before, after } of next) {
      const s = this.stmts(ref.collection);
      if (after) s.upsert.run(ref.id, ref.parentId ?? '', JSON.stringify(after));
      else s.remove.run(ref.parentId ?? '', ref.id);
      if (ref.collection === 'contacts') this.indexIdentities(ref.id, after);
      changes.push({ ref, before: before as never, after: after as never });
    }
    return changes;
  }

  private identityStatements: { clear: Statement<[string]>; insert: Statement<[string, string]> } | null = null;

  private indexIdentities(contactId: string, after: AnyDoc | null): void {
    this.identityStatements ??= {
      clear: this.db.prepare('DELETE FROM contact_identities WHERE contact_id = ?'),
      insert: this.db.prepare('INSERT OR IGNORE INTO contact_identities (identity_key, contact_id) VALUES (?, ?)'),
    };
    const { clear, insert } = this.identityStatements;
    clear.run(contactId);
    const keys = after && Array.isArray(after.identityKeys) ? (after.identityKeys as unknown[]) : [];
    for (const k of keys) if (typeof k === 'string') insert.run(k, contactId);
  }
}
