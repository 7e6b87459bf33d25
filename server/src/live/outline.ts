import type { AnyDoc, QuerySpec } from '@atende/core';

/**
 * Windows the hub keeps as outlines (each document's id and the fields the query orders on, all the window
 * maths reads of a document it holds: whether a document belongs is asked only of the versions a commit
 * brings) instead of whole documents: collections whose documents are large (a report
 * aggregate holds thousands of numbers), and windows of more than OUTLINE_WINDOW documents (a supervisor's
 * 10,000-ticket queue). Their snapshot is the stored bytes sent as they are (nothing parsed, nothing
 * serialised); commits bring the whole documents the changes carry (`outlined.ts`).
 */
const OUTLINED = new Set(['stats']);

/** A window larger than this is kept as outlines. */
export const OUTLINE_WINDOW = 1000;

export const isOutlined = (spec: QuerySpec): boolean => OUTLINED.has(spec.collection) || (spec.limit ?? spec.limitToLast ?? 0) > OUTLINE_WINDOW;

/** The fields an outline keeps: those the query orders on (`core` applyCommit compares held documents by them only). */
export const outlineFields = (spec: QuerySpec): string[] => [...new Set(spec.orderBy.map(([f]) => f))].filter((f) => f !== 'id');

/**
 * Marks every outline made here: what a subscriber is sent must never be one. A symbol key, which JSON and
 * `Object.keys` never see, rather than a WeakSet: a read of a large window makes 10,000 outlines, each a WeakSet
 * insertion and a weak entry for the collector to visit.
 */
const OUTLINE = Symbol('outline');

export const isOutline = (doc: AnyDoc): boolean => (doc as { [OUTLINE]?: true })[OUTLINE] === true;

/** A document made of its id and the given fields' values (dotted paths become nested objects). */
export const outline = (id: string, fields: readonly string[], values: readonly unknown[]): AnyDoc => {
  const doc: AnyDoc = { id };
  (doc as { [OUTLINE]?: true })[OUTLINE] = true;
  fields.forEach((path, i) => {
    if (values[i] === undefined) return;
    if (!path.includes('.')) {
      doc[path] = values[i];
      return;
    }
    const keys = path.split('.');
    let at: Record<string, unknown> = doc;
    for (const k of keys.slice(0, -1)) at = (at[k] ??= {}) as Record<string, unknown>;
    at[keys.at(-1)!] = values[i];
  });
  return doc;
};
