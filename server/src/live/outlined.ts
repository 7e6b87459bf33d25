import { applyCommit, sameJson, type AnyDoc, type Change, type DocChange, type QuerySpec } from '@atende/core';
import { isOutline } from './outline.ts';

/**
 * `applyCommit` for a window kept as outlines (outline.ts). The window maths
 * is the same; what differs is what leaves for the subscribers, which must be
 * whole documents: an outline in the changes is replaced by the version this
 * commit wrote (before it, for a removal) or, for a document the commit did
 * not touch (pushed out of a full window, or brought in by a re-query), by
 * the committed document read by id. After a re-query (a full window that
 * lost a document) the outlines of the new window cannot tell whether a
 * document changed: one held before and after changed only if this commit
 * wrote it, since every earlier write went through this function too. A
 * document the commit rewrote as it was is not sent as modified (as for a
 * window of whole documents).
 */
export const applyOutlined = (
  spec: QuerySpec,
  current: AnyDoc[],
  changes: readonly Change[],
  requery: () => AnyDoc[],
  read: (id: string) => AnyDoc | null,
): { docs: AnyDoc[]; delta: DocChange[] } | null => {
  let requeried = false;
  const applied = applyCommit(spec, current, changes, () => {
    requeried = true;
    return requery();
  });
  if (applied === null) return null;
  const first = new Map<string, Change>();
  const last = new Map<string, Change>();
  for (const c of changes) {
    if (c.ref.collection !== spec.collection || (spec.parentId !== undefined && c.ref.parentId !== spec.parentId)) continue;
    if (!first.has(c.ref.id)) first.set(c.ref.id, c);
    last.set(c.ref.id, c);
  }
  let delta = applied.delta;
  if (requeried) {
    const now = new Set(applied.docs.map((d) => d.id));
    const held = new Set(current.map((d) => d.id));
    delta = [
      ...current.filter((d) => !now.has(d.id)).map((doc): DocChange => ({ type: 'removed', doc })),
      ...applied.docs.filter((d) => !held.has(d.id) || last.has(d.id)).map((doc): DocChange => ({ type: held.has(doc.id) ? 'modified' : 'added', doc })),
    ];
  }
  const rewrittenAsItWas = (id: string) => {
    const [before, after] = [first.get(id)?.before, last.get(id)?.after];
    return before != null && after != null && sameJson(before, after);
  };
  const whole = (change: DocChange): DocChange => {
    const doc = change.doc as AnyDoc;
    if (!isOutline(doc)) return change;
    const written = change.type === 'removed' ? first.get(doc.id)?.before : last.get(doc.id)?.after;
    return { type: change.type, doc: (written as AnyDoc | null | undefined) ?? read(doc.id) ?? doc };
  };
  return { docs: applied.docs, delta: delta.filter((c) => c.type !== 'modified' || !rewrittenAsItWas((c.doc as AnyDoc).id)).map(whole) };
};
