import { CUSTOMER_TICKETS } from '../customerView.ts';
import type { CustomerActor } from '../policy.ts';
import type { QuerySpec } from '../store/types.ts';

/**
 * The web-chat customer's two queries, without the catalogue's schemas (zod):
 * the catalogue's `customer.tickets` / `customer.messages` build their targets
 * here, and the widget's Firebase transport reads Firestore with the same
 * specs, so the queries are written once and the widget stays small.
 */
export const CUSTOMER_TICKETS_LIMIT = 5;
export const CUSTOMER_MESSAGES_LIMIT = { max: 500, default: 200 } as const;

/** A customer's newest tickets on their channel. */
export const customerTicketsSpec = (a: CustomerActor): QuerySpec<'tickets'> => ({
  collection: 'tickets',
  where: [
    ['contactId', '==', a.contactId],
    ['channelId', '==', a.channelId],
  ],
  orderBy: [['createdAt', 'desc']],
  limit: CUSTOMER_TICKETS_LIMIT,
});

/** The lines of one ticket a customer reads (theirs and the answers; never system lines), the newest `limit`. */
export const customerMessagesSpec = (ticketId: string, limit: number = CUSTOMER_MESSAGES_LIMIT.default): QuerySpec<'messages'> => ({
  collection: 'messages',
  parentId: ticketId,
  where: [['direction', 'in', ['in', 'out']]],
  orderBy: [['createdAt', 'asc']],
  limitToLast: limit,
});

/** Where a customer's tickets are read on Firestore: the projection (core's `customerTicketView`), never `tickets/{id}`. */
export const CUSTOMER_TICKETS_COLLECTION = CUSTOMER_TICKETS;

/** The widget's later rounds on Firebase (no listener): the customer's tickets changed after `since`. */
export const customerTicketsChangedSpec = (a: CustomerActor, since: number): QuerySpec<'tickets'> => ({
  ...customerTicketsSpec(a),
  where: [...customerTicketsSpec(a).where, ['updatedAt', '>', since]],
  orderBy: [['updatedAt', 'asc']],
});

/** The widget's later rounds on Firebase: a ticket's customer lines from `since` on (the last one seen comes again: ids dedupe it). */
export const customerMessagesFromSpec = (ticketId: string, since: number): QuerySpec<'messages'> => ({
  collection: 'messages',
  parentId: ticketId,
  where: [
    ['direction', 'in', ['in', 'out']],
    ['createdAt', '>=', since],
  ],
  orderBy: [['createdAt', 'asc']],
  limit: CUSTOMER_MESSAGES_LIMIT.default,
});
