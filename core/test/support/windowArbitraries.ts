import fc from 'fast-check';
import type { QuerySpec } from '@atende/core';

/** A document of the live-window property tests: ordered by `x`, filtered by `s`; `v` is in neither. */
export type WindowDoc = { id: string; x: number; s: string; v: number };

/** One write of a commit: a document put (often the same few ids, with ties on `x`) or deleted. */
export const windowOp = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('put' as const), id: fc.integer({ min: 0, max: 30 }), x: fc.integer({ min: 0, max: 6 }), s: fc.constantFrom('a', 'b'), v: fc.integer({ min: 0, max: 2 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('delete' as const), id: fc.integer({ min: 0, max: 30 }) }) },
);

/** A query over those documents: either direction, with or without a window from either end, with or without a filter. */
export const windowSpec = fc
  .record({
    dir: fc.constantFrom<'asc' | 'desc'>('asc', 'desc'),
    limit: fc.option(fc.integer({ min: 1, max: 12 }), { nil: undefined }),
    fromEnd: fc.boolean(),
    filter: fc.boolean(),
  })
  .map(({ dir, limit, fromEnd, filter }): QuerySpec => ({
    collection: 'tags',
    where: filter ? [['s', '==', 'a']] : [],
    orderBy: [['x', dir]],
    ...(limit === undefined ? {} : fromEnd ? { limitToLast: limit } : { limit }),
  }));

/** Sequences of commits of one to five writes each. */
export const windowCommits = fc.array(fc.array(windowOp, { minLength: 1, maxLength: 5 }), { maxLength: 25 });
