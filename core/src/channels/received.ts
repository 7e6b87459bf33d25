import { safeKey } from '../ids.ts';
import type { Message } from '../model/index.ts';
import { refs } from '../store/refs.ts';
import type { Tx } from '../store/types.ts';

/**
 * How a provider's message id finds its message (issue 15, writes), the one
 * rule for both backends: a repeated webhook (the customer's message is
 * already here), a status report, a reaction, a deletion or a quote.
 *
 * Every message a provider knows carries `providerKeys`, the channel-scoped
 * keys of its ids (`providerKey`: one for a customer's message, one per part
 * of a reply sent in several). How they are looked up depends on the store:
 *
 * - a store that answers a collection-group `array-contains` query from an
 *   index (`tx.arrayIndexes`: Firestore) queries the messages — no document
 *   besides the message, so a customer's message costs no extra write;
 * - a store that would scan for it (SQLite cannot index inside arrays) keeps
 *   a `receipts/{key}` document per key, written in the same transaction, and
 *   reads the message through it.
 *
 * Two copies of one webhook racing on Firestore both find nothing, but both
 * read and write the ticket they join (or the protocol counter of the ticket
 * they open, or the rated ticket of a survey answer): one commit loses, runs
 * again and finds the other's message. On SQLite transactions are serial.
 */

/** The key of a provider's message id on a channel; a web-chat customer's own ids are scoped to them (`contactId`). */
export const providerKey = (channelId: string, channelMessageId: string, contactId?: string): string =>
  safeKey(contactId === undefined ? `${channelId}:${channelMessageId}` : `${channelId}:${contactId}:${channelMessageId}`);

/**
 * The message a provider key names, or null. Reads one document (plus the receipt where receipts are kept).
 * `fresh`: the key is a new message's, almost never seen before, and the transaction records it (`recordProviderKeys`
 * with `fresh`) when it is not found: the store may take the receipt to be absent unread (`ReadHint`).
 */
export const findByProviderKey = async (tx: Tx, key: string, fresh = false): Promise<Message | null> => {
  if (tx.arrayIndexes) {
    const found = await tx.query({ collection: 'messages', where: [['providerKeys', 'array-contains', key]], orderBy: [], limit: 1 });
    return found[0] ?? null;
  }
  const receipt = await tx.get(refs.receipt(key), fresh ? { expectAbsent: true } : undefined);
  return receipt ? await tx.get(refs.message(receipt.ticketId, receipt.messageId)) : null;
};

/**
 * Records the keys of a message written in this transaction (whose
 * `providerKeys` already hold them): nothing more where the store indexes
 * them, a receipt per key elsewhere. `fresh`: the keys are new (a customer's
 * message), so a receipt already there fails the commit.
 */
export const recordProviderKeys = (tx: Tx, message: Pick<Message, 'id' | 'ticketId'>, keys: readonly string[], now: number, fresh = false): void => {
  if (tx.arrayIndexes) return;
  for (const id of keys) {
    const receipt = { id, ticketId: message.ticketId, messageId: message.id, at: now };
    if (fresh) tx.create(refs.receipt(id), receipt);
    else tx.set(refs.receipt(id), receipt);
  }
};
