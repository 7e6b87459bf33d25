import type { Database } from 'better-sqlite3';
import { INDEXES, type CollectionName, type IndexDef } from '@atende/core';
import { columnOf, syncColumns } from './columns.ts';
import { refillStaleColumns } from './staleColumns.ts';

/**
 * The SQLite side of core's one list of indexes (core/src/store/indexes.ts).
 * Each indexes the columns the store keeps beside the document for the
 * fields it names (`columns.ts`), so `sql.ts` can search them and a write
 * rewrites only the indexes whose fields changed. Indexes this code made are
 * named `ix_…`: the ones the list no longer has, or whose definition changed
 * (say, from the JSON expression indexes of earlier versions), are dropped,
 * new ones are created. A `sparse` index is partial: only rows whose column
 * holds a value (a query comparing it with one implies that, so SQLite uses it).
 */
const PREFIX = 'ix_';

const term = (path: string) => (path === 'parent' ? 'parent_id' : path === 'id' ? 'id' : columnOf(path));

export const sqliteIndexes = (): { name: string; sql: string; collection: CollectionName }[] =>
  INDEXES.filter((i: IndexDef): i is IndexDef & { collection: CollectionName } => i.on.includes('sqlite') && i.collection !== 'customerTickets').map((i) => {
    const name = `${PREFIX}${i.collection}_${i.fields.map(([path]) => path.replace(/\./g, '_')).join('_')}`;
    if (i.sparse && !i.fields.some(([path]) => path === i.sparse)) throw new Error(`${name}: sparse on ${i.sparse}, a field it does not index`);
    const where = i.sparse ? ` WHERE ${columnOf(i.sparse)} IS NOT NULL` : '';
    // Every query ends its ORDER BY with the document id (sql.ts): an index that ends with it too gives the rows in
    // their final order, where SQLite otherwise sorts each run of equal values in a temporary B-tree (for Esperando's
    // 10,000 tickets, a copy of every row's kilobyte of JSON through the sorter).
    const terms = i.fields.some(([path]) => path === 'id') ? i.fields.map(([path]) => term(path)) : [...i.fields.map(([path]) => term(path)), 'id'];
    return { name, collection: i.collection, sql: `CREATE INDEX "${name}" ON "${i.collection}" (${terms.join(', ')})${where}` };
  });

/**
 * Brings the database's `ix_` indexes and the document tables' columns to the list, in one transaction: drops the
 * indexes it no longer has (or has otherwise), adds and fills missing columns, drops unused ones, creates what is missing,
 * and sets again the columns of tables where they disagree with the documents (`staleColumns.ts`; a table whose index
 * had another definition was last written by another version: its columns are not trusted).
 */
export const syncIndexes = (db: Database): { created: string[]; dropped: string[]; columns: { added: string[]; dropped: string[]; refilled: CollectionName[] } } => {
  const list = sqliteIndexes();
  const wanted = new Map(list.map((i) => [i.name, i.sql]));
  const existing = db.prepare(`SELECT name, sql FROM sqlite_master WHERE type = 'index' AND name LIKE '${PREFIX}%'`).all() as { name: string; sql: string }[];
  const created: string[] = [];
  const dropped: string[] = [];
  let columns = { added: [] as string[], dropped: [] as string[], refilled: [] as CollectionName[] };
  db.transaction(() => {
    const kept = new Set<string>();
    for (const { name, sql } of existing)
      if (wanted.get(name) === sql) kept.add(name);
      else {
        db.exec(`DROP INDEX "${name}"`);
        dropped.push(name);
      }
    const synced = syncColumns(db);
    const rebuilt = new Set(list.filter((i) => dropped.includes(i.name)).map((i) => i.collection));
    columns = { ...synced, refilled: refillStaleColumns(db, rebuilt) };
    for (const [name, sql] of wanted)
      if (!kept.has(name)) {
        db.exec(sql);
        created.push(name);
      }
  }).immediate();
  return { created, dropped, columns };
};
