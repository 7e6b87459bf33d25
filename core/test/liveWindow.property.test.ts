import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { diff, nextResult, runQuery, type Change, type QuerySpec } from '@atende/core';

type D = { id: string; x: number; s: string };

/**
 * The hub keeps each live query's result up to date from the changes of
 * each commit, going back to the database only when a limited window runs
 * short. Whatever the changes, the result must equal running the query
 * afresh, and the diff must turn the old result into the new one.
 */
describe("live result maintenance (core/src/live/window.ts, what the hub runs on every commit)", () => {
  const op = fc.oneof(
    fc.record({ kind: fc.constant('put' as const), id: fc.integer({ min: 0, max: 9 }), x: fc.integer({ min: 0, max: 5 }), s: fc.constantFrom('a', 'b') }),
    fc.record({ kind: fc.constant('delete' as const), id: fc.integer({ min: 0, max: 9 }) }),
  );
  const spec = fc
    .record({
      dir: fc.constantFrom<'asc' | 'desc'>('asc', 'desc'),
      limit: fc.option(fc.integer({ min: 1, max: 4 }), { nil: undefined }),
      fromEnd: fc.boolean(),
      filter: fc.boolean(),
    })
    .map(({ dir, limit, fromEnd, filter }): QuerySpec => ({
      collection: 'tags',
      where: filter ? [['s', '==', 'a']] : [],
      orderBy: [['x', dir]],
      ...(limit === undefined ? {} : fromEnd ? { limitToLast: limit } : { limit }),
    }));

  it('equals a fresh query after any sequence of commits', () => {
    fc.assert(
      fc.property(spec, fc.array(fc.array(op, { minLength: 1, maxLength: 4 }), { maxLength: 12 }), (s, commits) => {
        const db = new Map<string, D>();
        let current = runQuery(s, [...db.values()]);
        for (const commit of commits) {
          const changes: Change[] = [];
          const touched = new Map<string, { before: D | null; after: D | null }>();
          for (const o of commit) {
            const id = `d${o.id}`;
            const before = touched.get(id)?.before ?? db.get(id) ?? null;
            const after = o.kind === 'put' ? { id, x: o.x, s: o.s } : null;
            if (after) db.set(id, after);
            else db.delete(id);
            touched.set(id, { before, after });
          }
          for (const [id, { before, after }] of touched) if (before || after) changes.push({ ref: { collection: 'tags', id }, before: before as never, after: after as never });
          const next = (nextResult(s, current, changes, () => runQuery(s, [...db.values()])) as D[] | null) ?? current;
          const fresh = runQuery(s, [...db.values()]);
          expect(next.map((d) => d.id)).toEqual(fresh.map((d) => d.id));
          // Applying the diff to the old result gives the new one.
          const applied = new Map(current.map((d) => [d.id, d]));
          for (const c of diff(current, next)) c.type === 'removed' ? applied.delete(c.doc.id as string) : applied.set(c.doc.id as string, c.doc as D);
          expect([...applied.keys()].sort()).toEqual(fresh.map((d) => d.id).sort());
          for (const d of fresh) expect(applied.get(d.id)).toEqual(d);
          current = next;
        }
      }),
      { numRuns: 400 },
    );
  });
});
