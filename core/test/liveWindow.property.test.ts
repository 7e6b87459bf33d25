import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyCommit, diff, nextResult, runQuery, type Change } from '@atende/core';
import { windowCommits, windowSpec, type WindowDoc as D } from './support/windowArbitraries.ts';

/**
 * The hub's incremental path (applyCommit: binary-search insertion instead
 * of a sort per commit, added for the 10,000-ticket queue) must give exactly
 * what the plain path gives (nextResult + diff) and what a fresh query
 * gives, including ties on the order field, windows that fill and drain,
 * and commits that touch a document twice.
 */
describe('incremental live windows', () => {
  it('matches nextResult + diff and a fresh query after any sequence of commits', () => {
    fc.assert(
      fc.property(windowSpec, windowCommits, (s, commits) => {
        const db = new Map<string, D>();
        let current = runQuery(s, [...db.values()]);
        for (const commit of commits) {
          const touched = new Map<string, { before: D | null; after: D | null }>();
          for (const o of commit) {
            const id = `d${String(o.id).padStart(2, '0')}`;
            const before = touched.get(id)?.before ?? db.get(id) ?? null;
            const after = o.kind === 'put' ? { id, x: o.x, s: o.s, v: o.v } : null;
            if (after) db.set(id, after);
            else db.delete(id);
            touched.set(id, { before, after });
          }
          const changes: Change[] = [];
          for (const [id, { before, after }] of touched) if (before || after) changes.push({ ref: { collection: 'tags', id }, before: before as never, after: after as never });
          const requery = () => runQuery(s, [...db.values()]);
          const fresh = requery();
          const plain = nextResult(s, current, changes, requery) as D[] | null;
          const fast = applyCommit(s, current, changes, requery);
          const next = (fast?.docs as D[] | undefined) ?? current;
          expect(next.map((d) => d.id)).toEqual(fresh.map((d) => d.id));
          expect(next).toEqual(plain ?? current);
          const key = (c: { type: string; doc: Record<string, unknown> }) => `${c.type}:${String(c.doc.id)}:${JSON.stringify(c.doc)}`;
          expect((fast?.delta ?? []).map(key).sort()).toEqual(plain ? diff(current, plain).map(key).sort() : []);
          current = next;
        }
      }),
      { numRuns: 500 },
    );
  });
});
