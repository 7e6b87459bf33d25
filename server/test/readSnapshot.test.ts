import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Sqlite from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { refs, type Tag } from '@atende/core';
import { migrate } from '../src/db/migrate.ts';
import { SqliteStore } from '../src/db/store.ts';

/**
 * The store reads committed state on a read-only connection, in one read
 * transaction per turn of the event loop (db/readSnapshot.ts): a read never
 * misses a commit, the serving connection's own statements are not held in
 * it, and the WAL can still be checkpointed and started over.
 */
let dir: string;
let db: Sqlite.Database;
let store: SqliteStore;
const tag = (id: string): Tag => ({ id, name: id, color: '#123456', updatedAt: 1 });
const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'atende-snapshot-'));
  db = new Sqlite(join(dir, 'atende.db'));
  db.pragma('journal_mode = WAL');
  db.pragma('wal_autocheckpoint = 0');
  migrate(db);
  store = new SqliteStore(db);
});
afterEach(async () => {
  await store.close();
  store.closeReads();
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the store’s read snapshot', () => {
  it('sees every commit, even one made after a read of the same turn', async () => {
    expect(store.get(refs.tag('a'))).toBeNull();
    expect(store.query({ collection: 'tags', where: [], orderBy: [] })).toEqual([]);
    await store.transaction(async (tx) => {
      tx.create(refs.tag('a'), tag('a'));
      tx.create(refs.tag('b'), tag('b'));
    });
    // 'b' was never read: it comes from SQLite, through the snapshot.
    expect(store.get(refs.tag('b'))).toEqual(tag('b'));
    expect(store.query({ collection: 'tags', where: [], orderBy: [] }).map((t) => t.id)).toEqual(['a', 'b']);
  });

  it('sees a group committed in the middle of the turn in which it read', async () => {
    await turn();
    expect(store.get(refs.tag('zz'))).toBeNull(); // this turn's read transaction starts here
    // A full group (128) commits at once, in this same turn, and its callers go on in this turn's microtasks.
    await Promise.all(Array.from({ length: 128 }, (_, i) => store.transaction(async (tx) => void tx.create(refs.tag(`t${i}`), tag(`t${i}`)))));
    expect(store.get(refs.tag('t5'))).toEqual(tag('t5'));
    expect(store.query({ collection: 'tags', where: [], orderBy: [] })).toHaveLength(128);
  });

  it('leaves the serving connection’s own statements out of it: they are on disk at once', async () => {
    db.exec('CREATE TABLE scratch (v TEXT)');
    expect(store.get(refs.tag('x'))).toBeNull(); // opens this turn's read transaction
    db.prepare(`INSERT INTO scratch VALUES ('written')`).run();
    expect(db.inTransaction).toBe(false);
    const other = new Sqlite(join(dir, 'atende.db'), { readonly: true });
    expect(other.prepare('SELECT v FROM scratch').all()).toEqual([{ v: 'written' }]);
    other.close();
  });

  it('lets a checkpoint take the whole WAL once the turn is over, so the WAL starts over', async () => {
    for (let i = 0; i < 20; i++) {
      store.get(refs.tag(`r${i}`));
      await store.transaction(async (tx) => void tx.create(refs.tag(`r${i}`), tag(`r${i}`)));
    }
    store.get(refs.tag('none'));
    await turn();
    const [full] = db.pragma('wal_checkpoint(PASSIVE)') as { busy: number; log: number; checkpointed: number }[];
    expect(full!.log).toBeGreaterThan(20);
    expect(full!.checkpointed).toBe(full!.log);
    await store.transaction(async (tx) => void tx.create(refs.tag('after'), tag('after')));
    const [restarted] = db.pragma('wal_checkpoint(PASSIVE)') as { log: number }[];
    expect(restarted!.log).toBeLessThan(full!.log);
  });
});
