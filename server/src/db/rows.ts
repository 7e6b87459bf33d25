import type { Database, Statement } from 'better-sqlite3';
import { collectionNames, type CollectionName, type DocRef } from '@atende/core';
import { columnOf, columnsOf, columnValue } from './columns.ts';

type Row = Record<string, unknown>;

interface Table {
  columns: readonly string[];
  get: Statement<[string, string], { data: string }>;
  upsert: Statement<unknown[]>;
  /** A new document: fails (SQLITE_CONSTRAINT) when the row is there after all. */
  insert: Statement<unknown[]>;
  remove: Statement<[string, string]>;
  /** UPDATEs by the set of columns they change (a bit mask over `columns`). */
  updates: Map<number, Statement<unknown[]>>;
  table: string;
}

/**
 * The document rows of every collection table: the document's JSON text and
 * its column fields (`columns.ts`). A document rewritten over its previous
 * version sets only the columns whose values changed, so SQLite leaves the
 * indexes of the others alone.
 */
export class DocumentRows {
  private readonly tables = new Map<CollectionName, Table>();

  /** `reader`: the connection reads go to (the store's read snapshot); writes go to `db`. */
  constructor(
    private readonly db: Database,
    reader: Database = db,
  ) {
    for (const c of collectionNames) {
      const table = `"${c}"`;
      const columns = columnsOf(c);
      if (columns.length > 30) throw new Error(`${c}: more indexed fields than an update mask holds`);
      const names = ['id', 'parent_id', 'data', ...columns.map(columnOf)];
      this.tables.set(c, {
        columns,
        table,
        get: reader.prepare(`SELECT data FROM ${table} WHERE parent_id = ? AND id = ?`),
        upsert: db.prepare(
          `INSERT INTO ${table} (${names.join(', ')}) VALUES (${names.map(() => '?').join(', ')}) ON CONFLICT DO UPDATE SET ${names
            .slice(2)
            .map((n) => `${n} = excluded.${n}`)
            .join(', ')}`,
        ),
        insert: db.prepare(`INSERT INTO ${table} (${names.join(', ')}) VALUES (${names.map(() => '?').join(', ')})`),
        remove: db.prepare(`DELETE FROM ${table} WHERE parent_id = ? AND id = ?`),
        updates: new Map(),
      });
    }
  }

  /** The stored text of a document, or null. */
  text(ref: DocRef): string | null {
    return this.of(ref.collection).get.get(ref.parentId ?? '', ref.id)?.data ?? null;
  }

  /**
   * Stores `after` (its JSON `text`) over `before`, the version the row holds now (null: none, and a row there after
   * all fails the write: `isCreateConflict`); `after` null deletes.
   * A contact's identity keys go to `contact_identities` too, where `array-contains` on them is answered (`sql.ts`).
   */
  write(ref: DocRef, text: string | null, before: Row | null, after: Row | null): void {
    this.writeRow(ref, text, before, after);
    if (ref.collection === 'contacts') this.indexIdentities(ref.id, after);
  }

  private writeRow(ref: DocRef, text: string | null, before: Row | null, after: Row | null): void {
    const t = this.of(ref.collection);
    const parentId = ref.parentId ?? '';
    if (text === null || after === null) {
      t.remove.run(parentId, ref.id);
      return;
    }
    const values = t.columns.map((path) => columnValue(after, path));
    if (before !== null) {
      let mask = 0;
      const changed: unknown[] = [text];
      for (let i = 0; i < t.columns.length; i++)
        if (columnValue(before, t.columns[i]!) !== values[i]) {
          mask |= 1 << i;
          changed.push(values[i]);
        }
      changed.push(parentId, ref.id);
      // A row that is not there after all (never expected) falls through to the upsert.
      if (this.update(t, mask).run(...changed).changes === 1) return;
      t.upsert.run(ref.id, parentId, text, ...values);
      return;
    }
    t.insert.run(ref.id, parentId, text, ...values);
  }

  private identityStatements: { clear: Statement<[string]>; insert: Statement<[string, string]> } | null = null;

  private indexIdentities(contactId: string, after: Row | null): void {
    this.identityStatements ??= {
      clear: this.db.prepare('DELETE FROM contact_identities WHERE contact_id = ?'),
      insert: this.db.prepare('INSERT OR IGNORE INTO contact_identities (identity_key, contact_id) VALUES (?, ?)'),
    };
    const { clear, insert } = this.identityStatements;
    clear.run(contactId);
    const keys = after && Array.isArray(after.identityKeys) ? (after.identityKeys as unknown[]) : [];
    for (const k of keys) if (typeof k === 'string') insert.run(k, contactId);
  }

  private update(t: Table, mask: number): Statement<unknown[]> {
    let stmt = t.updates.get(mask);
    if (!stmt) {
      const set = ['data = ?', ...t.columns.filter((_, i) => mask & (1 << i)).map((path) => `${columnOf(path)} = ?`)];
      stmt = this.db.prepare(`UPDATE ${t.table} SET ${set.join(', ')} WHERE parent_id = ? AND id = ?`);
      t.updates.set(mask, stmt);
    }
    return stmt;
  }

  private of(c: CollectionName): Table {
    const t = this.tables.get(c);
    if (!t) throw new Error(`unknown collection ${c}`);
    return t;
  }
}

/** The error of a write whose document was taken to be new and is there (its INSERT met the row's key). */
export const isCreateConflict = (error: unknown): boolean => {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || code === 'SQLITE_CONSTRAINT_UNIQUE';
};
