import { QUEUE } from './queueLayout.ts';
import { TIME_FIELDS } from './timeFields.ts';
import type { QuerySpec, Scalar } from './types.ts';

/**
 * The Firestore document codec for points in time, shared by every Firestore
 * driver (functions' Store, the console's Firebase driver, the widget's REST
 * reads). The model keeps times as epoch milliseconds (`Millis`); on
 * Firestore they are stored as timestamps, so the Firebase console shows a
 * date and an admin can type one. Which fields are times comes from the core
 * schemas (`TIME_FIELDS`, derived from every `Millis`).
 *
 * - `encodeTimes` (write): every number at a time path becomes a timestamp,
 *   made by the SDK's own `fromMillis`; anything else there (null, a field
 *   transform such as `serverTimestamp()`) is left as it is.
 * - `decodeTimes` (read): a timestamp at a time path becomes milliseconds;
 *   a number (a document written before the codec, or an admin typing
 *   milliseconds) is read as it is — the upgrade on read — and the store's
 *   next write of the document stores it as a timestamp (`staleTimeKeys`).
 *   Whatever else an admin typed there (a string) is left for the schema
 *   check on read (core/src/store/validated.ts) to report.
 * - `encodeSpec`: the bound values of a query (where, cursors) on time fields,
 *   because Firestore compares a timestamp field only with timestamps.
 */

/** What both Firestore SDKs' `Timestamp` have (and an admin's typed value reads as). */
export interface TimestampLike {
  toMillis(): number;
}
export type FromMillis = (ms: number) => unknown;

type Shape = { readonly [key: string]: Shape | true };

const compile = (paths: readonly string[]): Shape => {
  const root: Record<string, unknown> = {};
  for (const path of paths) {
    const parts = path.replace(/\[\]/g, '.[]').split('.');
    let node = root;
    parts.forEach((part, i) => {
      if (i === parts.length - 1) node[part] = true;
      else node = (node[part] ??= {}) as Record<string, unknown>;
    });
  }
  return root as Shape;
};

const SHAPES = new Map<string, Shape>(Object.entries(TIME_FIELDS).map(([collection, paths]) => [collection, compile(paths)]));
// The customer's projection of a ticket (core/src/customerView.ts) keeps the ticket's field names.
SHAPES.set('customerTickets', SHAPES.get('tickets')!);
// A queue entry is its ticket as stored (core/src/store/queueLayout.ts).
SHAPES.set(QUEUE, SHAPES.get('tickets')!);

export const isTimestampLike = (v: unknown): v is TimestampLike =>
  typeof v === 'object' && v !== null && typeof (v as { toMillis?: unknown }).toMillis === 'function';

/** A timestamp as whole milliseconds; any other value unchanged. */
export const millisOf = (v: unknown): unknown => (isTimestampLike(v) ? Math.floor(v.toMillis()) : v);

/** The sub-shape at a dotted field path (`life.startedAt`), `true` at a time field, undefined where no time lives. */
const shapeAt = (shape: Shape | undefined, fieldPath: string): Shape | true | undefined => {
  let node: Shape | true | undefined = shape;
  for (const part of fieldPath.split('.')) {
    if (node === undefined || node === true) return undefined;
    node = node[part] ?? node['*'];
  }
  return node;
};

/** Applies `f` to the values at the shape's leaves, copying only what changes. */
const mapAt = (value: unknown, shape: Shape | true, f: (leaf: unknown) => unknown): unknown => {
  if (shape === true) return f(value);
  if (Array.isArray(value)) {
    const item = shape['[]'];
    if (!item) return value;
    let changed = false;
    const out = value.map((v: unknown) => {
      const next = mapAt(v, item, f);
      if (next !== v) changed = true;
      return next;
    });
    return changed ? out : value;
  }
  if (value === null || typeof value !== 'object' || isTimestampLike(value)) return value;
  const record = value as Record<string, unknown>;
  let out: Record<string, unknown> | null = null;
  const visit = (key: string, sub: Shape | true) => {
    if (!(key in record)) return;
    const next = mapAt(record[key], sub, f);
    if (next !== record[key]) (out ??= { ...record })[key] = next;
  };
  for (const [key, sub] of Object.entries(shape)) {
    if (key === '*') for (const k of Object.keys(record)) visit(k, sub);
    else if (key !== '[]') visit(key, sub);
  }
  return out ?? value;
};

/** Top-level keys of a patch may be dotted field paths (`life.servedAt`). */
const mapDoc = <T>(collection: string, data: T, f: (leaf: unknown) => unknown): T => {
  const shape = SHAPES.get(collection);
  if (!shape || data === null || typeof data !== 'object') return data;
  let out = mapAt(data, shape, f) as Record<string, unknown>;
  for (const key of Object.keys(out)) {
    if (!key.includes('.')) continue;
    const sub = shapeAt(shape, key);
    if (sub === undefined) continue;
    const next = mapAt(out[key], sub, f);
    if (next !== out[key]) out = { ...out, [key]: next };
  }
  return out as T;
};

/** A document (or patch) of `collection` as it is stored on Firestore: its times as timestamps. */
export const encodeTimes = <T>(collection: string, data: T, fromMillis: FromMillis): T =>
  mapDoc(collection, data, (v) => (typeof v === 'number' ? fromMillis(v) : v));

/** A document of `collection` read from Firestore, as the model has it: its times as milliseconds. */
export const decodeTimes = <T>(collection: string, data: T): T => mapDoc(collection, data, millisOf);

/** Top-level fields of a stored document that still hold a time as a number (written before the codec): its next write re-stores them. */
export const staleTimeKeys = (collection: string, data: Record<string, unknown>): string[] => {
  const shape = SHAPES.get(collection);
  if (!shape) return [];
  return Object.keys(shape).filter((key) => {
    if (!(key in data)) return false;
    let stale = false;
    mapAt(data[key], shape[key]!, (v) => {
      if (typeof v === 'number') stale = true;
      return v;
    });
    return stale;
  });
};

/** Whether `fieldPath` of `collection` is a point in time. */
export const isTimeField = (collection: string, fieldPath: string): boolean => shapeAt(SHAPES.get(collection), fieldPath) === true;

const bound = (value: unknown, fromMillis: FromMillis): unknown =>
  typeof value === 'number' ? fromMillis(value) : Array.isArray(value) ? value.map((v: unknown) => bound(v, fromMillis)) : value;

/** A query spec whose values compared with time fields (filters, cursors) are timestamps, as the stored fields are. */
export const encodeSpec = <S extends QuerySpec>(spec: S, fromMillis: FromMillis, collection: string = spec.collection): S => {
  const shape = SHAPES.get(collection);
  if (!shape) return spec;
  const time = (field: string) => shapeAt(shape, field) === true;
  const cursor = (values: readonly Scalar[] | undefined) =>
    values?.map((v, i) => (spec.orderBy[i] && time(spec.orderBy[i][0]) ? (bound(v, fromMillis) as Scalar) : v));
  return {
    ...spec,
    where: spec.where.map(([field, op, value]) => (time(field) ? [field, op, bound(value, fromMillis)] : [field, op, value])),
    ...(spec.startAfter ? { startAfter: cursor(spec.startAfter) } : {}),
    ...(spec.endBefore ? { endBefore: cursor(spec.endBefore) } : {}),
  };
};
