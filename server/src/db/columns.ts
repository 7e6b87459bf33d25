import type { Database } from 'better-sqlite3';
import { collectionNames, sqliteColumns, type CollectionName } from '@atende/core';

/**
 * The fields SQLite indexes, as columns of their own beside the document
 * (core's `sqliteColumns`: every field an index of core's list names). The
 * store writes them from the document it stores, and an UPDATE sets only
 * the columns whose values changed, so SQLite rewrites only the indexes on
 * those: a message that leaves a ticket's status, sector and assignee alone
 * touches none of theirs (an index on `json_extract(data, …)` is rewritten,
 * and its JSON parsed, on every write of `data`).
 *
 * A column holds the field's value when it is a string or a number, and NULL
 * otherwise (missing, null, boolean, object, array): a comparison with a
 * string or a number on the column is then exactly Firestore's typed one
 * (columns have no type affinity, so SQLite never equates `'1'` and `1`),
 * and anything else is still asked of the JSON (`sql.ts`).
 */

const PATH = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/;
const RESERVED = new Set(['id', 'parent_id', 'data']);

/** A field's column, quoted: `"status"`, `"delivery.dueAt"`. */
export const columnOf = (path: string): string => {
  if (!PATH.test(path) || RESERVED.has(path)) throw new Error(`unsupported column field "${path}"`);
  return `"${path}"`;
};

const known = new Map<CollectionName, readonly string[]>();

/** The collection's column fields, in a fixed order. */
export const columnsOf = (collection: CollectionName): readonly string[] => {
  let fields = known.get(collection);
  if (!fields) {
    fields = sqliteColumns(collection);
    for (const f of fields) columnOf(f);
    known.set(collection, fields);
  }
  return fields;
};

/** A nested field's path, split once (every write of a document asks for each of its columns, twice for a rewrite). */
const splitPaths = new Map<string, readonly string[]>();

/** The field `part` of `value`, or undefined when `value` is not an object that has fields (null, a scalar, an array). */
const fieldOf = (value: unknown, part: string): unknown =>
  value === null || typeof value !== 'object' || Array.isArray(value) ? undefined : (value as Record<string, unknown>)[part];

/** What the column of `path` holds for this document. */
export const columnValue = (doc: Record<string, unknown> | null, path: string): string | number | null => {
  let value: unknown = doc;
  if (!path.includes('.')) value = fieldOf(value, path);
  else {
    let parts = splitPaths.get(path);
    if (!parts) splitPaths.set(path, (parts = path.split('.')));
    for (const part of parts) value = fieldOf(value, part);
  }
  return typeof value === 'string' || (typeof value === 'number' && Number.isFinite(value)) ? value : null;
};

/** The same projection in SQL, to fill a new column from the stored documents. */
export const columnSql = (path: string) => `CASE WHEN json_type(data, '$.${path}') IN ('text', 'integer', 'real') THEN json_extract(data, '$.${path}') END`;

/**
 * Brings every collection table's columns to core's list: adds the missing ones and fills them from the documents,
 * drops those no index names any more. Indexes on a dropped column must be gone first (`syncIndexes` does that).
 */
export const syncColumns = (db: Database): { added: string[]; dropped: string[] } => {
  const added: string[] = [];
  const dropped: string[] = [];
  for (const collection of collectionNames) {
    const table = `"${collection}"`;
    const present = (db.prepare(`SELECT name FROM pragma_table_info(?)`).all(collection) as { name: string }[]).map((r) => r.name).filter((n) => !RESERVED.has(n));
    const wanted = columnsOf(collection);
    for (const name of present)
      if (!wanted.includes(name)) {
        db.exec(`ALTER TABLE ${table} DROP COLUMN "${name}"`);
        dropped.push(`${collection}.${name}`);
      }
    for (const path of wanted)
      if (!present.includes(path)) {
        db.exec(`ALTER TABLE ${table} ADD COLUMN ${columnOf(path)}`);
        db.exec(`UPDATE ${table} SET ${columnOf(path)} = ${columnSql(path)}`);
        added.push(`${collection}.${path}`);
      }
  }
  return { added, dropped };
};
