import type { Ticket } from '../model/index.ts';
import type { ReplyWindow } from './types.ts';

/** WhatsApp's customer-service window: 24 hours from the customer's last message. */
export const WINDOW_MS = 24 * 60 * 60 * 1000;

/**
 * The window from the customer's last message on the current channel. Only
 * the customer's messages open or refresh it; ours (templates included)
 * never do. Unknown (null) means closed.
 */
export const slidingWindow = (lastCustomerMessageAt: number | null, now: number, length = WINDOW_MS): ReplyWindow => {
  if (lastCustomerMessageAt === null) return { kind: 'window', open: false, closesAt: null };
  const closesAt = lastCustomerMessageAt + length;
  return { kind: 'window', open: now < closesAt, closesAt };
};

export const UNLIMITED: ReplyWindow = { kind: 'unlimited' };

/**
 * Why a ticket's closed window is closed, for the words on the screen: the customer's last message is too old
 * (`expired`), the provider refused a reply because its clock closed the window (`provider`, WhatsApp 131047), or the
 * customer has not written on this channel yet (`never`: an agent started the conversation, or moved it here).
 */
export type WindowClosedWhy = 'expired' | 'provider' | 'never';

export const windowClosedWhy = (ticket: Pick<Ticket, 'windowFrom' | 'windowClosedAt'>): WindowClosedWhy => {
  if (ticket.windowFrom != null) return 'expired';
  return ticket.windowClosedAt != null ? 'provider' : 'never';
};
