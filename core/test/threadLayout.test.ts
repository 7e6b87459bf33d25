import { describe, expect, it } from 'vitest';
import { lineBytes, newMessage, RECENT_LINES, Ticket, TicketRecent, touchedAt, withRecentLines, type Message } from '../src/index.ts';

const line = (id: string, createdAt: number, text = `linha ${id}`): Message =>
  newMessage({ id, ticketId: 'T1', contactId: 'C1', direction: 'in', createdAt, text });

const open = { status: 'open' } as const;
const stored = (recent: TicketRecent | undefined, updatedAt = 1_000) => ({ updatedAt, recent });

describe('the thread on the ticket (withRecentLines)', () => {
  it('a new ticket holds its whole thread: older is null', () => {
    const recent = withRecentLines(null, { status: 'bot' }, [line('b', 10), line('a', 10), line('c', 5)]);
    expect(recent).toEqual({ lines: [line('c', 5), line('a', 10), line('b', 10)], older: null });
  });

  it('appends the created lines in thread order (createdAt, then id)', () => {
    const before = stored({ lines: [line('a', 1), line('b', 2)], older: null });
    const recent = withRecentLines(before, open, [line('d', 3), line('c', 3)]);
    expect(recent?.lines.map((l) => l.id)).toEqual(['a', 'b', 'c', 'd']);
    expect(recent?.older).toBeNull();
  });

  it('trims oldest first to RECENT_LINES.max, older = createdAt of the newest dropped line', () => {
    const lines = Array.from({ length: RECENT_LINES.max }, (_, i) => line(`m${String(i).padStart(2, '0')}`, 100 + i));
    const recent = withRecentLines(stored({ lines, older: null }), open, [line('n1', 500), line('n2', 501)]);
    expect(recent?.lines).toHaveLength(RECENT_LINES.max);
    expect(recent?.lines[0]?.id).toBe('m02');
    expect(recent?.lines.at(-1)?.id).toBe('n2');
    expect(recent?.older).toBe(101);
  });

  it('drops the kept lines of the instant it cut at, so every line newer than older is in lines and no other', () => {
    // The line dropped for the bound (m00 at 100) shares its instant with m01: m01 goes too.
    const lines = [line('m00', 100), line('m01', 100), ...Array.from({ length: RECENT_LINES.max - 2 }, (_, i) => line(`k${String(i).padStart(2, '0')}`, 200 + i))];
    const recent = withRecentLines(stored({ lines, older: 50 }), open, [line('new', 900)]);
    expect(recent?.older).toBe(100);
    expect(recent?.lines.map((l) => l.id)).not.toContain('m01');
    expect(recent?.lines.every((l) => l.createdAt > 100)).toBe(true);
    expect(recent?.lines).toHaveLength(RECENT_LINES.max - 1);
  });

  it('trims to RECENT_LINES.maxBytes of JSON, counted in UTF-8', () => {
    // Accented text: 2 bytes a character, so a count of characters would keep too many.
    const heavy = (id: string, at: number) => line(id, at, 'ç'.repeat(1500));
    const created = Array.from({ length: 12 }, (_, i) => heavy(`h${String(i).padStart(2, '0')}`, 10 + i));
    const recent = withRecentLines(null, open, created)!;
    const json = new TextEncoder().encode(JSON.stringify(recent.lines)).length;
    expect(json).toBeLessThanOrEqual(RECENT_LINES.maxBytes);
    // One more line would not have fitted.
    const one = lineBytes(created[0]!);
    expect(json + one + 1).toBeGreaterThan(RECENT_LINES.maxBytes);
    expect(recent.older).toBe(recent.lines[0]!.createdAt - 1);
  });

  it('a line heavier than the bound leaves an empty copy whose older is that line', () => {
    const recent = withRecentLines(null, open, [line('big', 7, 'x'.repeat(RECENT_LINES.maxBytes))]);
    expect(recent).toEqual({ lines: [], older: 7 });
  });

  it('a closed ticket carries no copy', () => {
    expect(withRecentLines(stored({ lines: [line('a', 1)], older: null }), { status: 'closed' }, [line('z', 2)])).toBeNull();
  });

  it('a ticket stored without a copy (older, or reopened) starts one: its earlier lines are no newer than its last write', () => {
    const recent = withRecentLines(stored(undefined, 300), open, [line('same', 300), line('r', 301)]);
    expect(recent).toEqual({ lines: [line('r', 301)], older: 300 });
  });

  it('a line already in the copy is not added twice', () => {
    const recent = withRecentLines(stored({ lines: [line('a', 1)], older: null }), open, [line('a', 1), line('b', 2)]);
    expect(recent?.lines.map((l) => l.id)).toEqual(['a', 'b']);
  });

  it('the copy is a valid part of the Ticket schema (its times are derived for the codec)', () => {
    const recent = withRecentLines(null, open, [line('a', 1)]);
    expect(TicketRecent.parse(recent)).toEqual(recent);
    expect(Ticket.shape.recent.safeParse(undefined).success).toBe(true);
    // A closed ticket's: null (core/src/store/threadLayout.ts carriesRecent).
    expect(Ticket.shape.recent.safeParse(null).success).toBe(true);
  });

  it('a commit that writes only the copy moves updatedAt to its newest line', () => {
    expect(touchedAt({ updatedAt: 10 }, [line('a', 12), line('b', 11)])).toBe(12);
    expect(touchedAt({ updatedAt: 20 }, [line('a', 12)])).toBe(20);
  });
});
