import type { DeliveryState, Message, Ticket } from '../model/index.ts';
import { refs } from '../store/refs.ts';
import type { DocRef, QuerySpec, Store, Tx } from '../store/types.ts';
import { overriding } from '../store/overriding.ts';
import { outboxPolicy } from './policy.ts';

/**
 * An outbound message carries its own delivery (issue 15): no separate
 * outbox document is created and rewritten for it. `Message.delivery` moves
 * pending (`dueAt` now, 0 attempts) → sending (a lease: `dueAt` a lease
 * ahead) → done (`doneAt`, `dueAt` null), or back to a later `dueAt` after a
 * retryable failure; the message's `status` says sent / failed. The same on
 * both backends: the embedded server's dispatcher and the Cloud Functions
 * (a trigger on the message's creation, the scheduled retries) ask for the
 * same due messages and run the same `deliverOnce`.
 */

/** Where a delivery's message is. */
export interface DeliveryRef {
  ticketId: string;
  messageId: string;
}

/** A delivery waiting for its first try. */
export const pendingDelivery = (now: number): DeliveryState => ({ attempts: 0, dueAt: now, doneAt: null, lastError: null });

/**
 * A delivery its creator sends itself right after the commit: the creating transaction is its claim (a lease
 * from the start), so sending it writes only its outcome — no lease write. Nobody else may take it before
 * the lease runs out; then the sweep does, as for a worker that died mid-send.
 */
export const inlineDelivery = (now: number): DeliveryState => ({ attempts: 0, dueAt: now + outboxPolicy.leaseMs, doneAt: null, lastError: null, inline: true });

/**
 * Writes a new outbound message queued for delivery (one document write: no outbox entry beside it); returns it
 * as stored. Leased from the start, and named to the transaction's `sendsOutbound`, when its runner sends it.
 * A message on web chat (`webchat`: an agent's reply, the bot's menu, a closing or automation notice) needs no
 * carrier — the customer's widget reads the thread —, so it is written delivered, as its delivery would have marked
 * it one commit later: one write and one live change per message, not two.
 */
export const addOutbound = (tx: Tx, message: Message, now: number, { webchat = false }: { webchat?: boolean } = {}): Message => {
  const ref = refs.message(message.ticketId, message.id);
  if (webchat) {
    const delivered: Message = { ...message, status: 'delivered', delivery: { attempts: 1, dueAt: null, doneAt: now, lastError: null } };
    tx.create(ref, delivered);
    return delivered;
  }
  const stored: Message = { ...message, delivery: tx.sendsOutbound ? inlineDelivery(now) : pendingDelivery(now) };
  tx.create(ref, stored);
  tx.sendsOutbound?.({ ticketId: message.ticketId, messageId: message.id });
  return stored;
};

/**
 * A reply its creator's transaction committed, with the reply and its ticket as that transaction wrote them
 * (when it wrote the ticket): the creator's claim reads neither while its lease holds (core/src/outbox/deliver.ts).
 */
export interface CreatedReply extends DeliveryRef {
  written?: { message: Message; ticket: Ticket };
}

/**
 * A store whose transactions' new replies are sent by the caller right after the commit (`sendsOutbound`).
 * `created()` lists those of the transactions that committed (a transaction run again forgets its earlier try's),
 * each with the documents its transaction wrote for it.
 */
export const sendingAfterCommit = (store: Store): { store: Store; created: () => CreatedReply[] } => {
  const committed: CreatedReply[] = [];
  return {
    store: {
      async transaction(fn) {
        let attempt: DeliveryRef[] = [];
        let tickets = new Map<string, Ticket>();
        let messages = new Map<string, Message>();
        // The last full copy of each ticket and message the transaction writes (writeTicket and addOutbound write whole documents).
        const keep = (ref: DocRef, data: unknown) => {
          if (ref.collection === 'tickets') tickets.set(ref.id, data as Ticket);
          else if (ref.collection === 'messages') messages.set(`${ref.parentId}/${ref.id}`, data as Message);
        };
        const result = await store.transaction((tx) => {
          attempt = [];
          tickets = new Map();
          messages = new Map();
          const sendsOutbound = (at: DeliveryRef) => void attempt.push(at);
          return fn(
            overriding(tx, {
              sendsOutbound,
              create: (ref: DocRef, data: never) => (keep(ref, data), tx.create(ref, data)),
              set: (ref: DocRef, data: never) => (keep(ref, data), tx.set(ref, data)),
            } as Partial<Tx>),
          );
        });
        for (const at of attempt) {
          const message = messages.get(`${at.ticketId}/${at.messageId}`);
          const ticket = tickets.get(at.ticketId);
          committed.push(message && ticket ? { ...at, written: { message, ticket } } : { ...at });
        }
        return result;
      },
    },
    created: () => [...committed],
  };
};

/** A failed message sent again: pending, and its delivery starts over. */
export const requeueDelivery = (tx: Tx, message: Pick<Message, 'ticketId' | 'id'>, now: number): void =>
  tx.update(refs.message(message.ticketId, message.id), { status: 'pending', deliveryFailure: null, delivery: pendingDelivery(now) });

/**
 * Whether this write of a message starts a delivery the trigger must try at
 * once: a message created pending, or a failed one sent again. The trigger
 * fires on every write of a message; its own lease and outcome writes, and
 * status reports, start nothing.
 */
export const startsDelivery = (before: Pick<Message, 'delivery'> | null | undefined, after: Pick<Message, 'delivery'> | null | undefined): boolean => {
  const next = after?.delivery;
  // An inline delivery is its creator's to send (the sweep takes it only once its lease has run out).
  if (!next || next.attempts !== 0 || next.doneAt !== null || next.dueAt === null || next.inline) return false;
  const previous = before?.delivery;
  return !previous || previous.doneAt !== null;
};

/** The deliveries due now, oldest first: every ticket's messages (a collection-group query on Firestore). */
export const dueDeliveries = (now: number, limit: number): QuerySpec<'messages'> => ({
  collection: 'messages',
  where: [['delivery.dueAt', '<=', now]],
  orderBy: [['delivery.dueAt', 'asc']],
  limit,
});
