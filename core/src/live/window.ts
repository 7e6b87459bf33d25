import type { DocChange } from '../protocol.ts';
import { comparator, runQuery, withinQuery } from '../store/evaluate.ts';
import type { Change, QuerySpec } from '../store/types.ts';

/**
 * The maths of a live query's window: given the documents a query shows and
 * the documents a commit changed, what it shows now and the changes to send.
 * Pure; the embedded server's hub applies it on every commit.
 */
export type AnyDoc = { id: string } & Record<string, unknown>;

const DIFFERENT = 1;
const UNSURE = 2;

/** What JSON makes of a value, when it is plain data; null for what it writes in its own way (undefined, NaN, a date, a function, anything with a `toJSON` method…). */
const kindOf = (v: unknown): string | null => {
  switch (typeof v) {
    case 'string':
    case 'boolean':
      return typeof v;
    case 'number':
      return Number.isFinite(v) ? 'number' : null;
    case 'object': {
      if (v === null) return 'null';
      // A toJSON method stands for the whole value.
      if (typeof (v as { toJSON?: unknown }).toJSON === 'function') return null;
      if (Array.isArray(v)) return 'array';
      const proto = Object.getPrototypeOf(v) as unknown;
      return proto === Object.prototype || proto === null ? 'object' : null;
    }
    default:
      return null;
  }
};

/** A field JSON leaves out (or, for `toJSON`, one that changes everything). */
const omitted = (v: unknown): boolean => v === undefined || typeof v === 'function' || typeof v === 'symbol';

/** 0 when `a` and `b` are the same JSON for sure, DIFFERENT when surely not, UNSURE when only `JSON.stringify` can tell. */
const compareJson = (a: unknown, b: unknown): number => {
  const kind = kindOf(a);
  const other = kindOf(b);
  if (kind === null || other === null) return UNSURE;
  if (kind !== other) return DIFFERENT;
  if (kind === 'array') {
    const x = a as unknown[];
    const y = b as unknown[];
    if (x.length !== y.length) return DIFFERENT;
    for (let i = 0; i < x.length; i++) {
      const r = compareJson(x[i], y[i]);
      if (r !== 0) return r;
    }
    return 0;
  }
  if (kind !== 'object') return a === b ? 0 : DIFFERENT;
  const x = a as Record<string, unknown>;
  const y = b as Record<string, unknown>;
  const keys = Object.keys(x);
  const others = Object.keys(y);
  const n = Math.min(keys.length, others.length);
  // Field by field, in order, while no field JSON leaves out has come (one would make the pairing say nothing): the
  // first pair that differs settles it, as the two texts are the same up to it. Two versions of a ticket differ
  // within its first fields, so the rest is not looked at.
  for (let i = 0; i < n; i++) {
    const key = keys[i]!;
    const v = x[key];
    const w = y[others[i]!];
    if (omitted(v) || omitted(w)) return UNSURE;
    if (others[i] !== key) return DIFFERENT;
    const r = compareJson(v, w);
    if (r !== 0) return r;
  }
  // The same so far: the longer one's other fields decide (none, or only left-out ones, is the same JSON).
  const [longer, rest] = keys.length > n ? [x, keys] : [y, others];
  for (let i = n; i < rest.length; i++) if (omitted(longer[rest[i]!])) return UNSURE;
  return rest.length === n ? 0 : DIFFERENT;
};

/**
 * `JSON.stringify(a) === JSON.stringify(b)`, without writing either out: the live hub asks it of a ticket on every
 * commit (is the new version any different?), and a difference is usually found in the first fields. Values JSON
 * writes in its own way (undefined fields, NaN, dates) are left to `JSON.stringify`.
 */
export const sameJson = (a: unknown, b: unknown): boolean => {
  if (a === b && typeof a !== 'object') return true;
  const r = compareJson(a, b);
  return r === UNSURE ? JSON.stringify(a) === JSON.stringify(b) : r === 0;
};

/** Recomputes a query target's result after a commit; null when nothing it shows changed. */
export const nextResult = (spec: QuerySpec, current: AnyDoc[], changes: readonly Change[], requery: () => AnyDoc[]): AnyDoc[] | null => {
  const relevant = changes.filter((c) => c.ref.collection === spec.collection && (spec.parentId === undefined || c.ref.parentId === spec.parentId));
  if (relevant.length === 0) return null;
  const unbounded: QuerySpec = { ...spec, limit: undefined, limitToLast: undefined };
  const inRange = (d: AnyDoc) => runQuery(unbounded, [d]).length === 1;
  const limit = spec.limit ?? spec.limitToLast;
  const fromEnd = spec.limitToLast !== undefined;
  const wasFull = limit !== undefined && current.length >= limit;
  const held = new Set(current.map((d) => d.id));
  // The last state of each changed document in this commit.
  const latest = new Map<string, AnyDoc | null>();
  for (const c of relevant) latest.set(c.ref.id, c.after as AnyDoc | null);
  const entering: AnyDoc[] = [];
  let touched = false;
  for (const [id, after] of latest) {
    const fits = after !== null && inRange(after);
    if (fits) entering.push(after);
    if (fits || held.has(id)) touched = true;
  }
  if (!touched) return null;
  const order = comparator(spec.orderBy);
  // The current result is sorted: drop the changed documents and insert their new versions in place (no full re-sort).
  let list = current.filter((d) => !latest.has(d.id));
  for (const doc of entering) {
    let lo = 0;
    let hi = list.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (order(list[mid]!, doc) < 0) lo = mid + 1;
      else hi = mid;
    }
    list.splice(lo, 0, doc);
  }
  if (limit !== undefined) {
    list = fromEnd ? list.slice(Math.max(0, list.length - limit)) : list.slice(0, limit);
    if (wasFull) {
      // Documents beyond a full window are not held, but all of them sort beyond its old edge.
      // If the new window is short, or now reaches past that edge, one of them may belong in it.
      const oldEdge = fromEnd ? current[0]! : current.at(-1)!;
      const newEdge = fromEnd ? list[0] : list.at(-1);
      const beyond = newEdge === undefined || (fromEnd ? order(newEdge, oldEdge) < 0 : order(newEdge, oldEdge) > 0);
      if (list.length < limit || beyond) return requery();
    }
  }
  return list;
};

export const diff = (before: readonly AnyDoc[], after: readonly AnyDoc[]): DocChange[] => {
  const old = new Map(before.map((d) => [d.id, d]));
  const now = new Set(after.map((d) => d.id));
  const out: DocChange[] = [];
  for (const d of before) if (!now.has(d.id)) out.push({ type: 'removed', doc: d });
  for (const d of after) {
    const was = old.get(d.id);
    if (!was) out.push({ type: 'added', doc: d });
    // A re-read from the database yields new objects for unchanged documents: compare contents then.
    else if (was !== d && !sameJson(was, d)) out.push({ type: 'modified', doc: d });
  }
  return out;
};

/**
 * The same result as `nextResult` followed by `diff`, without re-sorting or
 * re-diffing the whole window: each changed document is taken out and put
 * back at its place by binary search. A supervisor's 10,000-ticket queue
 * otherwise costs a sort and two maps of 10,000 entries on every commit.
 */
export const applyCommit = (
  spec: QuerySpec,
  current: AnyDoc[],
  changes: readonly Change[],
  requery: () => AnyDoc[],
): { docs: AnyDoc[]; delta: DocChange[] } | null => {
  const relevant = changes.filter((c) => c.ref.collection === spec.collection && (spec.parentId === undefined || c.ref.parentId === spec.parentId));
  if (relevant.length === 0) return null;
  // Asked of every changed document on every commit: the one-document query without its array copies and sort.
  const inRange = (d: AnyDoc) => withinQuery(spec, d);
  const order = comparator(spec.orderBy);
  const limit = spec.limit ?? spec.limitToLast;
  const fromEnd = spec.limitToLast !== undefined;
  const wasFull = limit !== undefined && current.length >= limit;
  let list: AnyDoc[] | null = null;
  /** The documents this commit touched, with what the window held of them before. */
  const touched = new Map<string, AnyDoc | null>();
  for (const c of relevant) {
    const after = c.after as AnyDoc | null;
    const keep = after !== null && inRange(after);
    const from = list ?? current;
    const at = from.findIndex((d) => d.id === c.ref.id);
    if (at < 0 && !keep) continue;
    list ??= current.slice();
    if (!touched.has(c.ref.id)) touched.set(c.ref.id, at < 0 ? null : list[at]!);
    if (at >= 0) list.splice(at, 1);
    if (keep) {
      let lo = 0;
      let hi = list.length;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (order(list[mid]!, after) <= 0) lo = mid + 1;
        else hi = mid;
      }
      list.splice(lo, 0, after);
    }
  }
  if (list === null) return null;
  const delta: DocChange[] = [];
  if (limit !== undefined && list.length > limit) {
    const cut = fromEnd ? list.splice(0, list.length - limit) : list.splice(limit);
    for (const d of cut) {
      if (touched.has(d.id)) {
        const before = touched.get(d.id)!;
        if (before) delta.push({ type: 'removed', doc: before });
        touched.delete(d.id);
      } else delta.push({ type: 'removed', doc: d });
    }
  }
  if (limit !== undefined && wasFull) {
    // As in nextResult: a short window, or one reaching past its old edge, may be missing documents only the database holds.
    const oldEdge = fromEnd ? current[0]! : current.at(-1)!;
    const newEdge = fromEnd ? list[0] : list.at(-1);
    const beyond = newEdge === undefined || (fromEnd ? order(newEdge, oldEdge) < 0 : order(newEdge, oldEdge) > 0);
    if (list.length < limit || beyond) {
      const docs = requery();
      return { docs, delta: diff(current, docs) };
    }
  }
  const removed: DocChange[] = [];
  const upserted: DocChange[] = [];
  for (const [id, before] of touched) {
    const doc = list.find((d) => d.id === id);
    if (!doc) {
      if (before) removed.push({ type: 'removed', doc: before });
      continue;
    }
    if (!before) upserted.push({ type: 'added', doc });
    else if (before !== doc && !sameJson(before, doc)) upserted.push({ type: 'modified', doc });
  }
  upserted.sort((a, b) => order(a.doc as AnyDoc, b.doc as AnyDoc));
  return { docs: list, delta: [...delta, ...removed, ...upserted] };
};
