import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sameJson } from '../src/index.ts';

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** A value and a copy of it with one field changed, dropped, set undefined or moved last (or none): pairs that are often the same JSON. */
const nearPair = fc.tuple(fc.anything({ withNullPrototype: true, withDate: true }), fc.nat(), fc.constantFrom('change', 'drop', 'undefined', 'move', 'none'), fc.anything()).map(([value, pick, how, other]) => {
  const copy = structuredClone(value) as unknown;
  if (typeof copy !== 'object' || copy === null || how === 'none') return [value, copy] as const;
  const keys = Object.keys(copy);
  if (keys.length === 0) return [value, copy] as const;
  const key = keys[pick % keys.length]!;
  const rec = copy as Record<string, unknown>;
  if (how === 'change') rec[key] = other;
  else if (how === 'drop') delete rec[key];
  else if (how === 'undefined') rec[key] = undefined;
  else {
    const v = rec[key];
    delete rec[key];
    rec[key] = v;
  }
  return [value, copy] as const;
});

/** The live hub asks whether a document changed: sameJson must answer exactly as comparing the two JSON texts does. */
describe('sameJson', () => {
  it('agrees with comparing JSON.stringify of both, on any values', () => {
    fc.assert(fc.property(fc.anything({ withNullPrototype: true, withDate: true }), fc.anything({ withNullPrototype: true, withDate: true }), (a, b) => {
      expect(sameJson(a, b)).toBe(same(a, b));
    }), { numRuns: 2000 });
  });

  it('agrees with it on a value and a near copy (one field changed, dropped, undefined or moved)', () => {
    fc.assert(fc.property(nearPair, ([a, b]) => {
      expect(sameJson(a, b)).toBe(same(a, b));
    }), { numRuns: 3000 });
  });

  it('agrees with it on JSON documents and their parsed copies', () => {
    fc.assert(fc.property(fc.jsonValue(), (v) => {
      expect(sameJson(v, JSON.parse(JSON.stringify(v)))).toBe(true);
    }));
  });

  it('sees what JSON writes alike: an undefined field and a missing one, NaN and null, -0 and 0, a date and its ISO text', () => {
    expect(sameJson({ a: 1, b: undefined }, { a: 1 })).toBe(true);
    expect(sameJson([Number.NaN], [null])).toBe(true);
    expect(sameJson({ n: -0 }, { n: 0 })).toBe(true);
    expect(sameJson({ at: new Date(0) }, { at: '1970-01-01T00:00:00.000Z' })).toBe(true);
    expect(sameJson({ a: 1, b: 2 }, { b: 2, a: 1 })).toBe(false);
    expect(sameJson({ a: '1' }, { a: 1 })).toBe(false);
  });

  it('settles on the first field that differs only where no field JSON leaves out came before it, and never past a toJSON', () => {
    expect(sameJson({ a: undefined, b: 1 }, { b: 1 })).toBe(true);
    expect(sameJson({ a: 1, f: () => 0, b: 2 }, { a: 1, b: 2 })).toBe(true);
    expect(sameJson({ a: 1, x: 2, z: undefined }, { a: 1, x: 3 })).toBe(false);
    expect(sameJson({ a: 1, b: 2 }, { a: 1 })).toBe(false);
    expect(sameJson({ a: 1 }, { a: 1, b: undefined, c: Symbol('c') })).toBe(true);
    // The method stands for the whole object: the fields before it say nothing.
    expect(sameJson({ a: 1, toJSON: () => 5 }, { a: 2, toJSON: () => 5 })).toBe(true);
    expect(sameJson({ a: 1 }, { a: 2, toJSON: () => ({ a: 1 }) })).toBe(true);
    expect(sameJson({ d: { a: 1, toJSON: () => 'x' } }, { d: 'x' })).toBe(true);
  });
});
