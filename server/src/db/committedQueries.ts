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
   * The query's documents as stored, each with the values of `fields` (dotted paths) read by SQLite: a caller that
   * only needs to place the documents (the live hub, for large aggregate documents) need not parse them whole.
   */
  rowsWith(spec: QuerySpec, fields: readonly string[]): { id: string; text: string; values: unknown[] }[] {
    const sql = translate(spec, { typedFields: true });
    // A field with a column is read from it (no JSON parsed); the JSON answers only where the column is NULL.
    const columns = columnsOf(spec.collection);
    const picks = fields.map((f, i) => (columns.includes(f) ? `, ${columnOf(f)} AS c${i}, CASE WHEN ${columnOf(f)} IS NULL THEN data -> ? END AS f${i}` : `, data -> ? AS f${i}`));
    const text = sql.text.replace('SELECT id, parent_id, data', `SELECT id, parent_id, data${picks.join('')}`);
    const rows = this.run(text, [...fields.map((f) => `$.${f}`), ...sql.params]) as ({ id: string; data: string } & Record<string, string | number | null>)[];
    if (sql.reversed) rows.reverse();
    const valueOf = (r: Record<string, string | number | null>, i: number) => {
      const column = r[`c${i}`];
      if (column !== undefined && column !== null) return column;
      const json = r[`f${i}`];
      return json == null ? undefined : (JSON.parse(json as string) as unknown);
    };
    return rows.map((r) => ({ id: r.id, text: r.data, values: fields.map((_, i) => valueOf(r, i)) }));
  }

  private run(text: string, params: readonly unknown[]): unknown[] {
    this.snapshot.reading();
    let stmt = this.statements.get(text);
    if (!stmt) {
      stmt = this.snapshot.db.prepare(text);
      if (this.statements.size > MAX_STATEMENTS) this.statements.clear();
      this.statements.set(text, stmt);
    }
    return stmt.all(...params);
  }
}
