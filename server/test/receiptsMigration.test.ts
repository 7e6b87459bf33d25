import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Sqlite from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { refs } from '@atende/core';
import { migrate } from '../src/db/migrate.ts';
import { SqliteStore } from '../src/db/store.ts';

/** Migration 190: receipts move into a WITHOUT ROWID table, on a data directory that already has some. */
const dir = mkdtempSync(join(tmpdir(), 'atende-receipts-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('migration 190 (receipts without rowid)', () => {
  it('keeps every receipt of an earlier data directory, and the store still finds and refuses duplicates', async () => {
    const db = new Sqlite(join(dir, 'atende.db'));
    migrate(db);
    // The layout before 190: a rowid table with a key index, holding receipts.
    db.exec(`DROP TABLE receipts; CREATE TABLE receipts (id TEXT PRIMARY KEY, parent_id TEXT NOT NULL DEFAULT '', data TEXT NOT NULL)`);
    db.prepare('DELETE FROM schema_migrations WHERE version = 190').run();
    const insert = db.prepare(`INSERT INTO receipts (id, parent_id, data) VALUES (?, '', ?)`);
    for (let i = 0; i < 50; i++) insert.run(`r${i}`, JSON.stringify({ id: `r${i}`, ticketId: `t${i}`, messageId: `m${i}`, at: i }));
    const withoutRowid = () => (db.prepare(`SELECT sql FROM sqlite_master WHERE name = 'receipts'`).get() as { sql: string }).sql.includes('WITHOUT ROWID');
    expect(withoutRowid()).toBe(false);

    expect(migrate(db)).toEqual(['190_receipts_without_rowid.sql']);

    expect(withoutRowid()).toBe(true);
    expect(db.prepare('SELECT count(*) AS n FROM receipts').get()).toEqual({ n: 50 });
    const store = new SqliteStore(db);
    expect(store.get(refs.receipt('r7'))).toEqual({ id: 'r7', ticketId: 't7', messageId: 'm7', at: 7 });
    await expect(store.transaction(async (tx) => void tx.create(refs.receipt('r7'), { id: 'r7', ticketId: 'x', messageId: 'y', at: 1 }))).rejects.toMatchObject({ code: 'already-exists' });
    await store.transaction(async (tx) => void tx.create(refs.receipt('r50'), { id: 'r50', ticketId: 't', messageId: 'm', at: 50 }));
    expect(store.get(refs.receipt('r50'))?.messageId).toBe('m');
    await store.close();
    db.close();
  });
});
