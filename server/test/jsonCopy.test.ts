import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { jsonCopy } from '../src/db/jsonCopy.ts';

const holdsNegativeZero = (v: unknown): boolean =>
  Object.is(v, -0) || (typeof v === 'object' && v !== null && Object.values(v).some(holdsNegativeZero));

/** A read of a document the last commit wrote copies that object instead of parsing its text: the copy must be the parse. */
describe('jsonCopy', () => {
  it('gives what JSON.parse(JSON.stringify(value)) gives, sharing no object or array with the value', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const copy = jsonCopy(value);
        // -0 is a value JSON writes its own way ("0"): there it gives way (below), and only there.
        if (copy === undefined && holdsNegativeZero(value)) return;
        expect(copy).toStrictEqual(JSON.parse(JSON.stringify(value)));
        const shared = (a: unknown, b: unknown): boolean =>
          typeof a === 'object' && a !== null && (a === b || Object.keys(a).some((k) => shared((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k])));
        expect(shared(value, copy)).toBe(false);
      }),
    );
  });

  it('for anything else, gives either exactly that or undefined (the caller parses the text)', () => {
    fc.assert(
      fc.property(fc.anything({ withDate: true, withMap: true, withNullPrototype: true, withSparseArray: true, withBoxedValues: true, withTypedArray: true }), (value) => {
        let text: string | undefined;
        try {
          text = JSON.stringify(value);
        } catch {
          return; // a BigInt: no text to stand for
        }
        const copy = jsonCopy(value);
        if (copy !== undefined) expect(copy).toStrictEqual(text === undefined ? undefined : JSON.parse(text));
      }),
    );
  });

  it('gives way on what JSON writes its own way, and keeps an own "__proto__" key a key', () => {
    const holey: number[] = [];
    holey[1] = 1;
    for (const odd of [{ a: undefined }, { a: Number.NaN }, { a: -0 }, [1, undefined], { a: new Date(0) }, { toJSON: () => 1 }, { [Symbol('s')]: 1 }, { f: () => 1 }, holey])
      expect(jsonCopy(odd)).toBeUndefined();
    const parsed = JSON.parse('{"__proto__": {"x": 1}, "a": [1, {"b": null}]}') as Record<string, unknown>;
    const copy = jsonCopy(parsed)!;
    expect(Object.getPrototypeOf(copy)).toBe(Object.prototype);
    expect(Object.keys(copy)).toEqual(['__proto__', 'a']);
    expect(copy).toStrictEqual(JSON.parse(JSON.stringify(parsed)));
  });
});
