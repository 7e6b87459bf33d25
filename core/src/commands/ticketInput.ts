import { z } from 'zod';
import { Id, type Ticket } from '../model/index.ts';
import { refs } from '../store/refs.ts';
import type { Tx } from '../store/types.ts';
import { mustExist, type CommandContext } from './runtime.ts';

/** What every ticket command starts from: its input, its load, who acts, and the bumped ticket. */

export const TicketInput = z.object({ ticketId: Id });

export const loadTicket = async (tx: Tx, input: { ticketId: string }) => ({
  ticket: mustExist(await tx.get(refs.ticket(input.ticketId)), `Ticket ${input.ticketId}`),
});

export const staffName = (ctx: CommandContext) => (ctx.actor.kind === 'staff' ? ctx.actor.name : null);

export const bump = (ticket: Ticket, now: number, changes: Partial<Ticket>): Ticket => ({ ...ticket, ...changes, updatedAt: now });
