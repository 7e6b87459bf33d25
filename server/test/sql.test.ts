import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Sqlite from 'better-sqlite3';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runQuery, type QuerySpec, type Scalar, type WhereOp } from '@atende/core';
import { migrate } from '../src/db/migrate.ts';
import { translate } from '../src/db/sql.ts';
import { columnValue } from '../src/db/columns.ts';

/**
 * The SQL translation must mean exactly what core `runQuery` means, on data
 * of mixed types too (Firestore's typed comparisons and cross-type order).
 */
let dir: string;
let db: Sqlite.Database;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'atende-sql-'));
  db = new Sqlite(join(dir, 'atende.db'));
  migrate(db);
  for (const c of COLUMNS) db.exec(`ALTER TABLE tags ADD COLUMN "${c}"`);
});
afterAll(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

// A small alphabet, so that equal values and ties are frequent; with a character above
// U+FFFF and one just below it, where UTF-16 order and code point order disagree.
const scalar: fc.Arbitrary<Scalar> = fc.oneof(
  fc.constantFrom<Scalar>(null, true, false, 0, 1, 2, -1, 1.5, '', 'a', 'b', 'ab', 'B', 'ç'),
  fc.integer({ min: -3, max: 3 }),
  fc.string({ unit: fc.constantFrom('a', 'b', 'c', 'é', '\uf8ff', '😀'), maxLength: 3 }),
);
const doc = fc.record(
  {
    x: scalar,
    y: scalar,
    tags: fc.oneof(fc.array(scalar, { maxLength: 3 }), scalar),
    nested: fc.record({ z: scalar }, { requiredKeys: [] }),
  },
  { requiredKeys: [] },
);
const docs = fc.uniqueArray(doc, { maxLength: 25, selector: () => Math.random() }).map((ds) => ds.map((d, i) => ({ id: `d${String(i).padStart(2, '0')}${i % 3 === 0 ? 'z' : ''}`, ...d })));

const field = fc.constantFrom('x', 'y', 'nested.z', 'id');
const where = fc.oneof(
  fc.tuple(field, fc.constantFrom<WhereOp>('==', '!=', '<', '<=', '>', '>='), scalar),
  fc.tuple(field, fc.constant<WhereOp>('in'), fc.array(scalar, { minLength: 1, maxLength: 4 })),
  fc.tuple(fc.constant('tags'), fc.constant<WhereOp>('array-contains'), scalar),
  fc.tuple(fc.constant('tags'), fc.constant<WhereOp>('array-contains-any'), fc.array(scalar, { minLength: 1, maxLength: 3 })),
);
const spec = fc
  .record({
    where: fc.array(where, { maxLength: 2 }),
    orderBy: fc.array(fc.tuple(fc.constantFrom('x', 'y', 'nested.z', 'id'), fc.constantFrom<'asc' | 'desc'>('asc', 'desc')), { maxLength: 2 }),
    limit: fc.option(fc.integer({ min: 1, max: 10 }), { nil: undefined }),
    fromEnd: fc.boolean(),
    startAfter: fc.option(fc.array(scalar, { minLength: 1, maxLength: 2 }), { nil: undefined }),
    endBefore: fc.option(fc.array(scalar, { minLength: 1, maxLength: 2 }), { nil: undefined }),
  })
  .map(({ where: w, orderBy, limit, fromEnd, startAfter, endBefore }): QuerySpec => {
    const s: QuerySpec = { collection: 'tags', where: w as QuerySpec['where'], orderBy };
    const withLimit = limit === undefined ? s : fromEnd && orderBy.length > 0 ? { ...s, limitToLast: limit } : { ...s, limit };
    return {
      ...withLimit,
      ...(startAfter && orderBy.length > 0 ? { startAfter } : {}),
      ...(endBefore && orderBy.length > 0 ? { endBefore } : {}),
    };
  });

// The same fields as columns beside the document, as the store keeps its indexed fields (db/columns.ts).
const COLUMNS = ['x', 'y', 'nested.z'];

const viaSql = (s: QuerySpec, columns: readonly string[] = []): string[] => {
  const sql = translate(s, { columns: new Set(columns) });
  const rows = (db.prepare(sql.text).all(...sql.params) as { data: string }[]).map((r) => (JSON.parse(r.data) as { id: string }).id);
  return sql.reversed ? rows.reverse() : rows;
};

const load = (ds: { id: string }[]) => {
  db.exec('DELETE FROM tags');
  const insert = db.prepare(`INSERT INTO tags (id, parent_id, data, ${COLUMNS.map((c) => `"${c}"`).join(', ')}) VALUES (?, ?, ?, ?, ?, ?)`);
  for (const d of ds) insert.run(d.id, '', JSON.stringify(d), ...COLUMNS.map((c) => columnValue(d, c)));
};

describe('QuerySpec → SQL', () => {
  it('returns what core runQuery returns, in the same order, on random data and queries', () => {
    fc.assert(
      fc.property(docs, fc.array(spec, { minLength: 1, maxLength: 8 }), (ds, specs) => {
        load(ds);
        for (const s of specs) expect(viaSql(s), JSON.stringify(s)).toEqual(runQuery(s, ds).map((d) => d.id));
      }),
      { numRuns: 200 },
    );
  }, 60_000);

  it('means the same when the fields are columns beside the document (strings and numbers on the column, the rest on the JSON)', () => {
    fc.assert(
      fc.property(docs, fc.array(spec, { minLength: 1, maxLength: 8 }), (ds, specs) => {
        load(ds);
        for (const s of specs) expect(viaSql(s, COLUMNS), JSON.stringify(s)).toEqual(runQuery(s, ds).map((d) => d.id));
      }),
      { numRuns: 200 },
    );
  }, 60_000);

  it('keeps Firestore typing on hand-picked cases', () => {
    const ds = [
      { id: 'a', x: 1 },
      { id: 'b', x: true },
      { id: 'c', x: '1' },
      { id: 'd', x: null },
      { id: 'e' },
      { id: 'f', x: [1] },
      { id: 'g', x: 0 },
      { id: 'h', x: false },
    ];
    load(ds);
    const check = (s: Omit<QuerySpec, 'collection'>) => expect(viaSql({ collection: 'tags', ...s })).toEqual(runQuery({ collection: 'tags', ...s }, ds).map((d) => d.id));
    check({ where: [['x', '==', 1]], orderBy: [] });
    check({ where: [['x', '==', true]], orderBy: [] });
    check({ where: [['x', '==', null]], orderBy: [] });
    check({ where: [['x', '!=', 1]], orderBy: [] });
    check({ where: [['x', '>=', 0]], orderBy: [] });
    check({ where: [['x', 'in', [1, '1', null]]], orderBy: [] });
    check({ where: [], orderBy: [['x', 'asc']] });
    check({ where: [], orderBy: [['x', 'desc']], limit: 3 });
    check({ where: [], orderBy: [['x', 'asc']], startAfter: [false] });
    expect(viaSql({ collection: 'tags', where: [['x', '==', 1]], orderBy: [] })).toEqual(['a']);
  });

  it('uses the expression indexes for the catalogue queries', () => {
    const plan = (s: QuerySpec) => {
      const sql = translate(s, { typedFields: true });
      return (db.prepare(`EXPLAIN QUERY PLAN ${sql.text}`).all(...sql.params) as { detail: string }[]).map((r) => r.detail).join(' | ');
    };
    expect(plan({ collection: 'tickets', where: [['status', '==', 'waiting'], ['sectorId', 'in', ['a', 'b']]], orderBy: [['queuedAt', 'asc']], limit: 100 })).toMatch(
      /USING INDEX ix_tickets_status_(sectorId_)?queuedAt/,
    );
    expect(plan({ collection: 'tickets', where: [['assigneeId', '==', 'ana'], ['status', '==', 'open']], orderBy: [['lastMessageAt', 'desc']], limit: 100 })).toMatch(
      /USING INDEX ix_tickets_assigneeId_status_lastMessageAt/,
    );
    expect(plan({ collection: 'messages', parentId: 't1', where: [], orderBy: [['createdAt', 'asc']], limitToLast: 100 })).toMatch(/USING INDEX ix_messages_parent_createdAt/);
    expect(plan({ collection: 'contacts', where: [['identityKeys', 'array-contains', 'site:v1']], orderBy: [], limit: 1 })).toMatch(/contact_identities/);
  });
});
