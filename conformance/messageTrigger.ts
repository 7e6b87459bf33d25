import type { Firestore } from 'firebase-admin/firestore';
import type { Message } from '@atende/core';
import { fromFirestore } from '../functions/src/store.ts';

/**
 * What `onDocumentWritten('tickets/{ticketId}/messages/{messageId}')` (the
 * `deliver` function) does in production, for the emulator harnesses
 * (conformance, bench), narrowed to the writes that can start a delivery:
 * messages whose delivery has not been tried yet (`delivery.attempts == 0`:
 * a new pending reply, or a failed one sent again). A message entering that
 * set is handed over as written from nothing; a change inside it with the
 * version seen before. (Listening to every message would make the Node
 * emulator re-send the whole collection group on every write.)
 */
export const onMessageWritten = (
  db: Firestore,
  handler: (at: { ticketId: string; messageId: string }, before: Message | null, after: Message | null) => void,
): (() => void) => {
  const inside = new Map<string, Message>();
  return db
    .collectionGroup('messages')
    .where('delivery.attempts', '==', 0)
    .onSnapshot((snap) => {
      for (const c of snap.docChanges()) {
        const path = c.doc.ref.path;
        if (c.type === 'removed') {
          inside.delete(path);
          continue;
        }
        const after = fromFirestore<Message>('messages', c.doc.data());
        const before = inside.get(path) ?? null;
        inside.set(path, after);
        handler({ ticketId: c.doc.ref.parent.parent!.id, messageId: c.doc.id }, before, after);
      }
    });
};
