import { z } from 'zod';
import { defineCommand, executeCommand, mustExist, type AnyCommand, type RunnerDeps } from '../commands/runtime.ts';
import { sendAutomated } from '../commands/tickets.ts';
import { Id, type Settings, type Ticket } from '../model/index.ts';
import { SYSTEM } from '../policy.ts';
import { refs } from '../store/refs.ts';
import { addMessage, systemMessage, writeTicket } from '../tickets.ts';
import { trackTicket } from '../reports/track.ts';

const MINUTE = 60_000;

/**
 * D3/D4: what inactivity means for one ticket now. Only tickets in human
 * service whose last word was the team's can go quiet: a customer waiting
 * for an answer is never closed on.
 */
export const inactivityAction = (ticket: Ticket, settings: Settings, now: number): 'close' | 'warn' | null => {
  const rule = settings.autoClose;
  if (!rule.enabled || ticket.status !== 'open') return null;
  if (ticket.origin === 'agent' ? !rule.closeAgentTickets : !rule.closeBotTickets) return null;
  if (ticket.lastMessage?.direction !== 'out') return null;
  const silent = now - ticket.lastMessageAt;
  if (silent >= rule.afterMinutes * MINUTE) return 'close';
  const warnAt = (rule.afterMinutes - rule.warningMinutes) * MINUTE;
  if (rule.warningMinutes > 0 && rule.warningMessage.trim() && silent >= warnAt && (ticket.inactivityWarnedAt ?? 0) < ticket.lastMessageAt) return 'warn';
  return null;
};

export const handleInactivity = defineCommand({
  name: 'automation.inactivity',
  input: z.object({ ticketId: Id }),
  actors: ['system'],
  async load(tx, input) {
    const ticket = mustExist(await tx.get(refs.ticket(input.ticketId)), `Ticket ${input.ticketId}`);
    const settings = mustExist(await tx.get(refs.settings()), 'The workspace settings');
    const sector = ticket.sectorId ? await tx.get(refs.sector(ticket.sectorId)) : null;
    return { ticket, settings, sector };
  },
  authorize: () => true,
  run(tx, { ticket, settings, sector }, _input, ctx) {
    const action = inactivityAction(ticket, settings, ctx.now);
    if (action === 'warn') {
      writeTicket(tx, ticket, { ...ticket, inactivityWarnedAt: ctx.now, updatedAt: ctx.now });
      sendAutomated(tx, ticket, settings.autoClose.warningMessage, ctx);
    } else if (action === 'close') {
      const after = trackTicket(tx, ticket, { ...ticket, status: 'closed', closedAt: ctx.now, closedBy: null, queuedAt: null, updatedAt: ctx.now }, { settings, sector, ...ctx });
      addMessage(tx, systemMessage(after, ctx.newId(), ctx.now, { kind: 'autoClosed', actorName: null }));
      if (settings.autoClose.closingMessage.trim()) sendAutomated(tx, after, settings.autoClose.closingMessage, ctx);
    }
    return { action };
  },
});

export const automationCommands = [handleInactivity];

/**
 * One pass of the scheduler (the embedded server's timer, Firebase's
 * `automationTick`): finds the tickets that may need a warning or closing
 * and handles each in its own transaction, which decides again on fresh data.
 */
export const tick = async (deps: RunnerDeps, registry: ReadonlyMap<string, AnyCommand>, batch = 200): Promise<{ warned: number; closed: number }> => {
  const now = deps.clock();
  const candidates = await deps.store.transaction(async (tx) => {
    const settings = await tx.get(refs.settings());
    if (!settings?.autoClose.enabled) return [];
    const quietSince = now - Math.max(0, settings.autoClose.afterMinutes - settings.autoClose.warningMinutes) * MINUTE;
    return tx.query({
      collection: 'tickets',
      where: [['status', '==', 'open'], ['lastMessageAt', '<=', quietSince]],
      orderBy: [['lastMessageAt', 'asc']],
      limit: batch,
    });
  });
  let warned = 0;
  let closed = 0;
  for (const ticket of candidates) {
    const { action } = (await executeCommand(registry, deps, SYSTEM, 'automation.inactivity', { ticketId: ticket.id })) as { action: string | null };
    if (action === 'warn') warned++;
    if (action === 'close') closed++;
  }
  return { warned, closed };
};
