import { safeKey } from '../ids.ts';
import type { Channel, Message, Ticket } from '../model/index.ts';
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
 *   besides the message, so a customer's message costs no extra write — and,
 *   where a line may live in its ticket's copy alone (`tx.threadCopies`), the
 *   tickets by the keys of those lines (`Ticket.recentKeys`): a second query,
 *   asked only when the first finds nothing;
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
    if (found[0] || !tx.threadCopies) return found[0] ?? null;
    // A line that lives in its ticket's copy alone (core/src/store/threadLayout.ts): its ticket names its keys.
    const [ticket] = await tx.query({ collection: 'tickets', where: [['recentKeys', 'array-contains', key]], orderBy: [], limit: 1 });
    const line = ticket?.recent?.lines.find((l) => l.providerKeys?.includes(key));
    // Read through the store, which then knows the line lives in the copy (the ticket is read already: no read).
    return line ? await tx.get(refs.message(ticket!.id, line.id)) : null;
  }
  const receipt = await tx.get(refs.receipt(key), fresh ? { expectAbsent: true } : undefined);
  return receipt ? await tx.get(refs.message(receipt.ticketId, receipt.messageId)) : null;
};

/**
 * A customer's message arriving (`inbound.receive`) on Firestore, where the ticket it joins was found by the key its
 * sender writes from (`keyed`: the open ticket whose `customerKey` is `identityKey`, read by the transaction anyway):
 * the message this provider key names, or null — without the collection-group query where the ticket proves it.
 *
 * - A key among the lines of the ticket's copy of its thread (`Ticket.recent`, written in the commit of every line:
 *   core/src/store/threadLayout.ts) is a repeat: that line is the message. A customer's message carries its key from
 *   the commit that creates it, which is the commit that puts it in the copy.
 * - A key absent from a copy that holds the whole thread (`older === null`) proves the message new to THIS ticket; it
 *   is new everywhere when the ticket also holds every message its sender ever wrote on the channel
 *   (`soleThreadOf === identityKey`, see `soleThreadMark`). Else the query decides, as on every other path.
 *
 * - When no open ticket has the key, `inbound.receive` asks the query only if the contact query finds the customer:
 *   one no contact knows has no message stored anywhere ("Nothing before" below).
 *
 * Why `soleThreadOf` holds while it is set:
 * - Nothing before: a customer's message is stored on the ticket its keyed lookup found or on a ticket of a contact
 *   holding (a form of) its identity, and a commit that stores one where no contact holds it creates that contact. So
 *   when the contact query finds no contact with any form of the identity, none was stored before; the mark is written
 *   only by the commit that opens the ticket together with the contact, after such an empty contact query.
 * - Nothing elsewhere since: every later message from that identity on the channel runs the keyed lookup first and
 *   joins the open ticket whose `customerKey` is the identity — this one, while it is open and keeps that key (a write
 *   that changes the key drops the mark, `keptSoleThread`) and no other open ticket has it. A close drops the mark
 *   (`writeTicket`): a closed ticket keeps its whole copy, and while it is closed the identity's messages go to other
 *   tickets. A move to another channel drops the mark: "Nova conversa" could then open a second ticket with this key
 *   on the old one.
 * - The assumptions (each broken only by a rare sequence of commands, and then a repeat the provider sends within its
 *   retry window would be stored twice): an identity belongs to one contact — it comes to belong to two when a ticket
 *   of the same person, known apart on another number, is moved onto this number, and a "Nova conversa" to that other
 *   contact then opens a second ticket with this key while this one is open — and stays on it (only
 *   `conversation.start`'s cap of 20 identities a contact drops one, the oldest).
 * E-mail is never marked: a reply in a thread joins the thread's ticket whoever sends it.
 *
 * Two copies of one webhook racing: both read the ticket (the keyed query) and both write it, as before; the commit
 * that loses runs again and finds the other's message in the copy — the winner's commit wrote it there.
 */
export const findInbound = async (tx: Tx, key: string, keyed: Ticket | null, identityKey: string): Promise<Message | null> => {
  const copy = tx.arrayIndexes ? keyed?.recent : null;
  if (copy) {
    const line = copy.lines.find((l) => l.providerKeys?.includes(key));
    if (line) return line;
    if (copy.older === null && keyed!.soleThreadOf === identityKey && keyed!.customerKey === identityKey) return null;
  }
  return findByProviderKey(tx, key, true);
};

/**
 * `Ticket.soleThreadOf` for a ticket `inbound.receive` opens (see `findInbound`): the identity, where the store answers
 * the provider-key query from an index (Firestore; the embedded server keeps receipts and never marks), the customer's
 * contact is created in the same commit, and the channel is not e-mail; else nothing.
 */
export const soleThreadMark = (tx: Tx, channel: Pick<Channel, 'type'>, contactCreated: boolean, identityKey: string): { soleThreadOf?: string } =>
  tx.arrayIndexes && contactCreated && channel.type !== 'email' ? { soleThreadOf: identityKey } : {};

/** The mark after a write that leaves the ticket with this `customerKey` on this channel: dropped (null) once either changes. */
export const keptSoleThread = (before: Pick<Ticket, 'soleThreadOf' | 'channelId'>, after: Pick<Ticket, 'customerKey' | 'channelId'>): { soleThreadOf?: null } =>
  before.soleThreadOf && (after.customerKey !== before.soleThreadOf || after.channelId !== before.channelId) ? { soleThreadOf: null } : {};

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
