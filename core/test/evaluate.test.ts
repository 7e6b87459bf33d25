import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareValues, firestoreProblem, matches, runQuery, withinQuery, type QuerySpec } from '../src/index.ts';

type D = { id: string; v?: unknown; n?: number; s?: string; tags?: string[]; status?: string };

const q = (spec: Partial<QuerySpec>): QuerySpec => ({ collection: 'tickets', where: [], orderBy: [], ...spec });
const ids = (docs: { id: string }[]) => docs.map((d) => d.id);

describe('runQuery ordering', () => {
  const mixed: D[] = [
    { id: 'str', v: 'a' },
    { id: 'num2', v: 2 },
    { id: 'null', v: null },
    { id: 'true', v: true },
    { id: 'num-1', v: -1 },
    { id: 'false', v: false },
    { id: 'missing' },
    { id: 'strB', v: 'B' },
  ];

  it('orders values of different types as Firestore does: null < booleans < numbers < strings; a missing field leaves the document out', () => {
    expect(ids(runQuery(q({ orderBy: [['v', 'asc']] }), mixed))).toEqual(['null', 'false', 'true', 'num-1', 'num2', 'strB', 'str']);
    expect(ids(runQuery(q({ orderBy: [['v', 'desc']] }), mixed))).toEqual(['str', 'strB', 'num2', 'num-1', 'true', 'false', 'null']);
  });

  it('breaks ties by id, in the direction of the last orderBy', () => {
    const docs: D[] = [{ id: 'b', n: 1 }, { id: 'c', n: 1 }, { id: 'a', n: 1 }, { id: 'z', n: 0 }];
    expect(ids(runQuery(q({ orderBy: [['n', 'asc']] }), docs))).toEqual(['z', 'a', 'b', 'c']);
    expect(ids(runQuery(q({ orderBy: [['n', 'desc']] }), docs))).toEqual(['c', 'b', 'a', 'z']);
    expect(ids(runQuery(q({}), docs))).toEqual(['a', 'b', 'c', 'z']);
  });

  it('orders by several fields, each in its own direction', () => {
    const docs: D[] = [
      { id: '1', s: 'x', n: 1 },
      { id: '2', s: 'x', n: 3 },
      { id: '3', s: 'a', n: 2 },
    ];
    expect(ids(runQuery(q({ orderBy: [['s', 'asc'], ['n', 'desc']] }), docs))).toEqual(['3', '2', '1']);
  });

  it('orders strings by code point (UTF-8 bytes), not by UTF-16 units', () => {
    // U+1F600 is above U+FFFF in Firestore, though its UTF-16 surrogates sort below it.
    const docs: D[] = [{ id: 'emoji', s: '😀' }, { id: 'bmp', s: '\uffff' }, { id: 'ascii', s: 'z' }];
    expect(ids(runQuery(q({ orderBy: [['s', 'asc']] }), docs))).toEqual(['ascii', 'bmp', 'emoji']);
    // So a prefix search ending in \uf8ff does not find a name that continues with an emoji, on either backend.
    const search = q({ where: [['s', '>=', 'Ana'], ['s', '<', 'Ana\uf8ff']], orderBy: [['s', 'asc']] });
    expect(ids(runQuery(search, [{ id: 'a', s: 'Ana Maria' }, { id: 'b', s: 'Ana😀' }, { id: 'c', s: 'Anb' }]))).toEqual(['a']);
  });

  it('compareValues is a total order consistent with sorting by code points', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), fc.string({ unit: 'binary' }), (a, b) => {
        const byCodePoints = (x: string, y: string) => {
          const xs = [...x].map((c) => c.codePointAt(0)!);
          const ys = [...y].map((c) => c.codePointAt(0)!);
          for (let i = 0; i < Math.min(xs.length, ys.length); i++) if (xs[i] !== ys[i]) return xs[i]! < ys[i]! ? -1 : 1;
          return Math.sign(xs.length - ys.length);
        };
        expect(Math.sign(compareValues(a, b))).toBe(byCodePoints(a, b));
        expect(Math.sign(compareValues(b, a))).toBe(-byCodePoints(a, b) || 0);
      }),
    );
  });
});

describe('runQuery filters', () => {
  const docs: D[] = [
    { id: 'a', status: 'waiting', n: 1, tags: ['vip'] },
    { id: 'b', status: 'open', n: 2, tags: [] },
    { id: 'c', status: 'closed', n: 3, tags: ['vip', 'novo'] },
    { id: 'd', status: 'waiting', n: 4 },
    { id: 'e', status: 'waiting', n: '5' as unknown as number },
  ];

  it('== and in match by value and type', () => {
    expect(ids(runQuery(q({ where: [['status', '==', 'waiting']] }), docs))).toEqual(['a', 'd', 'e']);
    expect(ids(runQuery(q({ where: [['status', 'in', ['open', 'closed']]] }), docs))).toEqual(['b', 'c']);
    expect(ids(runQuery(q({ where: [['n', 'in', [5]]] }), docs))).toEqual([]);
    expect(ids(runQuery(q({ where: [['n', '==', 1], ['status', '==', 'open']] }), docs))).toEqual([]);
  });

  it('array-contains and array-contains-any look inside arrays only', () => {
    expect(ids(runQuery(q({ where: [['tags', 'array-contains', 'vip']] }), docs))).toEqual(['a', 'c']);
    expect(ids(runQuery(q({ where: [['tags', 'array-contains-any', ['novo', 'x']]] }), docs))).toEqual(['c']);
    expect(ids(runQuery(q({ where: [['status', 'array-contains', 'waiting']] }), docs))).toEqual([]);
  });

  it('ranges compare only values of the same type', () => {
    expect(ids(runQuery(q({ where: [['n', '>', 1], ['n', '<=', 4]], orderBy: [['n', 'asc']] }), docs))).toEqual(['b', 'c', 'd']);
    expect(ids(runQuery(q({ where: [['n', '>=', 0]] }), docs))).toEqual(['a', 'b', 'c', 'd']);
    expect(ids(runQuery(q({ where: [['n', '<', 'z']] }), docs))).toEqual(['e']);
  });

  it('a filter on a missing field never matches', () => {
    expect(matches(q({ where: [['tags', 'array-contains', 'vip']] }), { id: 'x' })).toBe(false);
    expect(matches(q({ where: [['status', '==', null]] }), { id: 'x' })).toBe(false);
    expect(matches(q({ where: [['status', '==', null]] }), { id: 'x', status: null })).toBe(true);
    expect(matches(q({ where: [['contact.name', '==', 'Ana']] }), { id: 'x', contact: { name: 'Ana' } })).toBe(true);
  });
});

describe('runQuery limits and cursors', () => {
  const docs: D[] = Array.from({ length: 10 }, (_, i) => ({ id: `d${i}`, n: Math.floor(i / 2) }));
  const byN = (dir: 'asc' | 'desc') => ({ orderBy: [['n', dir]] as QuerySpec['orderBy'] });

  it('limit keeps the first, limitToLast the last, both in query order', () => {
    expect(ids(runQuery(q({ ...byN('asc'), limit: 3 }), docs))).toEqual(['d0', 'd1', 'd2']);
    expect(ids(runQuery(q({ ...byN('asc'), limitToLast: 3 }), docs))).toEqual(['d7', 'd8', 'd9']);
    expect(ids(runQuery(q({ ...byN('desc'), limitToLast: 3 }), docs))).toEqual(['d2', 'd1', 'd0']);
    expect(ids(runQuery(q({ ...byN('asc'), limitToLast: 30 }), docs))).toHaveLength(10);
  });

  it('startAfter skips everything up to and including the cursor values', () => {
    expect(ids(runQuery(q({ ...byN('asc'), startAfter: [2] }), docs))).toEqual(['d6', 'd7', 'd8', 'd9']);
    expect(ids(runQuery(q({ ...byN('desc'), startAfter: [2], limit: 3 }), docs))).toEqual(['d3', 'd2', 'd1']);
  });

  it('endBefore with limitToLast pages backwards', () => {
    expect(ids(runQuery(q({ ...byN('asc'), endBefore: [3], limitToLast: 3 }), docs))).toEqual(['d3', 'd4', 'd5']);
    // A thread's older page: createdAt < before, the last N.
    const thread = Array.from({ length: 6 }, (_, i) => ({ id: `m${i}`, createdAt: i * 10 }));
    expect(ids(runQuery(q({ where: [['createdAt', '<', 30]], orderBy: [['createdAt', 'asc']], limitToLast: 2 }), thread))).toEqual(['m1', 'm2']);
  });
});

describe('firestoreProblem', () => {
  it('accepts what Firestore accepts', () => {
    expect(firestoreProblem(q({ where: [['status', '==', 'waiting'], ['sectorId', 'in', ['a', 'b']]], orderBy: [['queuedAt', 'asc']], limit: 10 }))).toBeNull();
    expect(firestoreProblem(q({ where: [['closedAt', '<', 5], ['status', '==', 'closed']], orderBy: [['closedAt', 'desc']] }))).toBeNull();
    expect(firestoreProblem(q({ where: [['n', '>', 1], ['n', '<', 5]] }))).toBeNull();
    expect(firestoreProblem(q({ where: [['s', 'in', Array.from({ length: 30 }, (_, i) => `s${i}`)]] }))).toBeNull();
  });

  it('rejects a range on two fields', () => {
    expect(firestoreProblem(q({ where: [['n', '>', 1], ['createdAt', '<', 5]] }))).toMatch(/one field/);
    expect(firestoreProblem(q({ where: [['n', '!=', 1], ['createdAt', '<', 5]] }))).toMatch(/one field/);
  });

  it('rejects a range whose field is not the first orderBy', () => {
    expect(firestoreProblem(q({ where: [['closedAt', '<', 5]], orderBy: [['createdAt', 'desc']] }))).toMatch(/"closedAt".*order by it first/);
    expect(firestoreProblem(q({ where: [['closedAt', '<', 5]], orderBy: [['createdAt', 'desc'], ['closedAt', 'desc']] }))).toMatch(/order by it first/);
  });

  it('rejects in with more than 30 values, or none', () => {
    expect(firestoreProblem(q({ where: [['s', 'in', Array.from({ length: 31 }, (_, i) => `s${i}`)]] }))).toMatch(/"s" in needs between 1 and 30/);
    expect(firestoreProblem(q({ where: [['s', 'in', []]] }))).toMatch(/between 1 and 30/);
    expect(firestoreProblem(q({ where: [['s', 'array-contains-any', Array.from({ length: 31 }, (_, i) => i)]] }))).toMatch(/between 1 and 30/);
  });

  it('rejects two array-contains, limit with limitToLast, and limitToLast without orderBy', () => {
    expect(firestoreProblem(q({ where: [['a', 'array-contains', 1], ['b', 'array-contains', 2]] }))).toMatch(/array-contains/);
    expect(firestoreProblem(q({ orderBy: [['n', 'asc']], limit: 1, limitToLast: 1 }))).toMatch(/limitToLast/);
    expect(firestoreProblem(q({ limitToLast: 1 }))).toMatch(/orderBy/);
  });
});

describe('withinQuery', () => {
  it('keeps a document exactly when runQuery of the spec without its limits over that one document does', () => {
    const value = fc.oneof(fc.integer({ min: 0, max: 4 }), fc.constantFrom('a', 'b'), fc.constant(null));
    const doc = fc.record({ id: fc.constantFrom('d1', 'd2', 'd3'), x: fc.option(value, { nil: undefined }), y: fc.option(value, { nil: undefined }) });
    const spec = fc.record({
      where: fc.array(fc.tuple(fc.constantFrom('x', 'y'), fc.constantFrom('==', '>=', '<', '!=', 'in'), value), { maxLength: 2 }),
      orderBy: fc.array(fc.tuple(fc.constantFrom('x', 'y'), fc.constantFrom('asc', 'desc')), { maxLength: 2 }),
      startAfter: fc.option(fc.array(value, { minLength: 1, maxLength: 2 }), { nil: undefined }),
      endBefore: fc.option(fc.array(value, { minLength: 1, maxLength: 2 }), { nil: undefined }),
      limit: fc.option(fc.integer({ min: 0, max: 2 }), { nil: undefined }),
    });
    fc.assert(
      fc.property(spec, doc, (s, d) => {
        const q = {
          collection: 'tags',
          where: s.where.map(([f, op, v]) => [f, op, op === 'in' ? [v] : v]),
          orderBy: s.orderBy,
          ...(s.startAfter && { startAfter: s.startAfter }),
          ...(s.endBefore && { endBefore: s.endBefore }),
          ...(s.limit !== undefined && { limit: s.limit }),
        } as unknown as QuerySpec;
        const doc = Object.fromEntries(Object.entries(d).filter(([, v]) => v !== undefined)) as { id: string };
        expect(withinQuery(q, doc)).toBe(runQuery({ ...q, limit: undefined }, [doc]).length === 1);
      }),
      { numRuns: 2000 },
    );
  });
});
