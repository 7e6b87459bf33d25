import type { DocChange } from '../protocol.ts';
import { comparator, runQuery } from '../store/evaluate.ts';
import type { Change, QuerySpec } from '../store/types.ts';

/**
 * The maths of a live query's window: given the documents a query shows and
 * the documents a commit changed, what it shows now and the changes to send.
 * Pure; the embedded server's hub applies it on every commit.
 */
export type AnyDoc = { id: string } & Record<string, unknown>;

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
    else if (was !== d && JSON.stringify(was) !== JSON.stringify(d)) out.push({ type: 'modified', doc: d });
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
  const unbounded: QuerySpec = { ...spec, limit: undefined, limitToLast: undefined };
  const inRange = (d: AnyDoc) => runQuery(unbounded, [d]).length === 1;
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
    else if (before !== doc && JSON.stringify(before) !== JSON.stringify(doc)) upserted.push({ type: 'modified', doc });
  }
  upserted.sort((a, b) => order(a.doc as AnyDoc, b.doc as AnyDoc));
  return { docs: list, delta: [...delta, ...removed, ...upserted] };
};
