import Sqlite, { type Database, type Statement } from 'better-sqlite3';

/** Taken at load, so a test's fake timers never hold a read transaction open. */
const nextTurn = globalThis.setImmediate;

/**
 * The store's reads of committed state, on a read-only connection of their
 * own, inside one read transaction per turn of the event loop: a read
 * outside a transaction pays for starting and ending SQLite's implicit one
 * (shared-memory marks and file locks), several times what finding the row
 * costs, and every message reads a few rows that are not there (its receipt,
 * its new id). The transaction ends at the end of the turn, and before the
 * store commits (`release()`; the store is the only writer of its tables), so
 * a read never sees a state older than the last commit, and the writer finds
 * no reader in the WAL when it may start it over. A connection of its own, because statements run on the
 * serving connection while the transaction was open would join it: a
 * session written there would be on disk only when the turn ends, maybe
 * after its answer left.
 *
 * WAL only (a reader holding a snapshot does not block the writer there);
 * an in-memory or rollback-journal database reads on the serving connection.
 */
export class ReadSnapshot {
  readonly db: Database;
  private readonly own: boolean;
  private begin: Statement | null = null;
  private end: Statement | null = null;
  private open = false;

  constructor(serving: Database) {
    const wal = serving.memory === false && String(serving.pragma('journal_mode', { simple: true })).toLowerCase() === 'wal';
    this.own = wal;
    this.db = wal ? new Sqlite(serving.name, { readonly: true, fileMustExist: true }) : serving;
  }

  /** Call before a read: starts this turn's read transaction if none is open. */
  reading(): void {
    if (!this.own || this.open) return;
    this.begin ??= this.db.prepare('BEGIN');
    this.end ??= this.db.prepare('COMMIT');
    this.begin.run();
    this.open = true;
    nextTurn(() => this.release());
  }

  /** Ends the read transaction (the store is about to commit, or the turn ended): the next read takes a new snapshot. */
  release(): void {
    if (!this.open) return;
    this.open = false;
    this.end!.run();
  }

  close(): void {
    this.release();
    if (this.own) this.db.close();
  }
}
