import type { AnyDoc, QuerySpec } from '@atende/core';

/**
 * Collections whose documents are large (a report aggregate holds thousands of numbers) and whose
 * queries never fill their window: the hub keeps an outline of each (id and the fields the query filters
 * and orders on), enough for the window maths; commits bring the full documents the changes carry.
 */
const OUTLINED = new Set(['stats']);

export const isOutlined = (spec: QuerySpec): boolean => OUTLINED.has(spec.collection);

/** The fields an outline keeps: those the query filters and orders on. */
export const outlineFields = (spec: QuerySpec): string[] =>
  [...new Set([...spec.where.map(([f]) => f), ...spec.orderBy.map(([f]) => f)])].filter((f) => f !== 'id');

/** A document made of its id and the given fields' values (dotted paths become nested objects). */
export const outline = (id: string, fields: readonly string[], values: readonly unknown[]): AnyDoc => {
  const doc: AnyDoc = { id };
  fields.forEach((path, i) => {
    if (values[i] === undefined) return;
    const keys = path.split('.');
    let at: Record<string, unknown> = doc;
    for (const k of keys.slice(0, -1)) at = (at[k] ??= {}) as Record<string, unknown>;
    at[keys.at(-1)!] = values[i];
  });
  return doc;
};
