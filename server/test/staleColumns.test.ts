import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Sqlite from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { refs, type Ticket } from '@atende/core';
import { migrate } from '../src/db/migrate.ts';
import { syncIndexes } from '../src/db/indexes.ts';
import { SqliteStore } from '../src/db/store.ts';

/**
 * Rows written around the store (a hand repair in SQL, an older server
 * version on this data directory) leave the index columns as they were
 * (db/columns.ts): each start compares a sample of every table with its
 * documents and sets the columns again where they disagree
 * (db/staleColumns.ts), so queries find those rows where they belong.
 */
const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const open = () => {
  const dir = mkdtempSync(join(tmpdir(), 'atende-stale-'));
  dirs.push(dir);
  const db = new Sqlite(join(dir, 'atende.db'));
  migrate(db);
  return db;
};

const ticket = (id: string, queuedAt: number) =>
  ({ id, status: 'waiting', sectorId: 'suporte', assigneeId: null, contactId: `c-${id}`, channelId: 'site', queuedAt, lastMessageAt: queuedAt, closedAt: null, idle: null }) as unknown as Ticket;

const fill = async (db: Sqlite.Database, n: number) => {
  const store = new SqliteStore(db);
  await store.transaction(async (tx) => {
    for (let i = 0; i < n; i++) tx.create(refs.ticket(`t${i}`), ticket(`t${i}`, i));
  });
  await store.close();
  store.closeReads();
};

const waitingIds = (db: Sqlite.Database) => {
  const store = new SqliteStore(db);
  const ids = store.query({ collection: 'tickets', where: [['status', '==', 'waiting']], orderBy: [['queuedAt', 'asc']] }).map((t) => t.id);
  store.closeReads();
  return ids;
};

describe('index columns left stale by writes around the store', () => {
  it('a clean data directory is only sampled: nothing is set again', async () => {
    const db = open();
    await fill(db, 300);
    expect(syncIndexes(db).columns.refilled).toEqual([]);
    db.close();
  });

  it('a row changed by hand in SQL is found where it now belongs after the next start', async () => {
    const db = open();
    await fill(db, 300);
    db.prepare(`UPDATE tickets SET data = json_set(data, '$.status', 'closed', '$.closedAt', 5) WHERE id = 't299'`).run();
    db.prepare(`UPDATE tickets SET data = json_set(data, '$.queuedAt', -1) WHERE id = 't298'`).run();
    expect(waitingIds(db)).toContain('t299'); // the stale column still says waiting
    migrate(db);
    const ids = waitingIds(db);
    expect(ids).not.toContain('t299');
    expect(ids[0]).toBe('t298');
    expect(db.prepare(`SELECT "status", "closedAt" FROM tickets WHERE id = 't299'`).get()).toEqual({ status: 'closed', closedAt: 5 });
    db.close();
  });

  it('a table whose indexes another version rebuilt has all its columns checked, old rows too', async () => {
    const db = open();
    await fill(db, 1000);
    // An older version: its own index definition, and a write to an old row that the newest-rows sample would not see.
    db.exec(`DROP INDEX "ix_tickets_status_queuedAt"`);
    db.exec(`CREATE INDEX "ix_tickets_status_queuedAt" ON tickets (json_extract(data, '$.status'), json_extract(data, '$.queuedAt'))`);
    db.prepare(`UPDATE tickets SET data = json_set(data, '$.status', 'open') WHERE id = 't3'`).run();
    const result = syncIndexes(db);
    expect(result.columns.refilled).toEqual(['tickets']);
    expect(waitingIds(db)).not.toContain('t3');
    expect(db.prepare(`SELECT "status" FROM tickets WHERE id = 't3'`).get()).toEqual({ status: 'open' });
    db.close();
  });
});
