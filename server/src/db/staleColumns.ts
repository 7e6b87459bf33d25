import type { Database } from 'better-sqlite3';
import { collectionNames, type CollectionName } from '@atende/core';
import { columnOf, columnsOf, columnSql } from './columns.ts';

/** Rows looked at per table at each start: the newest this many, and about as many spread over the rest. */
const SAMPLE = 200;

/**
 * The store keeps each table's columns equal to its documents (`rows.ts`),
 * but a row written around it — a hand repair in SQL, or an older server
 * version run on this data directory — leaves them as they were, and the
 * queries that search those columns would miss it or find it where it no
 * longer belongs. At each start a sample of every table is compared with
 * its documents (the newest rows, where such writes land, and random ones);
 * `suspect` tables (whose indexes another version rebuilt) are not sampled
 * but taken as stale. A stale table has every column that disagrees with
 * its document set again. Returns the tables refilled.
 */
export const refillStaleColumns = (db: Database, suspect: ReadonlySet<CollectionName> = new Set()): CollectionName[] => {
  const refilled: CollectionName[] = [];
  for (const collection of collectionNames) {
    const paths = columnsOf(collection);
    if (paths.length === 0) continue;
    const table = `"${collection}"`;
    const differs = paths.map((p) => `${columnOf(p)} IS NOT ${columnSql(p)}`).join(' OR ');
    if (!suspect.has(collection) && !sampleDiffers(db, collection, differs)) continue;
    db.exec(`UPDATE ${table} SET ${paths.map((p) => `${columnOf(p)} = ${columnSql(p)}`).join(', ')} WHERE ${differs}`);
    refilled.push(collection);
  }
  return refilled;
};

const sampleDiffers = (db: Database, collection: CollectionName, differs: string): boolean => {
  const table = `"${collection}"`;
  const withoutRowid = /WITHOUT\s+ROWID/i.test((db.prepare(`SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?`).get(collection) as { sql: string } | undefined)?.sql ?? '');
  if (withoutRowid) return db.prepare(`SELECT 1 FROM (SELECT * FROM ${table} LIMIT ${SAMPLE}) WHERE ${differs} LIMIT 1`).get() !== undefined;
  if (db.prepare(`SELECT 1 FROM (SELECT * FROM ${table} ORDER BY rowid DESC LIMIT ${SAMPLE}) WHERE ${differs} LIMIT 1`).get() !== undefined) return true;
  const max = (db.prepare(`SELECT max(rowid) AS m FROM ${table}`).get() as { m: number | null }).m;
  if (max === null || max <= SAMPLE) return false;
  return (
    db
      .prepare(
        `WITH RECURSIVE pick(n, r) AS (SELECT 0, NULL UNION ALL SELECT n + 1, abs(random()) % ? + 1 FROM pick WHERE n < ${SAMPLE}) ` +
          `SELECT 1 FROM ${table} WHERE rowid IN (SELECT r FROM pick) AND (${differs}) LIMIT 1`,
      )
      .get(max) !== undefined
  );
};
