import { decodeTimes, threadQueryLines, type DocChange, type Message, type QuerySpec, type Ticket } from '@atende/core';
import { doc, getDocFromServer, getDocsFromServer, onSnapshot, type DocumentData, type Firestore, type Query } from 'firebase/firestore';
import type { LiveEvent } from './types.ts';
import type { Meter } from './firebaseSubscriptions.ts';

/**
 * A thread's lines on Firestore (`messages.ofTicket`): its stored documents with the lines its ticket's copy holds
 * alone (core/src/store/threadLayout.ts: a line lives in the copy until a later commit drops it and writes its
 * document), merged by core's `threadQueryLines` — each id once, filtered, ordered and limited as the query says.
 * So it reads the ticket too: one more read at the first answer, and one at each change of the ticket.
 */

type Spec = QuerySpec<'messages'> & { parentId: string };

const ticketPathOf = (spec: Spec) => `tickets/${spec.parentId}`;
const linesOf = (docs: readonly DocumentData[]) => docs.map((d) => decodeTimes('messages', d) as Message);
const copyOf = (data: DocumentData | undefined) => (data ? (decodeTimes('tickets', data) as Ticket).recent : null);

/** Whether the catalogue query reads a thread with its ticket's copy. */
export const readsCopy = (queryName: string, spec: QuerySpec): spec is Spec => queryName === 'messages.ofTicket' && spec.collection === 'messages' && spec.parentId !== undefined;

/** The thread read once from the server. */
export const readThread = async (db: Firestore, q: Query<DocumentData>, spec: Spec, queryName: string, meter?: Meter): Promise<Message[]> => {
  const [snap, ticket] = await Promise.all([getDocsFromServer(q), getDocFromServer(doc(db, ticketPathOf(spec)))]);
  meter?.(queryName, Math.max(1, snap.size) + 1);
  return threadQueryLines(spec, linesOf(snap.docs.map((d) => d.data())), copyOf(ticket.data()));
};

/** The thread as a live query: a snapshot once both the documents and the ticket have answered, then the lines that changed. */
export const listenThread = (
  db: Firestore,
  q: Query<DocumentData>,
  spec: Spec,
  queryName: string,
  emit: (event: LiveEvent<never>) => void,
  onError: (err: unknown) => void,
  meter?: Meter,
): (() => void) => {
  let docs: Message[] | null = null;
  let copy: Ticket['recent'] | undefined;
  let shown: Map<string, Message> | null = null;
  const update = () => {
    if (docs === null || copy === undefined) return;
    const lines = threadQueryLines(spec, docs, copy);
    const next = new Map(lines.map((l) => [l.id, l]));
    if (shown === null) {
      shown = next;
      emit({ type: 'snapshot', docs: lines as never[] });
      return;
    }
    const changes: DocChange<never>[] = [];
    for (const [id, l] of shown) if (!next.has(id)) changes.push({ type: 'removed', doc: l as never });
    for (const [id, l] of next) {
      const was = shown.get(id);
      if (!was) changes.push({ type: 'added', doc: l as never });
      else if (JSON.stringify(was) !== JSON.stringify(l)) changes.push({ type: 'modified', doc: l as never });
    }
    shown = next;
    if (changes.length > 0) emit({ type: 'changes', changes });
  };
  let firstDocs = true;
  const stopDocs = onSnapshot(
    q,
    (snap) => {
      meter?.(queryName, firstDocs ? Math.max(1, snap.size) : snap.docChanges().length);
      firstDocs = false;
      docs = linesOf(snap.docs.map((d) => d.data()));
      update();
    },
    onError,
  );
  let firstTicket = true;
  const stopTicket = onSnapshot(
    doc(db, ticketPathOf(spec)),
    (snap) => {
      if (firstTicket || !snap.metadata.fromCache) meter?.(queryName, 1);
      firstTicket = false;
      copy = copyOf(snap.data()) ?? null;
      update();
    },
    onError,
  );
  return () => {
    stopDocs();
    stopTicket();
  };
};
