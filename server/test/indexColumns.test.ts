import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Sqlite from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { collectionNames, INDEXES, refs, runQuery, type QuerySpec } from '@atende/core';
import { columnsOf, columnValue } from '../src/db/columns.ts';
import { migrate } from '../src/db/migrate.ts';
import { SqliteStore } from '../src/db/store.ts';

/**
 * The indexed fields as columns beside the document (db/columns.ts): a data
 * directory of an earlier version (JSON expression indexes, no columns)
 * upgrades at its next start, its documents' fields copied into the new
 * columns; and from then on every write keeps the columns equal to the
 * document, while an UPDATE sets only the columns that changed.
 */
const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const open = () => {
  const dir = mkdtempSync(join(tmpdir(), 'atende-columns-'));
  dirs.push(dir);
  return new Sqlite(join(dir, 'atende.db'));
};

/** The schema the previous version left: every migration, no columns, the list's indexes on json_extract. */
const previousVersion = (db: Sqlite.Database) => {
  migrate(db);
  for (const { name } of db.prepare(`SELECT name FROM sqlite_master WHERE type = 'index' AND name LIKE 'ix_%'`).all() as { name: string }[]) db.exec(`DROP INDEX "${name}"`);
  for (const c of collectionNames) for (const path of columnsOf(c)) db.exec(`ALTER TABLE "${c}" DROP COLUMN "${path}"`);
  for (const i of INDEXES.filter((x) => x.on.includes('sqlite') && x.collection !== 'customerTickets')) {
    const name = `ix_${i.collection}_${i.fields.map(([p]) => p.replace(/\./g, '_')).join('_')}`;
    const terms = i.fields.map(([p]) => (p === 'parent' ? 'parent_id' : p === 'id' ? 'id' : `json_extract(data, '$.${p}')`));
    db.exec(`CREATE INDEX IF NOT EXISTS "${name}" ON "${i.collection}" (${terms.join(', ')})`);
  }
};

const ticket = (id: string, fields: Record<string, unknown>) =>
  ({ id, status: 'waiting', sectorId: 'suporte', assigneeId: null, contactId: `c-${id}`, channelId: 'site', queuedAt: 1000, lastMessageAt: 2000, closedAt: null, idle: null, ...fields }) as Record<string, unknown> & { id: string };

const TICKETS = [
  ticket('t1', { queuedAt: 3000 }),
  ticket('t2', { queuedAt: 1000 }),
  ticket('t3', { status: 'open', assigneeId: 'ana', lastMessageAt: 5000, queuedAt: 500 }),
  ticket('t4', { status: 'closed', sectorId: 'financeiro', closedAt: 9000, assigneeId: 'bruno' }),
  ticket('t5', { sectorId: 'financeiro', queuedAt: 2000 }),
  // Not of the model's types: the columns must hold only what compares exactly.
  ticket('t6', { status: true, sectorId: ['suporte'], queuedAt: '1500' }),
];

const columnRows = (db: Sqlite.Database, collection: string) => {
  const paths = columnsOf(collection as never);
  return (db.prepare(`SELECT data, ${paths.map((p) => `"${p}"`).join(', ')} FROM "${collection}"`).all() as Record<string, unknown>[]).map((row) => ({
    stored: paths.map((p) => row[p]),
    projected: paths.map((p) => columnValue(JSON.parse(row.data as string) as Record<string, unknown>, p)),
  }));
};

describe('indexed fields as columns', () => {
  it('an earlier data directory upgrades: columns filled from its documents, indexes rebuilt on them, queries unchanged', async () => {
    const db = open();
    previousVersion(db);
    const insert = db.prepare(`INSERT INTO tickets (id, parent_id, data) VALUES (?, '', ?)`);
    for (const t of TICKETS) insert.run(t.id, JSON.stringify(t));
    db.prepare(`INSERT INTO messages (id, parent_id, data) VALUES ('m1', 't1', ?)`).run(JSON.stringify({ id: 'm1', ticketId: 't1', createdAt: 10, clientId: null, delivery: { dueAt: 77 } }));
    expect(columnsOf('tickets')).toEqual(expect.arrayContaining(['status', 'sectorId', 'queuedAt', 'lastMessageAt', 'assigneeId']));

    migrate(db);

    for (const c of ['tickets', 'messages']) for (const row of columnRows(db, c)) expect(row.stored).toEqual(row.projected);
    const indexSql = (db.prepare(`SELECT sql FROM sqlite_master WHERE type = 'index' AND name LIKE 'ix_%'`).all() as { sql: string }[]).map((r) => r.sql);
    expect(indexSql.length).toBeGreaterThan(10);
    expect(indexSql.filter((sql) => sql.includes('json_extract'))).toEqual([]);

    const store = new SqliteStore(db);
    const docs = TICKETS as never[];
    const specs: QuerySpec[] = [
      { collection: 'tickets', where: [['status', '==', 'waiting'], ['sectorId', 'in', ['suporte', 'financeiro']]], orderBy: [['queuedAt', 'asc']], limit: 100 },
      { collection: 'tickets', where: [['assigneeId', '==', 'ana'], ['status', '==', 'open']], orderBy: [['lastMessageAt', 'desc']] },
      { collection: 'tickets', where: [['status', '==', 'closed'], ['sectorId', '==', 'financeiro']], orderBy: [['closedAt', 'desc']] },
      { collection: 'tickets', where: [['queuedAt', '>=', 1000]], orderBy: [] },
    ];
    for (const spec of specs) expect(store.query(spec).map((t) => t.id), JSON.stringify(spec.where)).toEqual(runQuery(spec, docs).map((t) => (t as { id: string }).id));
    expect(store.query({ collection: 'messages', where: [['delivery.dueAt', '<=', 100]], orderBy: [['delivery.dueAt', 'asc']] }).map((m) => m.id)).toEqual(['m1']);
    await store.close();
    db.close();
  });

  it('every write keeps the columns equal to the document, and an update sets only the columns that changed', async () => {
    const db = open();
    migrate(db);
    const store = new SqliteStore(db);
    const ref = refs.ticket('t1');
    await store.transaction(async (tx) => void tx.create(ref, ticket('t1', {}) as never));
    // SQLite fires `UPDATE OF <column>` triggers when the column is in the SET clause, changed or not.
    db.exec('CREATE TABLE column_sets (name TEXT)');
    for (const path of columnsOf('tickets'))
      db.exec(`CREATE TRIGGER "set_${path}" AFTER UPDATE OF "${path}" ON tickets BEGIN INSERT INTO column_sets VALUES ('${path}'); END`);
    const sets = () => (db.prepare('DELETE FROM column_sets RETURNING name').all() as { name: string }[]).map((r) => r.name).sort();
    const before = db.prepare(`SELECT rowid AS r, "status", "queuedAt" FROM tickets WHERE id = 't1'`).get();
    // A message's worth of change: preview and time, not status or sector.
    await store.transaction(async (tx) => {
      const t = (await tx.get(ref))!;
      tx.set(ref, { ...t, lastMessageAt: 2500, lastMessage: { text: 'oi', direction: 'in', at: 2500 } } as never);
    });
    expect(columnRows(db, 'tickets')[0]!.stored).toEqual(columnRows(db, 'tickets')[0]!.projected);
    expect(db.prepare(`SELECT rowid AS r, "status", "queuedAt" FROM tickets WHERE id = 't1'`).get()).toEqual(before);
    expect(db.prepare(`SELECT "lastMessageAt" AS v FROM tickets WHERE id = 't1'`).get()).toEqual({ v: 2500 });
    expect(sets()).toEqual(['lastMessageAt']);
    await store.transaction(async (tx) => {
      const t = (await tx.get(ref))!;
      tx.set(ref, { ...t, status: 'open', assigneeId: 'ana', sectorId: null } as never);
    });
    expect(db.prepare(`SELECT "status", "assigneeId", "sectorId" FROM tickets WHERE id = 't1'`).get()).toEqual({ status: 'open', assigneeId: 'ana', sectorId: null });
    expect(sets()).toEqual(['assigneeId', 'sectorId', 'status']);
    await store.transaction(async (tx) => void tx.delete(ref));
    expect(db.prepare(`SELECT count(*) AS n FROM tickets`).get()).toEqual({ n: 0 });
    await store.close();
    db.close();
  });

  it('queryBytesWith and queryPlaces read the placing fields from the columns, and from the JSON where a column holds nothing', async () => {
    const db = open();
    migrate(db);
    const store = new SqliteStore(db);
    const docs = [ticket('a', { queuedAt: 1 }), ticket('b', { queuedAt: 2, sectorId: null }), ticket('c', { queuedAt: 3, assigneeId: true })];
    delete docs[0]!.sectorId;
    await store.transaction(async (tx) => {
      for (const d of docs) tx.create(refs.ticket(d.id), d as never);
    });
    const fields = ['status', 'sectorId', 'queuedAt', 'assigneeId', 'lastMessage'];
    const rows = store.queryBytesWith({ collection: 'tickets', where: [['status', '==', 'waiting']], orderBy: [['queuedAt', 'asc']] }, fields);
    expect(rows.map((r) => r.values)).toEqual(docs.map((d) => fields.map((f) => d[f])));
    expect(rows.map((r) => JSON.parse(r.bytes.toString('utf8')) as unknown)).toEqual(docs);
    // The places alone (a full window read again): the same ids and values, no document read.
    const places = store.queryPlaces({ collection: 'tickets', where: [['status', '==', 'waiting']], orderBy: [['queuedAt', 'asc']] }, fields);
    expect(places.map((r) => [r.id, r.values])).toEqual(rows.map((r) => [r.id, r.values]));
    expect(places.map((r) => (r as { bytes?: unknown }).bytes ?? null)).toEqual([null, null, null]);
    await store.close();
    db.close();
  });
});
