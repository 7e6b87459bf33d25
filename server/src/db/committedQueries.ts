import type { Statement } from 'better-sqlite3';
import type { QuerySpec } from '@atende/core';
import { columnOf, columnsOf } from './columns.ts';
import type { ReadSnapshot } from './readSnapshot.ts';
import { translate } from './sql.ts';

export interface StoredRow {
  id: string;
  parent_id: string;
  data: string;
}

/** At most this many prepared query statements are kept; past it the cache starts over. */
const MAX_STATEMENTS = 500;

/**
 * Queries of the committed state, in SQL on the store's read snapshot: one
 * prepared statement per query text, kept for the next run of the same shape.
 */
export class CommittedQueries {
  private readonly statements = new Map<string, Statement>();

  constructor(private readonly snapshot: ReadSnapshot) {}

  /** The query's rows, in its order. */
  rows(spec: QuerySpec): StoredRow[] {
    const sql = translate(spec, { typedFields: true });
    const rows = this.run(sql.text, sql.params) as StoredRow[];
    return sql.reversed ? rows.reverse() : rows;
  }

  /**
   * The query's documents as stored (their UTF-8 bytes, never decoded into strings), each with the values of
   * `fields` (dotted paths) read by SQLite: a caller that only needs to place the documents (the live hub, for
   * large windows) need not parse them, and can write the bytes to a socket as they are.
   */
  rowsWith(spec: QuerySpec, fields: readonly string[]): { id: string; bytes: Buffer; values: unknown[] }[];
  /** Without the documents (`bytes: null`): where only their places are wanted, as when a full window is read again. */
  rowsWith(spec: QuerySpec, fields: readonly string[], bytes: false): { id: string; bytes: null; values: unknown[] }[];
  rowsWith(spec: QuerySpec, fields: readonly string[], bytes = true): { id: string; bytes: Buffer | null; values: unknown[] }[] {
    const sql = translate(spec, { typedFields: true });
    // Two result columns per field: its column (NULL when it has none), and its JSON where the column holds nothing.
    const columns = columnsOf(spec.collection);
    const picks = fields.map((f) => (columns.includes(f) ? `, ${columnOf(f)}, CASE WHEN ${columnOf(f)} IS NULL THEN data -> ? END` : `, NULL, data -> ?`));
    const text = sql.text.replace('SELECT id, parent_id, data', `SELECT id, ${bytes ? 'CAST(data AS BLOB)' : 'NULL'}${picks.join('')}`);
    // Rows as arrays, not an object per row: [id, bytes, then the two columns of each field].
    const rows = this.run(text, [...fields.map((f) => `$.${f}`), ...sql.params], true) as [string, Buffer | null, ...(string | number | null)[]][];
    if (sql.reversed) rows.reverse();
    const valueOf = (r: [string, Buffer | null, ...(string | number | null)[]], i: number) => {
      const column = r[2 + 2 * i];
      if (column !== null) return column;
      const json = r[3 + 2 * i] as string | null;
      return json === null ? undefined : (JSON.parse(json) as unknown);
    };
    return rows.map((r) => ({ id: r[0], bytes: r[1], values: fields.map((_, i) => valueOf(r, i)) }));
  }

  private run(text: string, params: readonly unknown[], raw = false): unknown[] {
    this.snapshot.reading();
    let stmt = this.statements.get(text);
    if (!stmt) {
      stmt = this.snapshot.db.prepare(text);
      if (this.statements.size > MAX_STATEMENTS) this.statements.clear();
      this.statements.set(text, stmt);
    }
    return stmt.raw(raw).all(...params);
  }
}
