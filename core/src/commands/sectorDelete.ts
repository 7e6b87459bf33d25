import { z } from 'zod';
import { CommandError } from '../errors.ts';
import { Id, type Sector, type Ticket, type User } from '../model/index.ts';
import { policy } from '../policy.ts';
import { trackTicket } from '../reports/track.ts';
import { refs } from '../store/refs.ts';
import { addMessage, OPEN_STATUSES, systemMessage } from '../tickets.ts';
import { defineCommand, mustExist, staffOnly } from './runtime.ts';

/** Most open tickets one deletion moves (one transaction: Firestore allows 500 writes; a ticket costs about four). */
export const SECTOR_DELETE_MAX_TICKETS = 100;

/**
 * Deleting a sector (admins). Routing must not point at it — a channel's
 * default sector, a bot menu option, another sector's overflow — or new
 * tickets would land in a sector nobody sees: refused, naming what to change
 * (changing an admin's routing behind their back would surprise more).
 * Its open tickets go where the admin says (`moveTo`), refused when they
 * exist and no sector is named: waiting ones keep their place in the target's
 * queue, ones in service stay with their agent when the agent works there too
 * and otherwise wait in the target's queue. People lose the sector from their
 * list. Closed tickets keep it, for history and reports.
 */
export const deleteSector = defineCommand({
  name: 'sector.delete',
  input: z.object({ id: Id, moveTo: Id.optional() }),
  actors: ['staff'],
  async load(tx, input) {
    const sector = mustExist(await tx.get(refs.sector(input.id)), `sector ${input.id}`);
    const target = input.moveTo ? await tx.get(refs.sector(input.moveTo)) : null;
    if (input.moveTo && !target) throw new CommandError('not-found', `Sector ${input.moveTo} does not exist`, [{ path: 'moveTo', message: 'no such sector' }]);
    const channels = await tx.query({ collection: 'channels', where: [], orderBy: [], limit: 500 });
    const sectors = await tx.query({ collection: 'sectors', where: [], orderBy: [], limit: 500 });
    const users = await tx.query({ collection: 'users', where: [], orderBy: [], limit: 2000 });
    const tickets: Ticket[] = [];
    for (const status of OPEN_STATUSES)
      tickets.push(...(await tx.query({ collection: 'tickets', where: [['status', '==', status], ['sectorId', '==', input.id]], orderBy: [], limit: SECTOR_DELETE_MAX_TICKETS + 1 })));
    const settings = await tx.get(refs.settings());
    return { sector, target, channels, sectors, users, tickets, settings };
  },
  authorize: (actor) => staffOnly(actor, (staff) => policy.canAdminister(staff)),
  run(tx, { sector, target, channels, sectors, users, tickets, settings }, input, ctx) {
    const channel = channels.find((c) => c.defaultSectorId === sector.id || c.bot.menu.some((o) => o.sectorId === sector.id));
    if (channel) throw new CommandError('failed-precondition', `Sector ${sector.name} receives tickets from channel ${channel.name}; change the channel first`);
    const overflowing = sectors.find((s) => s.id !== sector.id && s.overflowSectorId === sector.id);
    if (overflowing) throw new CommandError('failed-precondition', `Sector ${overflowing.name} overflows to sector ${sector.name}; change its overflow first`);
    if (target?.id === sector.id) throw new CommandError('invalid-argument', 'Move the tickets to another sector', [{ path: 'moveTo', message: 'the sector being deleted' }]);
    if (tickets.length > SECTOR_DELETE_MAX_TICKETS)
      throw new CommandError('failed-precondition', `Sector ${sector.name} has more than ${SECTOR_DELETE_MAX_TICKETS} open tickets; transfer some first`);
    if (tickets.length > 0 && !target) throw new CommandError('failed-precondition', `Sector ${sector.name} has ${tickets.length} open tickets; choose the sector they go to`, [{ path: 'moveTo', message: 'required' }]);
    const byId = new Map(users.map((u) => [u.id, u] as const));
    for (const ticket of tickets) moveTicket(tx, ticket, target!, byId, { settings, sector: target!, now: ctx.now, newId: ctx.newId, actorName: ctx.actor.kind === 'staff' ? ctx.actor.name : null });
    for (const user of users)
      if (user.sectorIds.includes(sector.id)) tx.set(refs.user(user.id), { ...user, sectorIds: user.sectorIds.filter((s) => s !== sector.id), updatedAt: ctx.now });
    tx.delete(refs.sector(sector.id));
    return { id: sector.id, moved: tickets.length };
  },
});

const moveTicket = (
  tx: Parameters<typeof trackTicket>[0],
  ticket: Ticket,
  target: Sector,
  users: Map<string, User>,
  env: Parameters<typeof trackTicket>[3] & { actorName: string | null },
): void => {
  const agent = ticket.assigneeId ? users.get(ticket.assigneeId) : undefined;
  const staysWithAgent = ticket.status === 'open' && agent?.active !== false && !!agent?.sectorIds.includes(target.id);
  const changes: Partial<Ticket> =
    ticket.status === 'open' && !staysWithAgent
      ? { status: 'waiting', assigneeId: null, assigneeName: null, queuedAt: env.now, acceptedAt: null }
      : {};
  const after = trackTicket(tx, ticket, { ...ticket, ...changes, sectorId: target.id, overflow: false, updatedAt: env.now }, env, 'transfer');
  addMessage(tx, systemMessage(after, env.newId(), env.now, { kind: 'transferred', actorName: env.actorName, fromSectorId: ticket.sectorId, toSectorId: target.id, toAssigneeId: null, toChannelId: null }));
};
