import { describe, expect, it } from 'vitest';
import { followThread, planThread, subscriptionsOf, withCopyHeld, type ThreadCopy, type ThreadPlan, type ThreadSubscription } from '@/live/threadFollow';
import { leftPage, pageOfCopy, withRevised } from '@/stores/conversationCopy';
import { message } from './fixtures';

const copy = (older: number | null, ...times: number[]): ThreadCopy => ({ lines: times.map((t) => message(`m${t}`, { createdAt: t })), older });
const ids = (list: readonly { id: string }[]) => list.map((m) => m.id);
const open = { status: 'open' as const };

describe('which listeners follow a thread (web/src/live/threadFollow.ts)', () => {
  const wait: ThreadPlan = { source: 'wait' };

  it('waits for the ticket on Firebase, then reads a ticket with a copy from it and one without from its thread', () => {
    expect(planThread(wait, undefined, true)).toBe(wait);
    const c = copy(null, 1, 2);
    expect(planThread(wait, { ...open, recent: c }, true)).toEqual({ source: 'copy', copy: c });
    expect(planThread(wait, open, true)).toEqual({ source: 'thread' });
    // The embedded server's tickets never carry a copy: no need to wait.
    expect(planThread(wait, undefined, false)).toEqual({ source: 'thread' });
  });

  it('a closed ticket keeps its copy: the thread is still read from it', () => {
    const c = copy(5, 10, 20);
    const closedWith = copy(5, 10, 20, 21);
    expect(planThread({ source: 'copy', copy: c }, { status: 'closed', recent: closedWith }, true)).toEqual({ source: 'copy', copy: closedWith });
    expect(planThread(wait, { status: 'closed', recent: closedWith }, true)).toEqual({ source: 'copy', copy: closedWith });
  });

  it('keeps the copy last held when a ticket closed before closed tickets kept it has none, and hears only what came after its newest line', () => {
    const c = copy(5, 10, 20);
    const closed = planThread({ source: 'copy', copy: c }, { status: 'closed' }, true);
    expect(closed).toEqual({ source: 'closed', copy: c, after: 20 });
    expect(subscriptionsOf('t1', closed)).toEqual([
      { query: 'messages.revisedOfTicket', params: { ticketId: 't1', limit: 100 } },
      { query: 'messages.ofTicket', params: { ticketId: 't1', limit: 200, after: 20 } },
    ]);
    // An empty copy speaks up to its `older`.
    expect(planThread({ source: 'copy', copy: copy(7) }, { status: 'closed' }, true)).toMatchObject({ after: 7 });
    // Reopened: a new copy.
    const again = copy(30, 31);
    expect(planThread(closed, { ...open, recent: again }, true)).toEqual({ source: 'copy', copy: again });
    // A ticket opened already closed has no copy to keep.
    expect(planThread(wait, { status: 'closed' }, true)).toEqual({ source: 'thread' });
  });

  it("takes a command's answer with the copy held: the answer was built before the commit wrote the copy", () => {
    const held = { ...open, recent: copy(null, 1, 2) };
    const stale = copy(null, 1);
    // An open ticket keeps the copy the listeners brought.
    expect(withCopyHeld({ ...open, recent: stale }, held)).toEqual({ ticket: held, known: true });
    expect(withCopyHeld(open, held)).toEqual({ ticket: held, known: true });
    // With none held: a copy the answer read says the ticket has one; without, it may start one in this very commit.
    expect(withCopyHeld({ ...open, recent: stale }, undefined)).toEqual({ ticket: { ...open, recent: stale }, known: true });
    expect(withCopyHeld(open, undefined)).toEqual({ ticket: open, known: false });
    // A closed ticket keeps its copy: the held one stays until the listeners bring the close line.
    expect(withCopyHeld({ status: 'closed' as const, recent: stale }, held)).toEqual({ ticket: { status: 'closed', recent: held.recent }, known: true });
  });

  it('opens a listener once, keeps the one the next plan still needs, and opens before it stops', () => {
    const log: string[] = [];
    const subscribe = (s: ThreadSubscription) => {
      const name = `${s.query}${'after' in s.params ? ` after ${s.params.after}` : ''}`;
      log.push(`open ${name}`);
      return () => log.push(`stop ${name}`);
    };
    const thread = followThread('t1', true, subscribe);
    thread.ticket(undefined);
    expect(log).toEqual([]);
    thread.ticket(open); // stored before the copy existed
    thread.ticket({ ...open, recent: copy(null, 1) }); // its first new line starts one
    thread.ticket({ ...open, recent: copy(null, 1, 2) });
    thread.ticket({ status: 'closed' });
    thread.stop();
    expect(log).toEqual([
      'open messages.ofTicket',
      'open messages.revisedOfTicket',
      'stop messages.ofTicket',
      'open messages.ofTicket after 2',
      'stop messages.revisedOfTicket',
      'stop messages.ofTicket after 2',
    ]);
  });

  it('tells a late event of a stopped listener from a current one', () => {
    const thread = followThread('t1', true, () => () => undefined);
    thread.ticket(open);
    const [own] = subscriptionsOf('t1', thread.plan);
    thread.ticket({ ...open, recent: copy(null, 1) });
    expect(thread.current(own!)).toBe(false);
    expect(thread.current(subscriptionsOf('t1', thread.plan)[0]!)).toBe(true);
  });
});

describe("a thread's live page from its ticket's copy (web/src/stores/conversationCopy.ts)", () => {
  it('shows the copy, with a revised document over its line whichever came first', () => {
    const c = copy(null, 1, 2, 3);
    const revised = new Map([['m2', message('m2', { createdAt: 2, status: 'read' })]]);
    const page = pageOfCopy(c, revised, [], []);
    expect(page.map((m) => [m.id, m.status])).toEqual([
      ['m1', 'delivered'],
      ['m2', 'read'],
      ['m3', 'delivered'],
    ]);
    // A revised line the ticket's change has not brought yet shows already.
    const early = new Map([['m4', message('m4', { createdAt: 4, status: 'failed' })]]);
    expect(ids(pageOfCopy(c, early, [], page))).toEqual(['m1', 'm2', 'm3', 'm4']);
  });

  it('lets lines slide out as the copy is trimmed: they leave the page, for the older history', () => {
    const before = pageOfCopy(copy(null, 1, 2, 3), new Map(), [], []);
    // Two lines later the copy holds three lines: 1 and 2 went out (older = 2).
    const after = pageOfCopy(copy(2, 3, 4, 5), new Map([['m1', message('m1', { createdAt: 1, status: 'read' })]]), [], before);
    expect(ids(after)).toEqual(['m3', 'm4', 'm5']);
    expect(ids(leftPage(before, after))).toEqual(['m1', 'm2']);
    // A revised line of the older history replaces the one held there.
    const history = leftPage(before, after);
    expect(withRevised(history, new Map([['m1', message('m1', { createdAt: 1, status: 'read' })]])).map((m) => m.status)).toEqual(['read', 'delivered']);
  });

  it("keeps a line newer than the copy until the copy catches up (a sent message's answer before the ticket's change)", () => {
    const shown = [...copy(null, 1, 2).lines, message('mine', { createdAt: 3, direction: 'out' })];
    expect(ids(pageOfCopy(copy(null, 1, 2), new Map(), [], shown))).toEqual(['m1', 'm2', 'mine']);
    // An older change of the ticket does not hide it either; the copy that holds it takes its place.
    expect(ids(pageOfCopy(copy(null, 1), new Map(), [], shown))).toEqual(['m1', 'm2', 'mine']);
  });

  it('after the close: the copy last held, then the lines created after it', () => {
    const c = copy(null, 1, 2);
    const page = pageOfCopy(c, new Map(), [message('close', { createdAt: 9, event: { kind: 'closed' } as never })], pageOfCopy(c, new Map(), [], []));
    expect(ids(page)).toEqual(['m1', 'm2', 'close']);
  });
});
