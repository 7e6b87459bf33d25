import type { OrderClause, QuerySpec, Scalar, WhereClause } from './types.ts';

/**
 * Evaluates a QuerySpec over documents in memory, exactly as Firestore
 * would: used by the in-memory store, by the live-query hub to decide which
 * subscriptions a change touches, and by tests.
 */

const fieldOf = (doc: object, path: string): unknown => {
  let value: unknown = doc;
  for (const part of path.split('.')) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
};

/** Firestore's order between values of different types: null < boolean < number < string. */
const typeRank = (v: unknown): number =>
  v === null || v === undefined ? 0 : typeof v === 'boolean' ? 1 : typeof v === 'number' ? 2 : typeof v === 'string' ? 3 : 4;

const isSurrogate = (unit: number) => unit >= 0xd800 && unit <= 0xdfff;

/**
 * Firestore orders strings by their UTF-8 bytes, that is by code point. JavaScript's `<`
 * compares UTF-16 units, which disagrees only where a surrogate (a code point above
 * U+FFFF) meets a unit from U+E000 to U+FFFF: there the surrogate's side is the greater.
 */
const compareStrings = (a: string, b: string): number => {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    const sx = isSurrogate(x);
    if (sx === isSurrogate(y)) return x < y ? -1 : 1;
    return sx ? 1 : -1;
  }
  return a.length === b.length ? 0 : a.length < b.length ? -1 : 1;
};

export const compareValues = (a: unknown, b: unknown): number => {
  const ra = typeRank(a);
  const rb = typeRank(b);
  if (ra !== rb) return ra - rb;
  if (a === b || ra === 0) return 0;
  if (ra === 3) return compareStrings(a as string, b as string);
  return (a as number) < (b as number) ? -1 : 1;
};

const matchesClause = (doc: object, [field, op, value]: WhereClause): boolean => {
  const actual = fieldOf(doc, field);
  if (actual === undefined) return false;
  switch (op) {
    case '==':
      return compareValues(actual, value) === 0 && typeRank(actual) === typeRank(value);
    case '!=':
      return actual !== null && !(compareValues(actual, value) === 0 && typeRank(actual) === typeRank(value));
    case 'in':
      return (value as readonly Scalar[]).some((v) => v === actual);
    case 'array-contains':
      return Array.isArray(actual) && actual.includes(value);
    case 'array-contains-any':
      return Array.isArray(actual) && (value as readonly Scalar[]).some((v) => actual.includes(v));
    default: {
      if (typeRank(actual) !== typeRank(value)) return false;
      const c = compareValues(actual, value);
      return op === '<' ? c < 0 : op === '<=' ? c <= 0 : op === '>' ? c > 0 : c >= 0;
    }
  }
};

export const matches = (spec: Pick<QuerySpec, 'where' | 'orderBy'>, doc: object): boolean =>
  spec.where.every((clause) => matchesClause(doc, clause)) &&
  // Firestore leaves out documents that lack an orderBy field.
  spec.orderBy.every(([field]) => fieldOf(doc, field) !== undefined);

/** Orders by the spec's fields, then by id, as Firestore does. */
export const comparator =
  (orderBy: readonly OrderClause[]) =>
  (a: { id: string }, b: { id: string }): number => {
    for (const [field, dir] of orderBy) {
      const c = compareValues(fieldOf(a, field), fieldOf(b, field));
      if (c !== 0) return dir === 'asc' ? c : -c;
    }
    const lastDir = orderBy.at(-1)?.[1] ?? 'asc';
    const c = compareValues(a.id, b.id);
    return lastDir === 'asc' ? c : -c;
  };

const compareToCursor = (orderBy: readonly OrderClause[], doc: object, cursor: readonly Scalar[]): number => {
  for (const [i, [field, dir]] of orderBy.entries()) {
    if (i >= cursor.length) return 0;
    const c = compareValues(fieldOf(doc, field), cursor[i]);
    if (c !== 0) return dir === 'asc' ? c : -c;
  }
  return 0;
};

/** Whether the query, its limits aside, keeps `doc`: runQuery of the spec without limits over `[doc]`, without its copies and sort. */
export const withinQuery = (spec: QuerySpec, doc: object): boolean =>
  matches(spec, doc) &&
  (!spec.startAfter || compareToCursor(spec.orderBy, doc, spec.startAfter) > 0) &&
  (!spec.endBefore || compareToCursor(spec.orderBy, doc, spec.endBefore) < 0);

/** Filters, sorts and limits documents as the query would. */
export const runQuery = <T extends { id: string }>(spec: QuerySpec, docs: Iterable<T>): T[] => {
  let result = [...docs].filter((d) => matches(spec, d));
  result.sort(comparator(spec.orderBy));
  if (spec.startAfter) {
    const cursor = spec.startAfter;
    result = result.filter((d) => compareToCursor(spec.orderBy, d, cursor) > 0);
  }
  if (spec.endBefore) {
    const cursor = spec.endBefore;
    result = result.filter((d) => compareToCursor(spec.orderBy, d, cursor) < 0);
  }
  if (spec.limit !== undefined) result = result.slice(0, spec.limit);
  if (spec.limitToLast !== undefined) result = result.slice(Math.max(0, result.length - spec.limitToLast));
  return result;
};

/**
 * Rejects queries Firestore would reject, so that one that works on the
 * embedded server also works on Firebase.
 */
export const firestoreProblem = (spec: QuerySpec): string | null => {
  const rangeOps = new Set(['<', '<=', '>', '>=', '!=']);
  const rangeFields = new Set(spec.where.filter(([, op]) => rangeOps.has(op)).map(([f]) => f));
  if (rangeFields.size > 1) return 'a query may filter by a range on one field only';
  const [rangeField] = [...rangeFields];
  if (rangeField !== undefined && spec.orderBy.length > 0 && spec.orderBy[0]?.[0] !== rangeField)
    return `a query with a range on "${rangeField}" must order by it first`;
  for (const [field, op, value] of spec.where) {
    if ((op === 'in' || op === 'array-contains-any') && (!Array.isArray(value) || value.length === 0 || value.length > 30))
      return `"${field}" ${op} needs between 1 and 30 values`;
  }
  if (spec.where.filter(([, op]) => op === 'array-contains' || op === 'array-contains-any').length > 1)
    return 'a query may use one array-contains filter only';
  if (spec.limit !== undefined && spec.limitToLast !== undefined) return 'limit and limitToLast cannot be combined';
  if (spec.limitToLast !== undefined && spec.orderBy.length === 0) return 'limitToLast needs an orderBy';
  return null;
};
