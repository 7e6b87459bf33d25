import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Sqlite from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startCheckpointer, type Checkpointer } from '../src/db/checkpointer.ts';

/**
 * WAL checkpoints run on a worker thread: the serving connection never
 * checkpoints (its COMMITs stay short), the worker copies the WAL into the
 * database file, and the WAL is reused instead of growing.
 */
let dir: string;
let db: Sqlite.Database;
let checkpointer: Checkpointer | null = null;
const results: { log: number; checkpointed: number; restarted?: boolean }[] = [];
let onResult: (() => void) | null = null;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'atende-ckpt-'));
  db = new Sqlite(join(dir, 'atende.db'));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, data TEXT NOT NULL)');
  results.length = 0;
});
afterEach(async () => {
  await checkpointer?.stop();
  checkpointer = null;
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

const start = (walLimitPages?: number) =>
  (checkpointer = startCheckpointer(db, {
    intervalMs: 10,
    ...(walLimitPages !== undefined && { walLimitPages }),
    onCheckpoint: (r) => {
      results.push(r);
      onResult?.();
    },
  }));

/** Resolves at the worker's first report of a checkpoint that copied the whole WAL. */
const complete = () =>
  new Promise<{ log: number; checkpointed: number }>((resolve) => {
    const check = () => {
      const done = results.find((r) => r.checkpointed === r.log);
      if (done) {
        onResult = null;
        resolve(done);
      }
    };
    onResult = check;
    check();
  });

const insert = (db2: Sqlite.Database) => db2.transaction((n: number) => {
  const stmt = db2.prepare('INSERT INTO t (data) VALUES (?)');
  for (let i = 0; i < n; i++) stmt.run('x'.repeat(1000));
});

describe('WAL checkpointer', () => {
  it('takes checkpoints off the serving connection and copies the whole WAL', async () => {
    start();
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(0);
    insert(db)(800);
    const done = await complete();
    expect(done.log).toBeGreaterThan(150);
    // The next write starts the WAL over: six times as much data later, it has not grown sixfold.
    const walSize = () => statSync(join(dir, 'atende.db-wal')).size;
    const first = walSize();
    for (let round = 0; round < 6; round++) {
      results.length = 0;
      insert(db)(800);
      await complete();
    }
    expect(walSize()).toBeLessThan(first * 3);
    expect(db.prepare('SELECT count(*) AS n FROM t').get()).toEqual({ n: 5600 });
  }, 30_000);

  it('keeps the WAL bounded under a writer that never pauses', async () => {
    start(64);
    // A commit every turn of the event loop: each PASSIVE pass copies what was there when it began and the
    // writer has added more by then, so without a RESTART the WAL would only grow.
    let commits = 0;
    const restarts = () => results.filter((r) => r.restarted).length;
    const writeUntil = async (done: () => boolean) => {
      while (!done()) {
        insert(db)(16);
        await new Promise((resolve) => setImmediate(resolve));
        if (++commits > 10_000) throw new Error(`the WAL was started over ${restarts()} times in ${commits} commits`);
      }
    };
    await writeUntil(() => restarts() > 0);
    // From the first restart on (the worker's start-up is behind it), another 1,000 commits and two more restarts:
    // the WAL holds the limit plus what the writer adds during a pass — not the history.
    const from = results.length;
    const target = commits + 1000;
    await writeUntil(() => commits >= target && restarts() >= 3);
    // ~4.5 pages per commit: a WAL never started over would hold them all. How far below that it stays depends on
    // how fast the worker's passes run (on a busy CI machine one pass let ~2,500 pages in), so the bound is the
    // history, not a count of pages.
    const passes = results.slice(from).map((r) => r.log);
    expect(Math.max(...passes)).toBeLessThan(commits * 4);
    expect(db.prepare('SELECT count(*) AS n FROM t').get()).toEqual({ n: commits * 16 });
  }, 60_000);

  it('gives checkpointing back to the serving connection when the worker dies', async () => {
    await start().terminate();
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(1000);
  });
});
