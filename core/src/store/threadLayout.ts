import type { Message, Ticket, TicketRecent } from '../model/index.ts';
import { runQuery } from './evaluate.ts';
import type { QuerySpec } from './types.ts';

/**
 * The thread on the ticket (Firestore only, issue 15 reads and writes). Every commit that creates a line of a thread
 * writes its ticket anyway (last message, unread, status), and the agent's console already hears every change of the
 * ticket it serves (Em atendimento, or the open conversation's own ticket listener). So on Firestore the ticket carries
 * its newest lines, `Ticket.recent`, and the open thread reads them from there instead of listening to the thread.
 *
 * The invariant (session 12): a line a commit creates is stored only in its ticket's copy — but for the kinds
 * `livesInCopy` leaves out, which still get their own document too (`recent.stored` names those). A line is written as
 * its own `messages` document by the commit that drops it from the copy (the bounds), so the documents hold the lines
 * at or before `older` and the copy the lines after it (plus, on tickets stored before, lines that are in both: readers
 * take each id once, the document winning, `threadQueryLines`). A later write of a line that lives in the copy (an
 * outcome, a status, a reaction) rewrites it there, in the ticket's write; a line that has a document is written there,
 * marked `revised`, and heard through the small `messages.revisedOfTicket` listener. A closed ticket keeps its copy
 * (writing it out at the close would cost a write per line): the Finalizados and history lists carry up to 16 KiB per
 * ticket. The functions' store applies these rules in the commit and in its reads of messages
 * (functions/src/threadCopy.ts, functions/src/store.ts); the console's Firebase driver merges the copy into
 * `messages.ofTicket` (web/src/backend/firebaseData.ts); the embedded server keeps no copy and marks nothing.
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

/**
 * Which lines a commit creates live in the copy alone. Staged by kind (bench/notes.md, session 12): system lines, and
 * customer lines — found by their provider keys through `Ticket.recentKeys` — but for web chat's, which the widget
 * reads on Firebase straight from the thread's documents (it never reads the ticket, only its customer projection).
 * Replies keep their own document too until the delivery trigger and the outbox's retries read the copy.
 */
export const livesInCopy = (line: Pick<Message, 'direction'>, ticket: Pick<Ticket, 'channelType'> | null): boolean =>
  line.direction === 'system' || (line.direction === 'in' && ticket !== null && ticket.channelType !== 'webchat');

/** Whether a line being created may live in the copy alone, before its ticket is known (`livesInCopy` decides then). */
export const mayLiveInCopy = (line: Pick<Message, 'direction'>): boolean => line.direction !== 'out';

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

/** The copy a commit leaves, and the lines it drops that lived in it alone: the commit writes those as documents. */
export interface KeptThread {
  recent: TicketRecent;
  /** The provider keys of the lines that live in the copy alone (`Ticket.recentKeys`). */
  keys: string[];
  spilled: Message[];
}

/**
 * The copy a ticket carries once a commit has created the lines `created` of its thread and rewritten the copy's lines
 * `changed` (whole; null: deleted). `before` is the ticket as stored before the commit (null: the commit creates it,
 * so `created` is its whole thread); `ticket`, as the commit leaves it (its channel: `livesInCopy`).
 *
 * - New lines are appended in thread order, then the oldest are dropped until at most `RECENT_LINES.max` lines and
 *   `RECENT_LINES.maxBytes` of JSON are left; `older` becomes the `createdAt` of the newest line dropped, and kept
 *   lines of that same instant are dropped too, so that every line newer than `older` is in `lines`.
 * - A ticket stored without a copy (before the copy existed, or closed before closed tickets kept it) starts one: its
 *   earlier lines are no newer than its last write, so `older` starts at `before.updatedAt`; a created line of that
 *   instant or before is dropped at once.
 * - A dropped line that lived in the copy alone is `spilled`: the commit writes its document.
 */
export const withRecentLines = (
  before: Stored | null,
  created: readonly Message[],
  changed: ReadonlyMap<string, Message | null> = new Map(),
  ticket: Pick<Ticket, 'channelType'> | null = null,
): KeptThread => {
  const base: TicketRecent = before === null ? { lines: [], older: null, stored: [] } : (before.recent ?? { lines: [], older: before.updatedAt, stored: [] });
  const stored = new Set(base.stored ?? base.lines.map((l) => l.id));
  const known = new Set(base.lines.map((l) => l.id));
  for (const l of created) if (!livesInCopy(l, ticket) && !known.has(l.id)) stored.add(l.id);
  let older = base.older;
  const all = [...base.lines.flatMap((l) => (changed.has(l.id) ? (changed.get(l.id) ? [changed.get(l.id)!] : []) : [l])), ...created.filter((l) => !known.has(l.id))].sort(
    byTime,
  );
  const spilled: Message[] = [];
  const lines: Message[] = [];
  for (const l of all) (older === null || l.createdAt > older ? lines : spilled).push(l);
  const sizes = lines.map(lineBytes);
  // `[` + `]` and a comma between lines.
  let bytes = 2 + sizes.reduce((sum, s) => sum + s, 0) + Math.max(0, lines.length - 1);
  let first = 0;
  const drop = () => {
    bytes -= sizes[first]! + (lines.length - first > 1 ? 1 : 0);
    older = lines[first]!.createdAt;
    spilled.push(lines[first]!);
    first += 1;
  };
  while (lines.length - first > RECENT_LINES.max || (lines.length - first > 0 && bytes > RECENT_LINES.maxBytes)) drop();
  while (first > 0 && first < lines.length && lines[first]!.createdAt === older) drop();
  const kept = lines.slice(first);
  return {
    recent: { lines: kept, older, stored: kept.filter((l) => stored.has(l.id)).map((l) => l.id) },
    keys: kept.flatMap((l) => (stored.has(l.id) ? [] : (l.providerKeys ?? []))),
    spilled: spilled.filter((l) => !stored.has(l.id)),
  };
};

/** The line of `id` if it lives in the ticket's copy alone (not also as its own document). */
export const copyOnlyLine = (ticket: Pick<Ticket, 'recent'> | null | undefined, id: string): Message | null => {
  const recent = ticket?.recent;
  if (!recent || !recent.stored) return null;
  if (recent.stored.includes(id)) return null;
  return recent.lines.find((l) => l.id === id) ?? null;
};

/**
 * What a query of one ticket's thread (`parentId`) returns on Firestore: its answer from the stored documents
 * (`docs`, the same spec run on them, limits included) with the lines the copy holds alone (a line that has its document is read from there only: its
 * later writes went to the document), each id once, filtered, ordered and limited as the spec says.
 */
export const threadQueryLines = <T extends Message>(spec: QuerySpec, docs: readonly T[], copy: TicketRecent | null | undefined): T[] => {
  const stored = new Set(copy?.stored ?? copy?.lines.map((l) => l.id));
  const alone = (copy?.lines ?? []).filter((l) => !stored.has(l.id));
  if (alone.length === 0) return docs as T[];
  const byId = new Map<string, T>();
  for (const l of alone) byId.set(l.id, l as T);
  for (const d of docs) byId.set(d.id, d);
  return runQuery(spec, byId.values());
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
