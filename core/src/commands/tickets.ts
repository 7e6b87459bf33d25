import { z } from 'zod';
import { CommandError } from '../errors.ts';
import { Id, type Classification } from '../model/index.ts';
import { policy, type StaffActor } from '../policy.ts';
import { refs } from '../store/refs.ts';
import { addMessage, systemMessage, writeTicket } from '../tickets.ts';
import { loadTrackEnv, trackTicket } from '../reports/track.ts';
import { startSurvey } from '../reports/survey.ts';
import { defineCommand, precondition, staffOnly } from './runtime.ts';
import { bump, loadTicket, staffName, TicketInput } from './ticketInput.ts';
import { transferTicket } from './transfer.ts';
import { sendAutomated } from './automated.ts';

export { sendAutomated } from './automated.ts';
export { transferTicket } from './transfer.ts';

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

export const ticketCommands = [acceptTicket, closeTicket, reopenTicket, returnToQueue, transferTicket, classifyTicket, setTicketTags, markTicketRead];
