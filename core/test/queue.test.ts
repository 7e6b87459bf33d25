import { describe, expect, it } from 'vitest';
import { compareWaiting, isUnanswered, waitingSince } from '../src/queue.ts';

const tk = (id: string, createdAt: number, queuedAt: number | null = null) => ({ id, createdAt, queuedAt });

describe('queue order and "Não respondidos" (issue 13)', () => {
  it('orders Esperando by when each ticket started waiting, either way, stable on ties', () => {
    const list = [tk('b', 10), tk('a', 10), tk('c', 5, 20), tk('d', 1)];
    expect(waitingSince(list[2]!)).toBe(20); // returned to the queue: waits from then
    expect([...list].sort(compareWaiting('oldest')).map((t) => t.id)).toEqual(['d', 'a', 'b', 'c']);
    expect([...list].sort(compareWaiting('newest')).map((t) => t.id)).toEqual(['c', 'b', 'a', 'd']);
    // The same list in any starting order sorts to the same result (no shuffling between renders).
    expect([...list].reverse().sort(compareWaiting('oldest')).map((t) => t.id)).toEqual(['d', 'a', 'b', 'c']);
  });

  it("is unanswered while the last message is the customer's, whatever was read", () => {
    expect(isUnanswered({ lastMessage: { text: 'oi', direction: 'in', at: 1 } })).toBe(true);
    expect(isUnanswered({ lastMessage: { text: 'olá', direction: 'out', at: 2 } })).toBe(false);
    expect(isUnanswered({ lastMessage: { text: 'Transferido', direction: 'system', at: 3 } })).toBe(false);
    expect(isUnanswered({ lastMessage: null })).toBe(false);
  });
});
