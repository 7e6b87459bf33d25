import type { Ticket } from './model/index.ts';

/** The fields of a ticket its customer sees: nothing internal (no assignee, sector, tags, classification, who closed it). */
const CUSTOMER_FIELDS = ['id', 'protocol', 'contactId', 'channelId', 'channelType', 'status', 'createdAt', 'closedAt', 'lastMessageAt', 'lastMessage', 'survey', 'updatedAt'] as const;

export type CustomerTicketView = Pick<Ticket, (typeof CUSTOMER_FIELDS)[number]>;

/** The customer-facing projection of a ticket, the one both backends give the widget. */
export const customerTicketView = (ticket: Record<string, unknown>): Record<string, unknown> => {
  const view: Record<string, unknown> = {};
  for (const field of CUSTOMER_FIELDS) if (ticket[field] !== undefined) view[field] = ticket[field];
  return view;
};
