import { describe, expect, it } from 'vitest';
import type { LiveEvent } from '../src/backend/types.ts';
import { firstPageThenAll } from '../src/live/firstPage.ts';

type Doc = { id: string };
/** A stand-in for subscribeLive: records each subscription's limit, handler and whether it was stopped. */
const fakeOpen = () => {
  const subs: { limit: number; handler: (e: LiveEvent<Doc>) => void; stopped: boolean }[] = [];
  const open = (limit: number, handler: (e: LiveEvent<Doc>) => void) => {
    const sub = { limit, handler, stopped: false };
    subs.push(sub);
    return () => void (sub.stopped = true);
  };
  return { subs, open };
};
const snapshot = (...ids: string[]): LiveEvent<Doc> => ({ type: 'snapshot', docs: ids.map((id) => ({ id })) });
const added = (id: string): LiveEvent<Doc> => ({ type: 'changes', changes: [{ type: 'added', doc: { id } }] });

describe('first page, then the whole list', () => {
  it('draws the page first, then swaps to the whole list once its snapshot arrives', () => {
    const { subs, open } = fakeOpen();
    const applied: LiveEvent<Doc>[] = [];
    firstPageThenAll(open, 50, 10_000, (e) => applied.push(e));
    expect(subs.map((s) => s.limit)).toEqual([50]);
    subs[0]!.handler(snapshot('a', 'b'));
    expect(applied).toEqual([snapshot('a', 'b')]);
    // The whole list is asked for only after the page answered.
    expect(subs.map((s) => s.limit)).toEqual([50, 10_000]);
    // A change of the page meanwhile (an older ticket sliding into the window) is not news: dropped.
    subs[0]!.handler(added('c'));
    expect(applied).toHaveLength(1);
    subs[1]!.handler(snapshot('a', 'b', 'c', 'd'));
    expect(subs[0]!.stopped).toBe(true);
    subs[1]!.handler(added('e'));
    expect(applied).toEqual([snapshot('a', 'b'), snapshot('a', 'b', 'c', 'd'), added('e')]);
  });

  it('stops both subscriptions, and never opens the whole list once stopped', () => {
    const { subs, open } = fakeOpen();
    const stop = firstPageThenAll(open, 50, 10_000, () => undefined);
    stop();
    subs[0]!.handler(snapshot('a'));
    expect(subs).toHaveLength(1);
    expect(subs[0]!.stopped).toBe(true);
  });

  it('passes on a refusal of the page', () => {
    const { subs, open } = fakeOpen();
    const applied: LiveEvent<Doc>[] = [];
    firstPageThenAll(open, 50, 10_000, (e) => applied.push(e));
    const refused: LiveEvent<Doc> = { type: 'error', error: { code: 'permission-denied', message: 'no', issues: [] } } as never;
    subs[0]!.handler(refused);
    expect(applied).toEqual([refused]);
    expect(subs).toHaveLength(1);
  });
});
