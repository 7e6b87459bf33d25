import type { Database } from 'better-sqlite3';
import { INDEXES, type CollectionName, type IndexDef } from '@atende/core';
import { tableOf } from './sql.ts';

/**
 * The SQLite side of core's one list of indexes (core/src/store/indexes.ts).
 * Each becomes an expression index whose terms are written exactly as
 * `sql.ts` writes the query's (`json_extract(data, '$.status')`), or the
 * planner would not match them. Indexes this code made are named `ix_…`:
 * the ones the list no longer has are dropped, new ones are created.
 */
const PREFIX = 'ix_';

const term = (path: string) => (path === 'parent' ? 'parent_id' : path === 'id' ? 'id' : `json_extract(data, '$.${path}')`);

export const sqliteIndexes = (): { name: string; sql: string }[] =>
  INDEXES.filter((i: IndexDef): i is IndexDef & { collection: CollectionName } => i.on.includes('sqlite') && i.collection !== 'customerTickets').map((i) => {
    const name = `${PREFIX}${i.collection}_${i.fields.map(([path]) => path.replace(/\./g, '_')).join('_')}`;
    return { name, sql: `CREATE INDEX IF NOT EXISTS "${name}" ON ${tableOf(i.collection)} (${i.fields.map(([path]) => term(path)).join(', ')})` };
  });

/** Brings the database's `ix_` indexes to the list: creates what is missing, drops what the list no longer has. */
export const syncIndexes = (db: Database): { created: string[]; dropped: string[] } => {
  const wanted = sqliteIndexes();
  const existing = new Set(
    (db.prepare(`SELECT name FROM sqlite_master WHERE type = 'index' AND name LIKE '${PREFIX}%'`).all() as { name: string }[]).map((r) => r.name),
  );
  const created: string[] = [];
  const dropped: string[] = [];
  db.transaction(() => {
    for (const name of existing)
      if (!wanted.some((w) => w.name === name)) {
        db.exec(`DROP INDEX "${name}"`);
        dropped.push(name);
      }
    for (const { name, sql } of wanted)
      if (!existing.has(name)) {
        db.exec(sql);
        created.push(name);
      }
  }).immediate();
  return { created, dropped };
};
