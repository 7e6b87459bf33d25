import { carriesRecent, REVISED, touchedAt, withRecentLines, type CollectionName, type Message, type Ticket } from '@atende/core';
import type { DocumentReference, Firestore } from 'firebase-admin/firestore';
import type { Op, ReadState } from './store.ts';

type Data = Record<string, unknown>;
export type Written = { ref: DocumentReference; collection: CollectionName; op: Op };

/**
 * The thread on the ticket (core/src/store/threadLayout.ts), in a transaction's commit. In two steps around the
 * store's reads of the tickets it writes:
 *
 * 1. `noteLines`, before them: every later write of a message that existed is marked `revised` (core's REVISED); the
 *    lines the transaction creates are gathered by ticket, and a ticket with new lines that the transaction does not
 *    write gets an (empty) update, so that the store reads it with the others. No command leaves one so.
 * 2. `writeCopies`, after them: each written ticket gets its copy from core's `withRecentLines` (null once closed);
 *    a `set` that forgot the copy keeps it. A ticket written for its copy alone that does not exist is not written.
 */
export const noteLines = (db: Firestore, writes: Map<string, Written>, reads: ReadonlyMap<string, ReadState>): ThreadLines => {
  const created = new Map<string, Message[]>();
  for (const [path, { ref, collection, op }] of writes) {
    if (collection !== 'messages' || op.kind === 'delete') continue;
    const existed = op.kind === 'update' || (op.kind === 'set' && reads.get(path)?.exists === true);
    if (existed) {
      op.data = { ...op.data, ...REVISED };
      continue;
    }
    const ticketPath = ref.parent.parent!.path;
    created.set(ticketPath, [...(created.get(ticketPath) ?? []), op.data as unknown as Message]);
  }
  const unwritten = new Set<string>();
  for (const ticketPath of created.keys()) {
    if (writes.has(ticketPath)) continue;
    unwritten.add(ticketPath);
    writes.set(ticketPath, { ref: db.doc(ticketPath), collection: 'tickets', op: { kind: 'update', data: {} } });
  }
  return { created, unwritten };
};

export interface ThreadLines {
  /** The lines this transaction creates, by their ticket's path. */
  created: Map<string, Message[]>;
  /** Tickets written only for their copy. */
  unwritten: Set<string>;
}

export const writeCopies = (writes: Map<string, Written>, ticketsRead: ReadonlyMap<string, Data>, { created, unwritten }: ThreadLines): void => {
  for (const [path, w] of writes) {
    if (w.collection !== 'tickets' || w.op.kind === 'delete') continue;
    const before = (ticketsRead.get(path) as Ticket | undefined) ?? null;
    if (unwritten.has(path) && !before) {
      writes.delete(path);
      continue;
    }
    const op = w.op;
    const after = (op.kind === 'update' ? { ...before, ...op.data } : op.data) as Ticket;
    const lines = created.get(path) ?? [];
    if (!carriesRecent(after)) {
      // null, not a deleted field: the same one write, and the Node emulator the tests run on ignores FieldValue.delete().
      if (before?.recent || op.data.recent) op.data = { ...op.data, recent: null };
    } else if (lines.length > 0) {
      const recent = withRecentLines(before, after, lines);
      op.data = { ...op.data, recent, ...(unwritten.has(path) && before && { updatedAt: touchedAt(before, lines) }) };
    } else if (op.kind !== 'update' && before?.recent && !('recent' in op.data)) op.data = { ...op.data, recent: before.recent };
  }
};
