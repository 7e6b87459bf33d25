import type { DocumentReference, DocumentSnapshot, Firestore } from 'firebase-admin/firestore';

/** gRPC FAILED_PRECONDITION: the document changed since it was read. */
const FAILED_PRECONDITION = 9;

/**
 * Moves the `receipts` of a project deployed before issue 15's write cut onto
 * the messages they point at (`providerKeys`, core/src/channels/received.ts),
 * then deletes them: on Firestore a provider's id now finds its message with
 * a collection-group query, and receipts are no longer read. Until this has
 * run, a repeat of a webhook received before the deploy (or a status report
 * on a reply sent before it) finds nothing. Safe to run again: a message that
 * already has the key is left alone, and each update is guarded by the update
 * time the message was read at. `npm run firestore:receipts -- --project <id>`.
 */
export const moveReceiptsOntoMessages = async (db: Firestore, log: (line: string) => void = () => {}): Promise<{ moved: number; orphans: number }> => {
  let moved = 0;
  let orphans = 0;
  for await (const receipt of db.collection('receipts').stream() as AsyncIterable<DocumentSnapshot>) {
    const { ticketId, messageId } = receipt.data() as { ticketId?: unknown; messageId?: unknown };
    const found = typeof ticketId === 'string' && typeof messageId === 'string' && (await addKey(db.doc(`tickets/${ticketId}/messages/${messageId}`), receipt.id));
    if (found) moved++;
    else orphans++;
    await receipt.ref.delete();
  }
  if (moved + orphans > 0) log(`receipts: ${moved} moved onto their messages, ${orphans} pointing at no message deleted`);
  return { moved, orphans };
};

/** Adds `key` to a message's `providerKeys`; false when the message does not exist. */
const addKey = async (ref: DocumentReference, key: string): Promise<boolean> => {
  for (;;) {
    const snap = await ref.get();
    if (!snap.exists) return false;
    const keys = (snap.get('providerKeys') as string[] | undefined) ?? [];
    if (keys.includes(key)) return true;
    try {
      await ref.update({ providerKeys: [...keys, key] }, { lastUpdateTime: snap.updateTime! });
      return true;
    } catch (e) {
      if ((e as { code?: unknown }).code !== FAILED_PRECONDITION) throw e;
    }
  }
};
