import { z } from 'zod';
import { CommandError } from '../errors.ts';
import { Id, type Channel, type Classification, type Message, type Sector, type Ticket, type User } from '../model/index.ts';
import { policy, type StaffActor } from '../policy.ts';
import { refs } from '../store/refs.ts';
import type { Tx } from '../store/types.ts';
import { addMessage, OPEN_STATUSES, systemMessage, writeTicket } from '../tickets.ts';
import { loadTrackEnv, trackTicket } from '../reports/track.ts';
import { startSurvey } from '../reports/survey.ts';
import { summarize, summaryText } from '../copilot/summary.ts';
import { defineCommand, mustExist, precondition, staffOnly, type CommandContext } from './runtime.ts';

const TicketInput = z.object({ ticketId: Id });

const loadTicket = async (tx: Tx, input: { ticketId: string }) => ({
  ticket: mustExist(await tx.get(refs.ticket(input.ticketId)), `Ticket ${input.ticketId}`),
});

const staffName = (ctx: CommandContext) => (ctx.actor.kind === 'staff' ? ctx.actor.name : null);

const bump = (ticket: Ticket, now: number, changes: Partial<Ticket>): Ticket => ({ ...ticket, ...changes, updatedAt: now });

export const acceptTicket = defineCommand({
  name: 'ticket.accept',
  input: TicketInput,
  actors: ['staff'],
  async load(tx, input) {
    const { ticket } = await loadTicket(tx, input);
    return { ticket, env: await loadTrackEnv(tx, ticket.sectorId) };
  },
  authorize: (actor, { ticket }) => staffOnly(actor, (staff) => policy.canAccept(staff, ticket)),
  run(tx, { ticket, env }, _input, ctx) {
    const actor = ctx.actor as StaffActor;
    if (ticket.status === 'open' && ticket.assigneeId === actor.uid) return { ticket };
    if (ticket.status !== 'waiting') {
      throw new CommandError(
        'failed-precondition',
        ticket.status === 'open' ? 'Someone else has already taken this ticket' : `This ticket is ${ticket.status}, not waiting`,
      );
    }
    const after = trackTicket(tx, ticket, bump(ticket, ctx.now, { status: 'open', assigneeId: actor.uid, assigneeName: actor.name, acceptedAt: ctx.now, unread: 0 }), { ...env, ...ctx });
    addMessage(tx, systemMessage(after, ctx.newId(), ctx.now, { kind: 'accepted', actorName: actor.name }));
    return { ticket: after };
  },
});

const CloseInput = TicketInput.extend({ classificationId: Id.nullable().optional() });

export const closeTicket = defineCommand({
  name: 'ticket.close',
  input: CloseInput,
  actors: ['staff'],
  async load(tx, input) {
    const { ticket } = await loadTicket(tx, input);
    const classification = input.classificationId ? await tx.get(refs.classification(input.classificationId)) : null;
    if (input.classificationId && !classification) throw new CommandError('not-found', `Classification ${input.classificationId} does not exist`, [{ path: 'classificationId', message: 'no such classification' }]);
    const env = await loadTrackEnv(tx, ticket.sectorId);
    const channel = await tx.get(refs.channel(ticket.channelId));
    return { ticket, classification, settings: env.settings, env, channel };
  },
  authorize: (actor, { ticket }) => staffOnly(actor, (staff) => policy.canManage(staff, ticket)),
  run(tx, { ticket, classification, settings, env, channel }, _input, ctx) {
    precondition(ticket.status !== 'closed', 'This ticket is already closed');
    const actor = ctx.actor as StaffActor;
    const closed = bump(ticket, ctx.now, {
      status: 'closed',
      closedAt: ctx.now,
      closedBy: actor.uid,
      queuedAt: null,
      classificationId: (classification as Classification | null)?.id ?? ticket.classificationId,
    });
    // D8: after human service, the channel's satisfaction survey goes out (and is recorded as a fact).
    const surveyed = ticket.status === 'open' && channel?.survey?.enabled ? startSurvey(tx, closed, channel, ticket.assigneeId, { ...env, ...ctx }) : closed;
    const after = trackTicket(tx, ticket, surveyed, { ...env, ...ctx });
    addMessage(tx, systemMessage(after, ctx.newId(), ctx.now, { kind: 'closed', actorName: actor.name }));
    // D2: the closing message goes out after service, and straight from Esperando when the setting says so.
    const closing = settings?.closingMessage.trim();
    if (closing && (ticket.status === 'open' || (ticket.status === 'waiting' && settings?.closingMessageFromWaiting))) sendAutomated(tx, after, closing, ctx);
    if (surveyed.survey && surveyed.survey !== ticket.survey && channel) sendAutomated(tx, after, channel.survey?.question ?? '', ctx, { survey: true });
    return { ticket: after };
  },
});

export const reopenTicket = defineCommand({
  name: 'ticket.reopen',
  input: TicketInput,
  actors: ['staff'],
  async load(tx, input) {
    const { ticket } = await loadTicket(tx, input);
    // Only one ticket per contact and channel may be live at a time.
    const live = await tx.query({
      collection: 'tickets',
      where: [['contactId', '==', ticket.contactId], ['channelId', '==', ticket.channelId], ['status', 'in', ['bot', 'waiting', 'open']]],
      orderBy: [],
      limit: 1,
    });
    return { ticket, live: live[0] ?? null, env: await loadTrackEnv(tx, ticket.sectorId) };
  },
  authorize: (actor, { ticket }) => staffOnly(actor, (staff) => policy.canReopen(staff, ticket)),
  run(tx, { ticket, live, env }, _input, ctx) {
    precondition(ticket.status === 'closed', 'Only closed tickets can be reopened');
    if (live) throw new CommandError('failed-precondition', `This contact already has a ticket in progress (protocol ${live.protocol})`);
    const actor = ctx.actor as StaffActor;
    const after = trackTicket(tx, ticket, bump(ticket, ctx.now, { status: 'open', assigneeId: actor.uid, assigneeName: actor.name, acceptedAt: ctx.now, closedAt: null, closedBy: null, unread: 0 }), { ...env, ...ctx });
    addMessage(tx, systemMessage(after, ctx.newId(), ctx.now, { kind: 'reopened', actorName: actor.name }));
    return { ticket: after };
  },
});

export const returnToQueue = defineCommand({
  name: 'ticket.returnToQueue',
  input: TicketInput,
  actors: ['staff'],
  async load(tx, input) {
    const { ticket } = await loadTicket(tx, input);
    return { ticket, env: await loadTrackEnv(tx, ticket.sectorId) };
  },
  authorize: (actor, { ticket }) => staffOnly(actor, (staff) => policy.canManage(staff, ticket)),
  run(tx, { ticket, env }, _input, ctx) {
    precondition(ticket.status === 'open', 'Only tickets in service can go back to the queue');
    const after = trackTicket(tx, ticket, bump(ticket, ctx.now, { status: 'waiting', assigneeId: null, assigneeName: null, queuedAt: ctx.now, acceptedAt: null }), { ...env, ...ctx });
    addMessage(tx, systemMessage(after, ctx.newId(), ctx.now, { kind: 'returned', actorName: staffName(ctx) }));
    return { ticket: after };
  },
});

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
    // The receiving agent reads a summary first (issue 12): the thread so far, summarised offline.
    const thread = settings?.copilot?.summary === false ? [] : await tx.query({ collection: 'messages', parentId: ticket.id, where: [], orderBy: [['createdAt', 'asc']], limitToLast: 60 });
    return { ticket, sector: sector as Sector | null, assignee: assignee as User | null, channel: channel as Channel | null, contact, liveThere, env: { settings, sector: landing }, thread };
  },
  authorize: (actor, { ticket }) => staffOnly(actor, (staff) => policy.canManage(staff, ticket)),
  run(tx, { ticket, sector, assignee, channel, contact, liveThere, env, thread }, input, ctx) {
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
    if (channel && channel.id !== ticket.channelId) Object.assign(changes, { channelId: channel.id, windowFrom: null });
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
    const summary = summarize({ messages: thread });
    if (summary.customer.length > 0) addMessage(tx, { ...systemMessage(after, ctx.newId(), ctx.now, { kind: 'summary', actorName: null }), text: summaryText(summary) });
    return { ticket: after };
  },
});

const ClassifyInput = TicketInput.extend({ classificationId: Id.nullable() });

export const classifyTicket = defineCommand({
  name: 'ticket.classify',
  input: ClassifyInput,
  actors: ['staff'],
  async load(tx, input) {
    const { ticket } = await loadTicket(tx, input);
    if (input.classificationId && !(await tx.get(refs.classification(input.classificationId))))
      throw new CommandError('not-found', `Classification ${input.classificationId} does not exist`, [{ path: 'classificationId', message: 'no such classification' }]);
    return { ticket };
  },
  // Classifying after closing is allowed to whoever could close it, or reopen it.
  authorize: (actor, { ticket }) => staffOnly(actor, (staff) => (ticket.status === 'closed' ? policy.canReopen(staff, ticket) : policy.canManage(staff, ticket))),
  run(tx, { ticket }, input, ctx) {
    const after = bump(ticket, ctx.now, { classificationId: input.classificationId });
    writeTicket(tx, ticket, after);
    return { ticket: after };
  },
});

const TagsInput = TicketInput.extend({ tagIds: z.array(Id).max(20) });

export const setTicketTags = defineCommand({
  name: 'ticket.setTags',
  input: TagsInput,
  actors: ['staff'],
  async load(tx, input) {
    const { ticket } = await loadTicket(tx, input);
    for (const [i, id] of input.tagIds.entries())
      if (!(await tx.get(refs.tag(id)))) throw new CommandError('not-found', `Tag ${id} does not exist`, [{ path: `tagIds.${i}`, message: 'no such tag' }]);
    return { ticket };
  },
  authorize: (actor, { ticket }) => staffOnly(actor, (staff) => (ticket.status === 'closed' ? policy.canReopen(staff, ticket) : policy.canManage(staff, ticket))),
  run(tx, { ticket }, input, ctx) {
    const after = bump(ticket, ctx.now, { tagIds: [...new Set(input.tagIds)] });
    writeTicket(tx, ticket, after);
    return { ticket: after };
  },
});

export const markTicketRead = defineCommand({
  name: 'ticket.markRead',
  input: TicketInput,
  actors: ['staff'],
  load: loadTicket,
  authorize: (actor, { ticket }) => staffOnly(actor, (staff) => (policy.canReadTicket(staff, ticket) ? true : 'you cannot see this ticket')),
  run(tx, { ticket }, _input, ctx) {
    if (ticket.unread === 0 || ticket.assigneeId !== (ctx.actor as StaffActor).uid) return { ticket };
    const after = bump(ticket, ctx.now, { unread: 0 });
    writeTicket(tx, ticket, after);
    return { ticket: after };
  },
});

/** A message the system sends on the team's behalf (bot, closing, automation). */
export const sendAutomated = (tx: Tx, ticket: Ticket, text: string, ctx: Pick<CommandContext, 'now' | 'newId'>, extra: { survey?: boolean; menu?: Message['menu'] } = {}): void => {
  const id = ctx.newId();
  addMessage(tx, {
    id,
    ticketId: ticket.id,
    contactId: ticket.contactId,
    direction: 'out',
    authorId: null,
    authorName: null,
    text,
    attachments: [],
    status: 'pending',
    createdAt: ctx.now,
    channelMessageId: null,
    clientId: null,
    event: null,
    automated: true,
    ...(extra.survey ? { survey: true } : {}),
    ...(extra.menu ? { menu: extra.menu } : {}),
  });
  tx.create(refs.outbox(id), {
    id,
    kind: 'deliver',
    ticketId: ticket.id,
    messageId: id,
    channelId: ticket.channelId,
    channelType: ticket.channelType,
    createdAt: ctx.now,
    attempts: 0,
    dueAt: ctx.now,
    doneAt: null,
    lastError: null,
  });
};

export const ticketCommands = [acceptTicket, closeTicket, reopenTicket, returnToQueue, transferTicket, classifyTicket, setTicketTags, markTicketRead];
