import type { Message, Ticket, TicketRecent } from '../model/index.ts';

/**
 * The thread on the ticket (Firestore only, issue 15 reads). Every commit that creates a line of a thread writes its
 * ticket anyway (last message, unread, status), and the agent's console already hears every change of the ticket it
 * serves (Em atendimento, or the open conversation's own ticket listener). So on Firestore the ticket carries a copy
 * of its newest lines, `Ticket.recent`, and the open thread reads them from there instead of listening to the thread;
 * only lines changed after their creating commit are heard apart, through the small `messages.revisedOfTicket`
 * listener (`revised: true`, set on every later write of a message). The functions' store applies these rules in the
 * commit (functions/src/threadCopy.ts); the embedded server keeps no copy and marks nothing.
 *
 * Zod-free and type-only imports: the console's Firebase side may read it by path.
 */

/**
 * The copy's bounds. It rides on every change of the ticket to every console that follows it (the assignee's and the
 * supervisors' Em atendimento, the open conversation), never on Esperando's entries nor on the customer's projection.
 * 30 lines hold a typical thread whole (the bench's life is 19 lines; most tickets end under 30), so the receiving
 * agent opens it with no read of the thread; longer threads page their older lines as before. 16 KiB caps what one
 * ticket change can weigh on the wire (a text line is 300–500 bytes; an e-mail with its HTML can be several KiB, so a
 * few of those leave the copy shorter rather than heavier) and keeps the ticket far from Firestore's 1 MiB document
 * limit whatever its other fields hold. Measured: bench/notes.md, "The thread on the ticket".
 */
export const RECENT_LINES = { max: 30, maxBytes: 16 * 1024 } as const;

/** A thread's order: by `createdAt`, then by id (the console's `byTime`). */
export const byTime = (a: Pick<Message, 'createdAt' | 'id'>, b: Pick<Message, 'createdAt' | 'id'>): number =>
  a.createdAt - b.createdAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** A closed ticket carries no copy (stored as null): nobody serves it, and its thread is read from the thread when opened. */
export const carriesRecent = (ticket: Pick<Ticket, 'status'>): boolean => ticket.status !== 'closed';

/** The UTF-8 length of a string (core reads no TextEncoder). */
const utf8Length = (s: string): number => {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff) {
      n += 4;
      i += 1;
    } else n += 3;
  }
  return n;
};

/** The bytes a line weighs in the copy, as JSON (the wire's measure; Firestore's own encoding is close to it). */
export const lineBytes = (line: Message): number => utf8Length(JSON.stringify(line));

type Stored = Pick<Ticket, 'updatedAt' | 'recent'>;

/**
 * The copy a ticket carries once a commit leaves it as `after`, having created the lines `created` of its thread.
 * `before` is the ticket as stored before the commit (null: the commit creates it, so `created` is its whole thread).
 *
 * - null: no copy (a closed ticket).
 * - New lines are appended in thread order, then the oldest are dropped until at most `RECENT_LINES.max` lines and
 *   `RECENT_LINES.maxBytes` of JSON are left; `older` becomes the `createdAt` of the newest line dropped, and kept
 *   lines of that same instant are dropped too, so that every line newer than `older` is in `lines` and none other is.
 * - A ticket stored without a copy (before this rule existed, or reopened after a close) starts one: its earlier lines
 *   are no newer than its last write, so `older` starts at `before.updatedAt` (a line of that same instant is left
 *   to the older pages).
 */
export const withRecentLines = (before: Stored | null, after: Pick<Ticket, 'status'>, created: readonly Message[]): TicketRecent | null => {
  if (!carriesRecent(after)) return null;
  const base: TicketRecent = before === null ? { lines: [], older: null } : (before.recent ?? { lines: [], older: before.updatedAt });
  const known = new Set(base.lines.map((l) => l.id));
  let older = base.older;
  const lines = [...base.lines, ...created.filter((l) => !known.has(l.id))].filter((l) => older === null || l.createdAt > older).sort(byTime);
  const sizes = lines.map(lineBytes);
  // `[` + `]` and a comma between lines.
  let bytes = 2 + sizes.reduce((sum, s) => sum + s, 0) + Math.max(0, lines.length - 1);
  let first = 0;
  const drop = () => {
    bytes -= sizes[first]! + (lines.length - first > 1 ? 1 : 0);
    older = lines[first]!.createdAt;
    first += 1;
  };
  while (lines.length - first > RECENT_LINES.max || (lines.length - first > 0 && bytes > RECENT_LINES.maxBytes)) drop();
  while (first > 0 && first < lines.length && lines[first]!.createdAt === older) drop();
  return { lines: lines.slice(first), older };
};

/**
 * When a commit creates lines of a ticket it does not write (no command does; the store then writes the ticket for
 * the copy alone), the ticket's `updatedAt` moves to its newest line, so consoles that keep the newest copy of a
 * ticket take this one.
 */
export const touchedAt = (before: Pick<Ticket, 'updatedAt'>, created: readonly Message[]): number =>
  Math.max(before.updatedAt, ...created.map((l) => l.createdAt));

/**
 * `revised`: what the functions' store adds to every write of a message that existed before the commit (a create,
 * or a set of a message the commit did not read as existing, is its creation and goes into the copy instead). Once
 * set it stays: a line changed once is heard from `messages.revisedOfTicket` from then on, and that document wins
 * over the ticket's copy of the line.
 */
export const REVISED = { revised: true } as const;
