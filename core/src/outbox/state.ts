import type { DeliveryState, Message } from '../model/index.ts';
import { refs } from '../store/refs.ts';
import type { QuerySpec, Tx } from '../store/types.ts';

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

/** Writes a new outbound message queued for delivery (one document write: no outbox entry beside it); returns it as stored. */
export const addOutbound = (tx: Tx, message: Message, now: number): Message => {
  const stored: Message = { ...message, delivery: pendingDelivery(now) };
  tx.create(refs.message(message.ticketId, message.id), stored);
  return stored;
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
  if (!next || next.attempts !== 0 || next.doneAt !== null || next.dueAt === null) return false;
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
