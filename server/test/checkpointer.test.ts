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
const results: { log: number; checkpointed: number }[] = [];
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

const start = () =>
  (checkpointer = startCheckpointer(db, {
    intervalMs: 10,
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

  it('gives checkpointing back to the serving connection when the worker dies', async () => {
    await start().terminate();
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(1000);
  });
});
