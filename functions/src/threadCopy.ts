import { copyOnlyLine, livesInCopy, mayLiveInCopy, REVISED, touchedAt, withRecentLines, type CollectionName, type Message, type Ticket } from '@atende/core';
import type { DocumentReference, Firestore } from 'firebase-admin/firestore';
import type { Op, ReadState } from './store.ts';

type Data = Record<string, unknown>;
export type Written = { ref: DocumentReference; collection: CollectionName; op: Op };

/**
 * The thread on the ticket (core/src/store/threadLayout.ts), in a transaction's commit. In two steps around the
 * store's reads of the tickets it writes:
 *
 * 1. `noteLines`, before them: the writes of messages are sorted out by ticket. A line the transaction creates of a
 *    kind that may live in the copy alone (core's `mayLiveInCopy`; `livesInCopy` decides once the ticket is read) leaves the writes; so does a write of a line the
 *    transaction read from the copy (`fromCopy`: the store's reads of messages). A delete of a message the transaction
 *    did not read may be of a copy line: it waits for the ticket. So may an update (`blindUpdates: 'look'`); but those
 *    are the outcomes their sender writes under its lease, of lines that have their document, so they are first
 *    committed as such (`'document'`: no read of the ticket), and only a commit that fails for a missing document
 *    runs again looking (functions/src/store.ts). Every other write of a message that
 *    existed is marked `revised` (core's REVISED). A ticket with lines to keep that the transaction does not write gets
 *    an (empty) update, so that the store reads it with the others. No command leaves one so.
 * 2. `writeCopies`, after them: each ticket's copy from core's `withRecentLines`, with the provider keys of the lines
 *    that live in it alone (`recentKeys`); the lines it drops that lived in it alone are written as documents. A `set` that forgot the copy keeps it. A ticket that does not exist gets no copy:
 *    its lines are written as documents, as they were.
 */
export const noteLines = (
  db: Firestore,
  writes: Map<string, Written>,
  reads: ReadonlyMap<string, ReadState>,
  fromCopy: ReadonlySet<string>,
  blindUpdates: 'document' | 'look',
): ThreadLines => {
  const lines: ThreadLines = { byTicket: new Map(), unwritten: new Set(), blind: false };
  const of = (ticketPath: string) => {
    let t = lines.byTicket.get(ticketPath);
    if (!t) lines.byTicket.set(ticketPath, (t = { created: [], inCopy: [], maybe: [], revisions: new Map() }));
    return t;
  };
  for (const [path, written] of writes) {
    const { ref, collection, op } = written;
    if (collection !== 'messages') continue;
    const ticketPath = ref.parent.parent!.path;
    if (fromCopy.has(path)) {
      writes.delete(path);
      of(ticketPath).revisions.set(ref.id, op);
      continue;
    }
    const read = reads.get(path);
    if (op.kind === 'delete') {
      if (!read?.exists) of(ticketPath).maybe.push(written);
      continue;
    }
    const existed = op.kind === 'update' || (op.kind === 'set' && read?.exists === true);
    if (existed) {
      op.data = { ...op.data, ...REVISED };
      if (!read && op.kind === 'update') {
        lines.blind = true;
        if (blindUpdates === 'look') of(ticketPath).maybe.push(written);
      }
      continue;
    }
    const line = op.data as unknown as Message;
    const t = of(ticketPath);
    t.created.push(line);
    if (mayLiveInCopy(line)) {
      writes.delete(path);
      t.inCopy.push(written);
    }
  }
  for (const ticketPath of lines.byTicket.keys()) {
    if (writes.has(ticketPath)) continue;
    lines.unwritten.add(ticketPath);
    writes.set(ticketPath, { ref: db.doc(ticketPath), collection: 'tickets', op: { kind: 'update', data: {} } });
  }
  return lines;
};

export interface ThreadLines {
  byTicket: Map<
    string,
    {
      /** The lines this transaction creates. */
      created: Message[];
      /** The writes of those that may live in the copy alone, held back (written after all if the ticket has no copy, or `livesInCopy` says no). */
      inCopy: Written[];
      /** Writes of messages neither read nor created here: of a copy line, if the ticket's copy has it alone. */
      maybe: Written[];
      /** Writes of lines read from the copy, by id. */
      revisions: Map<string, Op>;
    }
  >;
  /** Tickets written only for their copy. */
  unwritten: Set<string>;
  /** Whether a message is updated without having been read or created here. */
  blind: boolean;
}

/** `line` after `op`; null: deleted. An update's dotted paths reach into fields. */
const revisedLine = (line: Message, op: Op): Message | null => {
  if (op.kind === 'delete') return null;
  if (op.kind !== 'update') return op.data as unknown as Message;
  const out = structuredClone(line) as unknown as Data;
  for (const [key, value] of Object.entries(op.data)) {
    const parts = key.split('.');
    let at = out;
    for (const part of parts.slice(0, -1)) at = (at[part] && typeof at[part] === 'object' ? at[part] : (at[part] = {})) as Data;
    at[parts[parts.length - 1]!] = value;
  }
  return out as unknown as Message;
};

export const writeCopies = (db: Firestore, writes: Map<string, Written>, ticketsRead: ReadonlyMap<string, Data>, { byTicket, unwritten }: ThreadLines): void => {
  for (const [path, w] of writes) {
    if (w.collection !== 'tickets') continue;
    const before = (ticketsRead.get(path) as Ticket | undefined) ?? null;
    const thread = byTicket.get(path);
    const op = w.op;
    if (op.kind === 'delete') {
      for (const l of thread?.inCopy ?? []) writes.set(l.ref.path, l);
      continue;
    }
    if (!thread) {
      if (op.kind !== 'update' && before?.recent && !('recent' in op.data)) op.data = { ...op.data, recent: before.recent, ...(before.recentKeys && { recentKeys: before.recentKeys }) };
      continue;
    }
    if (unwritten.has(path) && !before) {
      // No ticket: its lines are documents, as they were.
      writes.delete(path);
      for (const l of thread.inCopy) writes.set(l.ref.path, l);
      continue;
    }
    const changed = new Map<string, Message | null>();
    for (const [id, revision] of thread.revisions) {
      const held = copyOnlyLine(before, id);
      if (held) changed.set(id, revisedLine(held, revision));
    }
    for (const m of thread.maybe) {
      const held = copyOnlyLine(before, m.ref.id);
      if (!held) continue;
      writes.delete(m.ref.path);
      changed.set(m.ref.id, revisedLine(held, { kind: m.op.kind, data: Object.fromEntries(Object.entries(m.op.data).filter(([k]) => k !== 'revised')) }));
    }
    if (thread.created.length === 0 && changed.size === 0) {
      if (unwritten.has(path)) writes.delete(path);
      continue;
    }
    const after = (op.kind === 'update' ? { ...before, ...op.data } : op.data) as Ticket;
    for (const l of thread.inCopy) if (!livesInCopy(l.op.data as unknown as Message, after)) writes.set(l.ref.path, l);
    const { recent, keys, spilled } = withRecentLines(before, thread.created, changed, after);
    op.data = { ...op.data, recent, recentKeys: keys, ...(unwritten.has(path) && before && { updatedAt: touchedAt(before, thread.created) }) };
    for (const line of spilled) {
      const ref = db.doc(`${path}/messages/${line.id}`);
      writes.set(ref.path, { ref, collection: 'messages', op: { kind: 'set', data: line as unknown as Data } });
    }
  }
};
