import type { CollectionName, OrderClause, QuerySpec, Scalar, WhereClause } from '@atende/core';
import { columnOf, columnsOf } from './columns.ts';

/**
 * Translates a core QuerySpec into SQL over a collection table, with exactly
 * the semantics of core `runQuery` (Firestore's): a filter matches only a
 * field of the same type, a missing field matches nothing, and values of
 * different types order null < boolean < number < string.
 *
 * A field the store keeps in a column (`columns.ts`: the indexed ones) is
 * compared on its column when the value is a string or a number, which the
 * column holds exactly, so the indexes on the columns serve the query; any
 * other comparison reads the JSON document.
 */

export const tableOf = (c: CollectionName): string => `"${c}"`;

const FIELD_PART = /^[A-Za-z_][A-Za-z0-9_]*$/;

const jsonPath = (field: string): string => {
  const parts = field.split('.');
  if (parts.length === 0 || parts.some((p) => !FIELD_PART.test(p))) throw new Error(`unsupported field path "${field}"`);
  return `'$.${parts.join('.')}'`;
};

const valueOf = (field: string) => (field === 'id' ? 'id' : `json_extract(data, ${jsonPath(field)})`);
/** NULL when the field is missing; otherwise 'null', 'true', 'false', 'integer', 'real', 'text', 'array' or 'object'. */
const typeOf = (field: string) => (field === 'id' ? `'text'` : `json_type(data, ${jsonPath(field)})`);

/** Firestore's type rank of a field, as SQL (missing and null both rank 0, but missing never gets here). */
const rankOf = (field: string) =>
  field === 'id'
    ? '3'
    : `(CASE ${typeOf(field)} WHEN 'null' THEN 0 WHEN 'true' THEN 1 WHEN 'false' THEN 1 WHEN 'integer' THEN 2 WHEN 'real' THEN 2 WHEN 'text' THEN 3 ELSE 4 END)`;

const rankOfValue = (v: Scalar): number => (v === null ? 0 : typeof v === 'boolean' ? 1 : typeof v === 'number' ? 2 : 3);

/** SQL for "the field's type is the type of v". */
const sameType = (field: string, v: Scalar): string => {
  if (v === null) return `${typeOf(field)} = 'null'`;
  if (typeof v === 'boolean') return `${typeOf(field)} IN ('true', 'false')`;
  if (typeof v === 'number') return `${typeOf(field)} IN ('integer', 'real')`;
  return `${typeOf(field)} = 'text'`;
};

const sqlValue = (v: Scalar): Scalar => (typeof v === 'boolean' ? (v ? 1 : 0) : v);

export interface Sql {
  text: string;
  params: unknown[];
  /** For limitToLast the rows come out reversed and must be turned round. */
  reversed: boolean;
}

/** The columns of the collection being queried (a set, so a test may name its own). */
type Columns = ReadonlySet<string>;
const NO_COLUMNS: Columns = new Set();

/** The field's column, when v is a value the column holds exactly. */
const columnFor = (columns: Columns, field: string, v: Scalar): string | null =>
  columns.has(field) && (typeof v === 'string' || typeof v === 'number') ? columnOf(field) : null;

/** Equality with Firestore's typing: `1 == true` is false, `null == null` is true. */
const equals = (columns: Columns, field: string, v: Scalar, params: unknown[]): string => {
  if (v === null) return `${typeOf(field)} = 'null'`;
  if (typeof v === 'boolean') return `${typeOf(field)} = '${v ? 'true' : 'false'}'`;
  params.push(v);
  const column = columnFor(columns, field, v);
  return column ? `${column} = ?` : `(${valueOf(field)} = ? AND ${sameType(field, v)})`;
};

/** An element of a JSON array equal to v (strict, as `Array.includes`). */
const elementEquals = (v: Scalar, params: unknown[]): string => {
  if (v === null) return `j.type = 'null'`;
  if (typeof v === 'boolean') return `j.type = '${v ? 'true' : 'false'}'`;
  params.push(v);
  return `(j.value = ? AND j.type ${typeof v === 'number' ? "IN ('integer', 'real')" : "= 'text'"})`;
};

const arrayContains = (collection: CollectionName, field: string, values: readonly Scalar[], params: unknown[]): string => {
  // Contacts are found by identity through a side table kept with every contact write.
  if (collection === 'contacts' && field === 'identityKeys' && values.every((v) => typeof v === 'string')) {
    params.push(...values);
    return `id IN (SELECT contact_id FROM contact_identities WHERE identity_key IN (${values.map(() => '?').join(', ')}))`;
  }
  const any = values.map((v) => elementEquals(v, params)).join(' OR ');
  return `(${typeOf(field)} = 'array' AND EXISTS (SELECT 1 FROM json_each(data, ${jsonPath(field)}) AS j WHERE ${any}))`;
};

/** `in` as one SQL IN per type present, so an index on the field can serve it. */
const inList = (columns: Columns, field: string, values: readonly Scalar[], params: unknown[]): string => {
  if (values.length === 0) return '0';
  const strings = values.filter((v): v is string => typeof v === 'string');
  const numbers = values.filter((v): v is number => typeof v === 'number');
  const others = values.filter((v) => v === null || typeof v === 'boolean');
  const terms: string[] = [];
  const column = columns.has(field) ? columnOf(field) : null;
  if (column && strings.length + numbers.length > 0) {
    // The column keeps strings and numbers apart by itself.
    params.push(...strings, ...numbers);
    terms.push(`${column} IN (${[...strings, ...numbers].map(() => '?').join(', ')})`);
  } else {
    if (strings.length > 0) {
      params.push(...strings);
      terms.push(`(${valueOf(field)} IN (${strings.map(() => '?').join(', ')}) AND ${typeOf(field)} = 'text')`);
    }
    if (numbers.length > 0) {
      params.push(...numbers);
      terms.push(`(${valueOf(field)} IN (${numbers.map(() => '?').join(', ')}) AND ${typeOf(field)} IN ('integer', 'real'))`);
    }
  }
  for (const v of others) terms.push(equals(columns, field, v, params));
  return terms.length === 1 ? terms[0]! : `(${terms.join(' OR ')})`;
};

const comparison = (columns: Columns, field: string, op: '<' | '<=' | '>' | '>=', v: Scalar, params: unknown[]): string => {
  if (v === null) return op === '<=' || op === '>=' ? `${typeOf(field)} = 'null'` : '0';
  params.push(sqlValue(v));
  const column = columnFor(columns, field, v);
  // SQLite orders every number before every string: the type test keeps the other type out of the range.
  if (column) return `(${column} ${op} ? AND typeof(${column}) ${typeof v === 'number' ? "IN ('integer', 'real')" : "= 'text'"})`;
  return `(${sameType(field, v)} AND ${valueOf(field)} ${op} ?)`;
};

const clauseSql = (collection: CollectionName, columns: Columns, [field, op, value]: WhereClause, params: unknown[]): string => {
  switch (op) {
    case '==':
      return equals(columns, field, value as Scalar, params);
    case '!=':
      // On the JSON: a column's NULL (a boolean, say) would make NOT (… = ?) unknown, and leave the document out.
      return `(${typeOf(field)} IS NOT NULL AND ${typeOf(field)} != 'null' AND NOT ${equals(NO_COLUMNS, field, value as Scalar, params)})`;
    case 'in':
      return inList(columns, field, value as readonly Scalar[], params);
    case 'array-contains':
      return arrayContains(collection, field, [value as Scalar], params);
    case 'array-contains-any': {
      const values = value as readonly Scalar[];
      return values.length === 0 ? '0' : arrayContains(collection, field, values, params);
    }
    default:
      return comparison(columns, field, op, value as Scalar, params);
  }
};

/**
 * Fields that only ever hold numbers (or null) or only strings (or null) in
 * valid documents order the same in SQL as in Firestore, so they can be
 * sorted on the bare value and use the indexes. Other fields are ranked.
 */
const HOMOGENEOUS = new Set([
  'id', 'name', 'createdAt', 'updatedAt', 'queuedAt', 'acceptedAt', 'closedAt', 'lastMessageAt', 'lastCustomerMessageAt',
  'dueAt', 'shortcut', 'status', 'sectorId', 'assigneeId', 'contactId', 'channelId', 'clientId', 'at', 'value',
  'delivery.dueAt', 'idle', 'presence', 'userId', 'period', 'key', 'phone',
]);

export interface TranslateOptions {
  /** Trust the model's field types to skip ranking (never for arbitrary data, e.g. property tests). */
  typedFields?: boolean;
  /** The fields kept in columns; by default the collection's (`columnsOf`). */
  columns?: ReadonlySet<string>;
}

/**
 * A field ordered on its column: one whose values are numbers or strings or null in the model (typed), where NULL
 * (null or missing, the missing ones filtered out) sorts first as Firestore's null does.
 */
const orderedColumn = (columns: Columns, typed: boolean, field: string): string | null =>
  typed && HOMOGENEOUS.has(field) && columns.has(field) ? columnOf(field) : null;

const orderTerms = (orderBy: readonly OrderClause[], flip: boolean, typed: boolean, columns: Columns): string => {
  const dirOf = (d: 'asc' | 'desc') => ((d === 'asc') !== flip ? 'ASC' : 'DESC');
  const terms: string[] = [];
  for (const [field, dir] of orderBy) {
    const column = orderedColumn(columns, typed, field);
    if (field !== 'id' && !(typed && HOMOGENEOUS.has(field))) terms.push(`${rankOf(field)} ${dirOf(dir)}`);
    terms.push(`${column ?? valueOf(field)} ${dirOf(dir)}`);
  }
  terms.push(`id ${dirOf(orderBy.at(-1)?.[1] ?? 'asc')}`);
  return terms.join(', ');
};

/** Lexicographic "after the cursor" (sign 1) or "before it" (sign -1) over the orderBy prefix the cursor covers. */
const cursorSql = (orderBy: readonly OrderClause[], cursor: readonly Scalar[], sign: 1 | -1, params: unknown[]): string => {
  const n = Math.min(orderBy.length, cursor.length);
  if (n === 0) return '0';
  const disjuncts: string[] = [];
  for (let i = 0; i < n; i++) {
    const conj: string[] = [];
    for (let k = 0; k < i; k++) conj.push(eqCursor(orderBy[k]![0], cursor[k]!, params));
    const [field, dir] = orderBy[i]!;
    const greater = (dir === 'asc') === (sign === 1);
    conj.push(beyond(field, cursor[i]!, greater, params));
    disjuncts.push(`(${conj.join(' AND ')})`);
  }
  return `(${disjuncts.join(' OR ')})`;
};

/** compareValues(field, v) === 0 */
const eqCursor = (field: string, v: Scalar, params: unknown[]): string => {
  const r = rankOfValue(v);
  if (r === 0) return `${rankOf(field)} = 0`;
  params.push(sqlValue(v));
  return `(${rankOf(field)} = ${r} AND ${valueOf(field)} = ?)`;
};

/** compareValues(field, v) > 0 (greater) or < 0 (!greater) */
const beyond = (field: string, v: Scalar, greater: boolean, params: unknown[]): string => {
  const r = rankOfValue(v);
  const op = greater ? '>' : '<';
  if (r === 0) return `${rankOf(field)} ${op} 0`;
  params.push(sqlValue(v));
  return `(${rankOf(field)} ${op} ${r} OR (${rankOf(field)} = ${r} AND ${valueOf(field)} ${op} ?))`;
};

const columnSets = new Map<CollectionName, ReadonlySet<string>>();
const columnSetOf = (collection: CollectionName): ReadonlySet<string> => {
  let set = columnSets.get(collection);
  if (!set) columnSets.set(collection, (set = new Set(columnsOf(collection))));
  return set;
};

export const translate = (spec: QuerySpec, options: TranslateOptions = {}): Sql => {
  const params: unknown[] = [];
  const where: string[] = [];
  const typed = options.typedFields ?? false;
  const columns = options.columns ?? columnSetOf(spec.collection);
  if (spec.parentId !== undefined) {
    where.push('parent_id = ?');
    params.push(spec.parentId);
  }
  for (const clause of spec.where) where.push(clauseSql(spec.collection, columns, clause, params));
  // Firestore leaves out documents that lack an orderBy field (a column is NULL for a null too: then the JSON says).
  for (const [field] of spec.orderBy) {
    if (field === 'id') continue;
    const column = orderedColumn(columns, typed, field);
    where.push(column ? `(${column} IS NOT NULL OR ${typeOf(field)} IS NOT NULL)` : `${typeOf(field)} IS NOT NULL`);
  }
  if (spec.startAfter) where.push(cursorSql(spec.orderBy, spec.startAfter, 1, params));
  if (spec.endBefore) where.push(cursorSql(spec.orderBy, spec.endBefore, -1, params));
  const reversed = spec.limitToLast !== undefined;
  let text = `SELECT id, parent_id, data FROM ${tableOf(spec.collection)}`;
  if (where.length > 0) text += ` WHERE ${where.join(' AND ')}`;
  text += ` ORDER BY ${orderTerms(spec.orderBy, reversed, typed, columns)}`;
  const limit = spec.limit ?? spec.limitToLast;
  if (limit !== undefined) {
    text += ' LIMIT ?';
    params.push(limit);
  }
  return { text, params, reversed };
};
