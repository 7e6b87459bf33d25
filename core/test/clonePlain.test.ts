import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MemoryStore, refs, type Tag } from '../src/index.ts';
import { clonePlain } from '../src/store/pending.ts';

/** Every write of a transaction is copied when it is made (PendingWrites): the copy must be what structuredClone gave. */
describe('clonePlain', () => {
  it('copies JSON-shaped documents as structuredClone does, sharing no object or array with the original', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const copy = clonePlain(value);
        expect(copy).toStrictEqual(structuredClone(value));
        const shared = (a: unknown, b: unknown): boolean =>
          typeof a === 'object' && a !== null && (a === b || Object.keys(a).some((k) => shared((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k])));
        expect(shared(value, copy)).toBe(false);
      }),
    );
  });

  it('keeps undefined fields, an own "__proto__" key as a key, and copies other objects with structuredClone', () => {
    const parsed = JSON.parse('{"__proto__": {"polluted": true}, "a": [1, {"b": null}]}') as Record<string, unknown>;
    const copy = clonePlain({ ...parsed, gone: undefined, when: new Date(5) } as Record<string, unknown>);
    expect(Object.getPrototypeOf(copy)).toBe(Object.prototype);
    expect(Object.keys(copy)).toEqual(['__proto__', 'a', 'gone', 'when']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(copy.when).toEqual(new Date(5));
    expect(copy.when).not.toBe((parsed as { when?: Date }).when);
  });

  it('a document changed by the command after its write is committed as it was written', async () => {
    const store = new MemoryStore();
    const tag: Tag = { id: 't', name: 'Antes', color: '#000000', updatedAt: 1 };
    await store.transaction(async (tx) => {
      tx.set(refs.tag('t'), tag);
      tag.name = 'Depois';
    });
    expect((await store.transaction((tx) => tx.get(refs.tag('t'))))?.name).toBe('Antes');
  });
});
