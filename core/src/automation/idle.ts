import type { IdleGroup, Ticket } from '../model/index.ts';

/**
 * D3: the silence the automation tick watches on a ticket, as one indexed
 * field, so each tick asks the store only for tickets that are due (an
 * index on `idle` + `lastMessageAt`) instead of scanning quiet tickets one
 * by one, where 200 tickets whose customer spoke last kept a closable one
 * open for ever.
 *
 * - `open:<origin>`: in human service and the team spoke last (the customer
 *   owes an answer); `:warned` once the "closing soon" warning went out for
 *   this silence. `origin` is how the ticket reached a person: `bot` (the bot
 *   or a flow handed it over) or `agent` (straight to the queue, or started
 *   by an agent).
 * - `bot` / `waiting`: nobody is serving yet (abandoned in the bot stage or
 *   in Esperando, whoever spoke last).
 * - null: a customer waits for the team (a missed call in Esperando too), or the ticket is closed.
 */
export const idleGroupOf = (ticket: Ticket): IdleGroup | null => {
  switch (ticket.status) {
    case 'bot':
      return 'bot';
    case 'waiting':
      // A missed call waiting for a call back: nothing the customer writes can end its silence.
      return ticket.channelType === 'phone' ? null : 'waiting';
    case 'open': {
      if (ticket.lastMessage?.direction !== 'out') return null;
      const warned = (ticket.inactivityWarnedAt ?? 0) >= ticket.lastMessageAt;
      return `open:${ticket.origin}${warned ? ':warned' : ''}` as IdleGroup;
    }
    default:
      return null;
  }
};

/** The ticket with its `idle` field derived (writeTicket calls it on every write). */
export const withIdle = (ticket: Ticket): Ticket => {
  const idle = idleGroupOf(ticket);
  return ticket.idle === idle ? ticket : { ...ticket, idle };
};
