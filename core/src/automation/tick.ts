import { z } from 'zod';
import { defineCommand, executeCommand, mustExist, type AnyCommand, type RunnerDeps } from '../commands/runtime.ts';
import { sendAutomated } from '../commands/tickets.ts';
import { Id, type IdleGroup, type Settings, type Ticket } from '../model/index.ts';
import type { QuerySpec } from '../store/types.ts';
import { businessMsBetween, subtractBusinessMs } from './businessHours.ts';
import { SYSTEM } from '../policy.ts';
import { refs } from '../store/refs.ts';
import { addMessage, systemMessage, writeTicket } from '../tickets.ts';
import { trackTicket } from '../reports/track.ts';
import { idleGroupOf } from './idle.ts';

const MINUTE = 60_000;

/** How long a ticket has been quiet: working time when the admin asks for it (the one business-hours function), wall-clock otherwise. */
const silenceOf = (settings: Settings, since: number, now: number): number =>
  settings.autoClose.businessTime ? businessMsBetween(settings.businessHours, since, now) : Math.max(0, now - since);

/** The instant before which a ticket has been quiet for `minutes` (null: never, the calendar has no working time). */
const dueLine = (settings: Settings, now: number, minutes: number): number | null =>
  settings.autoClose.businessTime ? subtractBusinessMs(settings.businessHours, now, minutes * MINUTE) : now - minutes * MINUTE;

export type InactivityAction = 'close' | 'warn' | 'abandon';

/**
 * D3/D4: what inactivity means for one ticket now. In human service only a
 * ticket whose last word was the team's can go quiet (a customer waiting for
 * an answer is never closed on); tickets nobody serves yet (bot stage,
 * Esperando) close as abandoned under their own rule.
 */
export const inactivityAction = (ticket: Ticket, settings: Settings, now: number): InactivityAction | null => {
  // The same rule as the tick's query: a ticket in no idle group (a customer waiting for the team,
  // a missed call waiting to be returned, a closed ticket) has no silence to act on.
  if (idleGroupOf(ticket) === null) return null;
  if (ticket.status === 'bot' || ticket.status === 'waiting') {
    const rule = settings.autoClose.abandoned;
    if (!rule?.enabled || !(ticket.status === 'bot' ? rule.inBot : rule.waiting)) return null;
    return silenceOf(settings, ticket.lastMessageAt, now) >= rule.afterMinutes * MINUTE ? 'abandon' : null;
  }
  const rule = settings.autoClose;
  if (!rule.enabled || ticket.status !== 'open') return null;
  if (ticket.origin === 'agent' ? !rule.closeAgentTickets : !rule.closeBotTickets) return null;
  if (ticket.lastMessage?.direction !== 'out') return null;
  const silent = silenceOf(settings, ticket.lastMessageAt, now);
  if (silent >= rule.afterMinutes * MINUTE) return 'close';
  const warnAt = (rule.afterMinutes - rule.warningMinutes) * MINUTE;
  if (rule.warningMinutes > 0 && rule.warningMessage.trim() && silent >= warnAt && (ticket.inactivityWarnedAt ?? 0) < ticket.lastMessageAt) return 'warn';
  return null;
};

/** The store queries that find every ticket due for a warning or a closing now, and nothing else (index: idle + lastMessageAt). */
export const dueQueries = (settings: Settings, now: number, limit: number): QuerySpec<'tickets'>[] => {
  const wanted: [IdleGroup, number | null][] = [];
  const rule = settings.autoClose;
  if (rule.enabled) {
    const origins = [...(rule.closeAgentTickets ? (['agent'] as const) : []), ...(rule.closeBotTickets ? (['bot'] as const) : [])];
    const closeLine = dueLine(settings, now, rule.afterMinutes);
    const warns = rule.warningMinutes > 0 && rule.warningMessage.trim() !== '';
    const warnLine = warns ? dueLine(settings, now, Math.max(0, rule.afterMinutes - rule.warningMinutes)) : null;
    for (const origin of origins) {
      wanted.push([`open:${origin}:warned`, closeLine]);
      // Not yet warned: the warning line is the later one, and it also brings those already due for closing.
      wanted.push([`open:${origin}`, warnLine ?? closeLine]);
    }
  }
  const abandoned = rule.abandoned;
  if (abandoned?.enabled) {
    const line = dueLine(settings, now, abandoned.afterMinutes);
    if (abandoned.inBot) wanted.push(['bot', line]);
    if (abandoned.waiting) wanted.push(['waiting', line]);
  }
  return wanted.flatMap(([group, line]) =>
    line === null ? [] : [{ collection: 'tickets' as const, where: [['idle', '==', group], ['lastMessageAt', '<=', line]], orderBy: [['lastMessageAt', 'asc']], limit }],
  );
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
    } else if (action === 'close' || action === 'abandon') {
      const after = trackTicket(tx, ticket, { ...ticket, status: 'closed', closedAt: ctx.now, closedBy: null, queuedAt: null, updatedAt: ctx.now }, { settings, sector, ...ctx });
      addMessage(tx, systemMessage(after, ctx.newId(), ctx.now, { kind: 'autoClosed', actorName: null }));
      const farewell = action === 'close' ? settings.autoClose.closingMessage : (settings.autoClose.abandoned?.message ?? '');
      if (farewell.trim()) sendAutomated(tx, after, farewell, ctx);
    }
    return { action };
  },
});

export const automationCommands = [handleInactivity];

/**
 * One pass of the scheduler (the embedded server's timer, Firebase's
 * `automationTick`): asks only for the tickets that are due (`dueQueries`)
 * and handles each in its own transaction, which decides again on fresh data.
 */
export const tick = async (deps: RunnerDeps, registry: ReadonlyMap<string, AnyCommand>, batch = 200): Promise<{ warned: number; closed: number }> => {
  const now = deps.clock();
  const candidates = await deps.store.transaction(async (tx) => {
    const settings = await tx.get(refs.settings());
    if (!settings) return [];
    const found = new Map<string, Ticket>();
    for (const spec of dueQueries(settings, now, batch)) for (const t of await tx.query(spec)) found.set(t.id, t);
    return [...found.values()];
  });
  let warned = 0;
  let closed = 0;
  for (const ticket of candidates) {
    const { action } = (await executeCommand(registry, deps, SYSTEM, 'automation.inactivity', { ticketId: ticket.id })) as { action: InactivityAction | null };
    if (action === 'warn') warned++;
    if (action === 'close' || action === 'abandon') closed++;
  }
  return { warned, closed };
};
