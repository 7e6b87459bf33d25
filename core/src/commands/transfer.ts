import { CommandError } from '../errors.ts';
import { Id, type Channel, type Sector, type Ticket, type User } from '../model/index.ts';
import { policy } from '../policy.ts';
import { refs } from '../store/refs.ts';
import { addMessage, OPEN_STATUSES, systemMessage } from '../tickets.ts';
import { trackTicket } from '../reports/track.ts';
import { keptSoleThread } from '../channels/received.ts';
import { defineCommand, precondition, staffOnly } from './runtime.ts';
import { bump, loadTicket, staffName, TicketInput } from './ticketInput.ts';

const TransferInput = TicketInput.extend({
  sectorId: Id.optional(),
  assigneeId: Id.optional(),
  channelId: Id.optional(),
}).refine((i) => i.sectorId !== undefined || i.assigneeId !== undefined || i.channelId !== undefined, {
  message: 'name a sector, an agent or a channel to transfer to',
  path: ['sectorId'],
});

/** Admins serve every sector (and tickets with none); everyone else, their own sectors. */
const serves = (user: User, sectorId: string | null): boolean => user.role === 'admin' || (sectorId !== null && user.sectorIds.includes(sectorId));

/**
 * The sector a transfer lands in: the one named, which the agent named must serve; else,
 * when the agent named does not serve the ticket's sector, their first sector; else where it is.
 */
const transferTarget = (ticket: Ticket, sector: Sector | null, assignee: User | null): string | null => {
  if (sector) {
    if (assignee && !serves(assignee, sector.id))
      throw new CommandError('failed-precondition', `${assignee.name} is not in the sector ${sector.name}`, [{ path: 'assigneeId', message: 'agent is not in the target sector' }]);
    return sector.id;
  }
  if (!assignee || serves(assignee, ticket.sectorId)) return ticket.sectorId;
  const first = assignee.sectorIds[0];
  if (first === undefined)
    throw new CommandError('failed-precondition', `${assignee.name} is not in any sector`, [{ path: 'assigneeId', message: 'agent is in no sector' }]);
  return first;
};

export const transferTicket = defineCommand({
  name: 'ticket.transfer',
  input: TransferInput,
  actors: ['staff'],
  async load(tx, input) {
    const { ticket } = await loadTicket(tx, input);
    const sector = input.sectorId ? await tx.get(refs.sector(input.sectorId)) : null;
    if (input.sectorId && !sector) throw new CommandError('not-found', `Sector ${input.sectorId} does not exist`, [{ path: 'sectorId', message: 'no such sector' }]);
    const assignee = input.assigneeId ? await tx.get(refs.user(input.assigneeId)) : null;
    if (input.assigneeId && (!assignee || !assignee.active)) throw new CommandError('not-found', `User ${input.assigneeId} does not exist`, [{ path: 'assigneeId', message: 'no such user' }]);
    const channel = input.channelId ? await tx.get(refs.channel(input.channelId)) : null;
    if (input.channelId && !channel) throw new CommandError('not-found', `Channel ${input.channelId} does not exist`, [{ path: 'channelId', message: 'no such channel' }]);
    const movesChannel = channel !== null && channel.id !== ticket.channelId;
    // Moving to another channel: the contact must become known there, and have no other live ticket there.
    const contact = movesChannel ? await tx.get(refs.contact(ticket.contactId)) : null;
    const liveThere = movesChannel
      ? ((await tx.query({
          collection: 'tickets',
          where: [['contactId', '==', ticket.contactId], ['channelId', '==', channel.id], ['status', 'in', [...OPEN_STATUSES]]],
          orderBy: [],
          limit: 1,
        }))[0] ?? null)
      : null;
    // The target sector is not known before run (it may be the agent's first sector): read the settings, and the
    // sector of whichever sector the ticket may land in (the named one, else its own or the agent's first).
    const settings = await tx.get(refs.settings());
    const landing = sector ?? (assignee && !serves(assignee, ticket.sectorId) && assignee.sectorIds[0] ? await tx.get(refs.sector(assignee.sectorIds[0])) : ticket.sectorId ? await tx.get(refs.sector(ticket.sectorId)) : null);
    // The receiving agent's summary is made by their console from the thread it shows (core transferSummary): nothing read here.
    return { ticket, sector: sector as Sector | null, assignee: assignee as User | null, channel: channel as Channel | null, contact, liveThere, env: { settings, sector: landing } };
  },
  authorize: (actor, { ticket }) => staffOnly(actor, (staff) => policy.canManage(staff, ticket)),
  run(tx, { ticket, sector, assignee, channel, contact, liveThere, env }, input, ctx) {
    precondition(ticket.status === 'waiting' || ticket.status === 'open', 'Only waiting or in-service tickets can be transferred');
    const targetSectorId = transferTarget(ticket, sector, assignee);
    if (channel && channel.type !== ticket.channelType) {
      throw new CommandError('failed-precondition', `Channel ${channel.name} is ${channel.type}; this conversation is ${ticket.channelType}`, [{ path: 'channelId', message: 'channel of another type' }]);
    }
    if (channel && !channel.active) throw new CommandError('failed-precondition', `Channel ${channel.name} is inactive`, [{ path: 'channelId', message: 'inactive channel' }]);
    if (liveThere)
      throw new CommandError('failed-precondition', `This contact already has a ticket in progress on ${channel?.name} (protocol ${liveThere.protocol})`, [{ path: 'channelId', message: 'the contact has a live ticket there' }]);
    if (channel && contact) {
      // The customer's replies now arrive on the new channel: found by the same external id there.
      const from = `${ticket.channelId}:`;
      const there = contact.identityKeys.filter((k) => k.startsWith(from)).map((k) => `${channel.id}:${k.slice(from.length)}`);
      const identityKeys = [...new Set([...contact.identityKeys, ...there])];
      if (identityKeys.length !== contact.identityKeys.length) tx.set(refs.contact(contact.id), { ...contact, identityKeys, updatedAt: ctx.now });
    }
    const changes: Partial<Ticket> = { sectorId: targetSectorId, overflow: false };
    // Another number is another conversation for WhatsApp: its reply window is closed until the customer writes there.
    if (channel && channel.id !== ticket.channelId) Object.assign(changes, { channelId: channel.id, windowFrom: null, windowClosedAt: null }, keptSoleThread(ticket, { ...ticket, channelId: channel.id }));
    if (assignee) Object.assign(changes, { status: 'open', assigneeId: assignee.id, assigneeName: assignee.name, acceptedAt: ctx.now, queuedAt: null, unread: ticket.unread });
    else if (sector && sector.id !== ticket.sectorId) Object.assign(changes, { status: 'waiting', assigneeId: null, assigneeName: null, queuedAt: ctx.now, acceptedAt: null });
    const after = trackTicket(tx, ticket, bump(ticket, ctx.now, changes), { ...env, ...ctx }, 'transfer');
    addMessage(
      tx,
      systemMessage(after, ctx.newId(), ctx.now, {
        kind: 'transferred',
        actorName: staffName(ctx),
        fromSectorId: ticket.sectorId,
        toSectorId: after.sectorId,
        toAssigneeId: assignee?.id ?? null,
        toChannelId: channel?.id ?? null,
      }),
    );
    return { ticket: after };
  },
});
