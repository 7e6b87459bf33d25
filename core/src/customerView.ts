import type { Ticket } from './model/index.ts';

/**
 * The fields of a ticket its customer sees: nothing internal (no assignee id, sector, tags, classification, who closed it).
 * `assigneeName` is the agent's name as the widget shows it ("Ana está atendendo você").
 */
const CUSTOMER_FIELDS = ['id', 'protocol', 'contactId', 'channelId', 'channelType', 'status', 'assigneeName', 'createdAt', 'closedAt', 'lastMessageAt', 'lastMessage', 'survey', 'updatedAt'] as const;

export type CustomerTicketView = Pick<Ticket, (typeof CUSTOMER_FIELDS)[number]>;

/** The customer-facing projection of a ticket, the one both backends give the widget. */
export const customerTicketView = (ticket: Record<string, unknown>): Record<string, unknown> => {
  const view: Record<string, unknown> = {};
  for (const field of CUSTOMER_FIELDS) if (ticket[field] !== undefined) view[field] = ticket[field];
  return view;
};

/**
 * On Firestore, where rules cannot hide fields, a web-chat ticket's projection
 * is its own document, `customerTickets/{ticketId}`, written in the same
 * transaction as the ticket (functions/src/store.ts). The rules let the
 * customer read only that; the embedded server projects on its live socket.
 */
export const CUSTOMER_TICKETS = 'customerTickets';

/** Whether a ticket's customer reads it through the projection (web chat: the only customers with an account). */
export const hasCustomerProjection = (ticket: Record<string, unknown>): boolean => ticket.channelType === 'webchat';
