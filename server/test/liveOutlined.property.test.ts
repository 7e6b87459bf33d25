import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyCommit, runQuery, type AnyDoc, type Change, type DocChange } from '@atende/core';
import { windowCommits, windowSpec, type WindowDoc as D } from '../../core/test/support/windowArbitraries.ts';
import { isOutline, outline, outlineFields } from '../src/live/outline.ts';
import { applyOutlined } from '../src/live/outlined.ts';

/**
 * A window the hub keeps as outlines (a 10,000-ticket queue: id and order
 * fields only) must send its subscribers exactly what a window of whole
 * documents sends — the same changes, each with the whole document — after
 * any sequence of commits: ties, windows that fill and drain (re-queries),
 * commits that touch a document twice, rewrite it as it was, or change only
 * a field the outline does not keep (`v`).
 */
describe('live windows kept as outlines (server/src/live/outlined.ts)', () => {
  it('sends the changes a window of whole documents sends, with whole documents, after any sequence of commits', () => {
    fc.assert(
      fc.property(windowSpec, windowCommits, (s, commits) => {
        const db = new Map<string, D>();
        const fields = outlineFields(s);
        const outlines = () => runQuery(s, [...db.values()]).map((d) => outline(d.id, fields, fields.map((f) => (d as Record<string, unknown>)[f])));
        let whole: AnyDoc[] = [];
        let outlined: AnyDoc[] = outlines();
        for (const commit of commits) {
          const changes: Change[] = [];
          for (const o of commit) {
            const id = `d${String(o.id).padStart(2, '0')}`;
            const before = db.get(id) ?? null;
            const after = o.kind === 'put' ? { id, x: o.x, s: o.s, v: o.v } : null;
            if (after) db.set(id, after);
            else db.delete(id);
            // One change per write, as a group commit's transactions give them: the same document may come twice.
            if (before || after) changes.push({ ref: { collection: 'tags', id }, before: before as never, after: after as never });
          }
          const full = applyCommit(s, whole, changes, () => runQuery(s, [...db.values()]));
          const slim = applyOutlined(s, outlined, changes, outlines, (id) => db.get(id) ?? null);
          const key = (c: DocChange) => `${c.type}:${JSON.stringify(c.doc)}`;
          expect((slim?.delta ?? []).map(key).sort()).toEqual((full?.delta ?? []).map(key).sort());
          for (const c of slim?.delta ?? []) expect(isOutline(c.doc as AnyDoc)).toBe(false);
          whole = full?.docs ?? whole;
          outlined = slim?.docs ?? outlined;
          expect(outlined.map((d) => d.id)).toEqual(runQuery(s, [...db.values()]).map((d) => d.id));
        }
      }),
      { numRuns: 500 },
    );
  });
});
