import Database from 'better-sqlite3';
import type { QuerySpec } from '@atende/core';
import { afterAll, describe, expect, it } from 'vitest';
import { sqliteIndexes, syncIndexes } from '../src/db/indexes.ts';
import { migrate } from '../src/db/migrate.ts';
import { translate } from '../src/db/sql.ts';
import { catalogueSpecs, commandSpecs } from '../../functions/test/support/querySpecs.ts';

/**
 * Issue 9, point 5: every query Atende runs on SQLite is served by an index.
 * A new catalogue query without one would scan its whole table on every
 * snapshot — fine on a demo, minutes on a year of tickets — and nothing
 * else would notice. SQLite's own planner judges, on the migrated schema.
 */
const db = new Database(':memory:');
migrate(db);
afterAll(() => db.close());

/**
 * The plan's lines that read a whole table, e.g. `SCAN tickets` (a `SCAN … USING INDEX` walks an index in order, which is fine).
 * A query with no filter and no limit asks for the whole collection (the catalogues: users, sectors, tags…): reading it all is the point.
 */
const fullScans = (spec: QuerySpec): string[] => {
  if (spec.where.length === 0 && spec.parentId === undefined && spec.limit === undefined && spec.limitToLast === undefined) return [];
  const sql = translate(spec, { typedFields: true });
  const plan = db.prepare(`EXPLAIN QUERY PLAN ${sql.text}`).all(...sql.params) as { detail: string }[];
  return plan.map((row) => row.detail).filter((detail) => /^SCAN \S+$/.test(detail));
};

describe('SQLite query plans', () => {
  it('every catalogue query, for every role and filter, searches an index', async () => {
    const specs = await catalogueSpecs();
    expect(specs.length).toBeGreaterThan(40);
    const scanning = specs.flatMap(({ label, spec }) => fullScans(spec).map((scan) => `${label}: ${scan}`));
    expect(scanning).toEqual([]);
  });

  it('every query a command runs inside its transaction searches an index', async () => {
    const specs = await commandSpecs();
    expect(specs.length).toBeGreaterThan(5);
    const scanning = specs.flatMap(({ label, spec }) => fullScans(spec).map((scan) => `${label}: ${scan}`));
    expect(scanning).toEqual([]);
  });

  it('would notice a query no index serves', () => {
    const unindexed: QuerySpec = { collection: 'tickets', where: [['priority', '==', 'alta']], orderBy: [['priority', 'asc']] };
    expect(fullScans(unindexed)).toEqual(['SCAN tickets']);
  });
});

describe('indexes from core’s one list', () => {
  it('exist on the migrated database, each under its ix_ name, and nothing hand-written is left', () => {
    const names = (db.prepare(`SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name NOT IN ('sessions', 'files', 'contact_identities')`).all() as { name: string }[]).map((r) => r.name);
    expect(names.sort()).toEqual(sqliteIndexes().map((i) => i.name).sort());
  });

  it('follow the list when it changes: a removed index is dropped, a new one created', () => {
    const scratch = new Database(':memory:');
    migrate(scratch);
    scratch.exec(`CREATE INDEX "ix_tickets_gone" ON tickets (json_extract(data, '$.gone'))`);
    scratch.exec(`DROP INDEX "${sqliteIndexes()[0]!.name}"`);
    const none = { added: [], dropped: [], refilled: [] };
    expect(syncIndexes(scratch)).toEqual({ created: [sqliteIndexes()[0]!.name], dropped: ['ix_tickets_gone'], columns: none });
    expect(syncIndexes(scratch)).toEqual({ created: [], dropped: [], columns: none });
    scratch.close();
  });
});
