import { describe, expect, it } from 'vitest';
import { copyOnlyLine, lineBytes, newMessage, RECENT_LINES, Ticket, TicketRecent, threadQueryLines, touchedAt, withRecentLines, type Message, type QuerySpec } from '../src/index.ts';

/** A customer's line (its kind still gets its own document too) and a system line (lives in the copy alone). */
const line = (id: string, createdAt: number, text = `linha ${id}`): Message =>
  newMessage({ id, ticketId: 'T1', contactId: 'C1', direction: 'in', createdAt, text });
const event = (id: string, createdAt: number): Message => newMessage({ id, ticketId: 'T1', contactId: 'C1', direction: 'system', createdAt, text: '' });

const stored = (recent: TicketRecent | undefined | null, updatedAt = 1_000) => ({ updatedAt, recent });
const ids = (lines: readonly Message[]) => lines.map((l) => l.id);

describe('the thread on the ticket (withRecentLines)', () => {
  it('a new ticket holds its whole thread: older is null; lines of kinds kept elsewhere too are named stored', () => {
    const { recent, spilled } = withRecentLines(null, [line('b', 10), line('a', 10), event('c', 5)]);
    expect(recent).toEqual({ lines: [event('c', 5), line('a', 10), line('b', 10)], older: null, stored: ['a', 'b'] });
    expect(spilled).toEqual([]);
  });

  it('appends the created lines in thread order (createdAt, then id)', () => {
    const before = stored({ lines: [line('a', 1), line('b', 2)], older: null, stored: ['a', 'b'] });
    const { recent } = withRecentLines(before, [line('d', 3), event('c', 3)]);
    expect(ids(recent.lines)).toEqual(['a', 'b', 'c', 'd']);
    expect(recent.older).toBeNull();
    expect(recent.stored).toEqual(['a', 'b', 'd']);
  });

  it('trims oldest first to RECENT_LINES.max, older = createdAt of the newest dropped line; a dropped line that lived only here is spilled', () => {
    const lines = Array.from({ length: RECENT_LINES.max }, (_, i) => (i % 2 ? line : event)(`m${String(i).padStart(2, '0')}`, 100 + i));
    const { recent, spilled } = withRecentLines(stored({ lines, older: null, stored: ids(lines.filter((l) => l.direction === 'in')) }), [line('n1', 500), line('n2', 501)]);
    expect(recent.lines).toHaveLength(RECENT_LINES.max);
    expect(recent.lines[0]?.id).toBe('m02');
    expect(recent.lines.at(-1)?.id).toBe('n2');
    expect(recent.older).toBe(101);
    // m00 (a system line) lived only in the copy: its document is written now; m01 has one already.
    expect(ids(spilled)).toEqual(['m00']);
    expect(recent.stored).not.toContain('m01');
  });

  it('drops the kept lines of the instant it cut at, so every line newer than older is in lines and no other', () => {
    // The line dropped for the bound (m00 at 100) shares its instant with m01: m01 goes too.
    const lines = [event('m00', 100), event('m01', 100), ...Array.from({ length: RECENT_LINES.max - 2 }, (_, i) => event(`k${String(i).padStart(2, '0')}`, 200 + i))];
    const { recent, spilled } = withRecentLines(stored({ lines, older: 50, stored: [] }), [event('new', 900)]);
    expect(recent.older).toBe(100);
    expect(ids(recent.lines)).not.toContain('m01');
    expect(recent.lines.every((l) => l.createdAt > 100)).toBe(true);
    expect(recent.lines).toHaveLength(RECENT_LINES.max - 1);
    expect(ids(spilled)).toEqual(['m00', 'm01']);
  });

  it('trims to RECENT_LINES.maxBytes of JSON, counted in UTF-8', () => {
    // Accented text: 2 bytes a character, so a count of characters would keep too many.
    const heavy = (id: string, at: number) => line(id, at, 'ç'.repeat(1500));
    const created = Array.from({ length: 12 }, (_, i) => heavy(`h${String(i).padStart(2, '0')}`, 10 + i));
    const { recent } = withRecentLines(null, created);
    const json = new TextEncoder().encode(JSON.stringify(recent.lines)).length;
    expect(json).toBeLessThanOrEqual(RECENT_LINES.maxBytes);
    // One more line would not have fitted.
    const one = lineBytes(created[0]!);
    expect(json + one + 1).toBeGreaterThan(RECENT_LINES.maxBytes);
    expect(recent.older).toBe(recent.lines[0]!.createdAt - 1);
  });

  it('a line heavier than the bound leaves an empty copy whose older is that line (and is spilled if it lived only here)', () => {
    const big = { ...event('big', 7), text: 'x'.repeat(RECENT_LINES.maxBytes) };
    expect(withRecentLines(null, [big])).toEqual({ recent: { lines: [], older: 7, stored: [] }, keys: [], spilled: [big] });
  });

  it('a closed ticket keeps its copy', () => {
    const { recent } = withRecentLines(stored({ lines: [line('a', 1)], older: null, stored: ['a'] }), [event('z', 2)]);
    expect(ids(recent.lines)).toEqual(['a', 'z']);
  });

  it('a ticket stored without a copy (older, or closed before closed tickets kept it) starts one: a line of its last write or before is spilled', () => {
    const { recent, spilled } = withRecentLines(stored(null, 300), [event('same', 300), line('r', 301)]);
    expect(recent).toEqual({ lines: [line('r', 301)], older: 300, stored: ['r'] });
    expect(ids(spilled)).toEqual(['same']);
  });

  it('a copy written before lines lived in it alone: all its lines have documents, none is spilled', () => {
    const lines = Array.from({ length: RECENT_LINES.max }, (_, i) => event(`m${String(i).padStart(2, '0')}`, 100 + i));
    const { recent, spilled } = withRecentLines(stored({ lines, older: null }), [event('n', 500)]);
    expect(spilled).toEqual([]);
    expect(recent.stored).toEqual(ids(lines.slice(1)));
    expect(copyOnlyLine({ recent }, 'm05')).toBeNull();
    expect(copyOnlyLine({ recent }, 'n')).toEqual(event('n', 500));
    expect(copyOnlyLine({ recent: { lines, older: null } }, 'm05')).toBeNull();
  });

  it("a customer's line lives in the copy alone but on web chat (the widget reads the documents); the copy names its provider keys", () => {
    const keyed = (id: string, at: number) => ({ ...line(id, at), providerKeys: [`k-${id}`] });
    const whatsapp = withRecentLines(null, [keyed('a', 1), event('b', 2), { ...keyed('c', 3), direction: 'out' as const }], new Map(), { channelType: 'whatsapp' });
    expect(whatsapp.recent.stored).toEqual(['c']);
    expect(whatsapp.keys).toEqual(['k-a']);
    const webchat = withRecentLines(null, [keyed('a', 1), event('b', 2)], new Map(), { channelType: 'webchat' });
    expect(webchat.recent.stored).toEqual(['a']);
    expect(webchat.keys).toEqual([]);
  });

  it('rewrites a line of the copy in place, or deletes it', () => {
    const before = stored({ lines: [event('a', 1), event('b', 2)], older: null, stored: [] });
    const { recent } = withRecentLines(before, [], new Map([['a', { ...event('a', 1), text: 'editada' }], ['b', null]]));
    expect(recent.lines).toEqual([{ ...event('a', 1), text: 'editada' }]);
  });

  it('a line already in the copy is not added twice', () => {
    const { recent } = withRecentLines(stored({ lines: [line('a', 1)], older: null, stored: ['a'] }), [line('a', 1), line('b', 2)]);
    expect(ids(recent.lines)).toEqual(['a', 'b']);
  });

  it('the copy is a valid part of the Ticket schema (its times are derived for the codec)', () => {
    const { recent } = withRecentLines(null, [line('a', 1)]);
    expect(TicketRecent.parse(recent)).toEqual(recent);
    expect(Ticket.shape.recent.safeParse(undefined).success).toBe(true);
    // A ticket closed before closed tickets kept it: null.
    expect(Ticket.shape.recent.safeParse(null).success).toBe(true);
  });

  it('a commit that writes only the copy moves updatedAt to its newest line', () => {
    expect(touchedAt({ updatedAt: 10 }, [line('a', 12), line('b', 11)])).toBe(12);
    expect(touchedAt({ updatedAt: 20 }, [line('a', 12)])).toBe(20);
  });
});

describe("a thread's query on Firestore (threadQueryLines)", () => {
  const spec = (limitToLast: number, before?: number): QuerySpec => ({
    collection: 'messages',
    parentId: 'T1',
    where: before === undefined ? [] : [['createdAt', '<', before]],
    orderBy: [['createdAt', 'asc']],
    limitToLast,
  });
  it("merges the documents' answer with the lines the copy holds alone, ordered and limited as the query says", () => {
    const docs = [event('d1', 1), event('d2', 2)];
    const copy = { lines: [event('c3', 3), event('c4', 4)], older: 2, stored: [] };
    expect(ids(threadQueryLines(spec(10), docs, copy))).toEqual(['d1', 'd2', 'c3', 'c4']);
    expect(ids(threadQueryLines(spec(3), docs, copy))).toEqual(['d2', 'c3', 'c4']);
    expect(ids(threadQueryLines(spec(10, 4), docs, copy))).toEqual(['d1', 'd2', 'c3']);
  });
  it('a line in both (stored before lines lived in the copy alone) is read once, from its document', () => {
    const doc = { ...line('a', 1), status: 'read' as const };
    expect(threadQueryLines(spec(10), [doc], { lines: [line('a', 1), event('b', 2)], older: null, stored: ['a'] })).toEqual([doc, event('b', 2)]);
    // A copy from before: every line has its document.
    expect(threadQueryLines(spec(10), [doc], { lines: [line('a', 1), event('b', 2)], older: null })).toEqual([doc]);
  });
});
