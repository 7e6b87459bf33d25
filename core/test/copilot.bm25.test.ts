import { describe, expect, it } from 'vitest';
import { Bm25Index } from '../src/copilot/bm25.ts';

describe('BM25 index, scored without a map per query', () => {
  it('ranks the document with the rarer shared term first, and one query leaves nothing behind for the next', () => {
    const index = new Bm25Index<string>();
    const boleto = index.add('boleto', ['segund', 'via', 'bolet']);
    const modem = index.add('modem', ['modem', 'nao', 'lig']);
    index.add('senha', ['senh', 'nao', 'lembr']);
    const first = index.score(new Map([['bolet', 1], ['via', 1]]));
    expect([...first.keys()]).toEqual([boleto]);
    // A second query sees only its own matches (the reused accumulator was reset).
    const second = index.score(new Map([['modem', 1], ['nao', 1]]));
    expect([...second.keys()].sort()).toEqual([modem, 2].sort());
    expect(second.get(modem)!).toBeGreaterThan(second.get(2)!);
    const seen: [number, number][] = [];
    index.scoreEach(new Map([['modem', 1], ['nao', 1]]), (doc, s) => seen.push([doc, s]));
    expect(new Map(seen)).toEqual(second);
  });

  it('keeps working as documents are added past the accumulator size, and forgets removed ones', () => {
    const index = new Bm25Index<number>();
    for (let i = 0; i < 300; i++) index.add(i, [`t${i % 7}`, 'comum']);
    const scores = index.score(new Map([['t3', 1]]));
    expect(scores.size).toBe(43);
    index.remove(3, ['t3', 'comum']);
    expect(index.score(new Map([['t3', 1]])).has(3)).toBe(false);
    expect(index.score(new Map([['t3', 1]])).size).toBe(42);
  });
});
