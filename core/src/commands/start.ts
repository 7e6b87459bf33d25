import { z } from 'zod';
import { CommandError } from '../errors.ts';
import { Id, type Channel, type Contact, type Ticket } from '../model/index.ts';
import type { StaffActor } from '../policy.ts';
import { refs } from '../store/refs.ts';
import { createContact } from '../contacts.ts';
import type { Tx } from '../store/types.ts';
import { addMessage, newTicket, OPEN_STATUSES, preview, systemMessage } from '../tickets.ts';
import { protocolFor } from '../ids.ts';
import { defineCommand, mustExist, staffOnly, type CommandContext } from './runtime.ts';
import { addOutbound } from '../outbox/state.ts';
import { customerKeyOn } from '../outbox/deliver.ts';
import { loadTrackEnv, trackTicket } from '../reports/track.ts';
import { digitsOf, phoneVariants } from '../channels/whatsapp/phone.ts';
import { checkTemplate, Params, templateAllowed, templateMessage } from './outbound.ts';

const StartInput = z.object({
  channelId: Id,
  /** The customer's WhatsApp number, with country code (55 11 98765-4321). */
  phone: z
    .string()
    .trim()
    .max(40)
    .refine((p) => /^\d{10,15}$/.test(digitsOf(p)), 'must be a phone number with country and area code (e.g. 55 11 98765-4321)'),
  name: z.string().trim().max(120).default(''),
  /** Which sector the ticket belongs to; default the channel's. */
  sectorId: Id.nullable().default(null),
  templateId: Id,
  params: Params,
});

/**
 * "Nova conversa" (E4): the business writes first. Finds the contact by its
 * number (either form of a Brazilian mobile) or creates it, opens a ticket
 * in Em atendimento assigned to the agent (protocol from the same shard
 * counter as `inbound.receive`), and sends the template.
 */
export const startConversation = defineCommand({
  name: 'conversation.start',
  input: StartInput,
  actors: ['staff'],
  async load(tx, input, ctx) {
    const channel = await tx.get(refs.channel(input.channelId));
    if (!channel || !channel.active) throw new CommandError('not-found', `Channel ${input.channelId} does not exist`, [{ path: 'channelId', message: 'no such channel' }]);
    const externalId = digitsOf(input.phone);
    const keys = (channel.type === 'whatsapp' ? phoneVariants(externalId) : [externalId]).map((id) => `${channel.id}:${id}`);
    const contact =
      (await tx.query({ collection: 'contacts', where: [['identityKeys', 'array-contains-any', keys]], orderBy: [], limit: 1 }))[0] ??
      (await tx.query({ collection: 'contacts', where: [['phone', 'in', [input.phone, externalId]]], orderBy: [], limit: 1 }))[0] ??
      null;
    const live = contact
      ? ((await tx.query({ collection: 'tickets', where: [['contactId', '==', contact.id], ['channelId', '==', channel.id], ['status', 'in', [...OPEN_STATUSES]]], orderBy: [], limit: 1 }))[0] ?? null)
      : null;
    const settings = mustExist(await tx.get(refs.settings()), 'The workspace settings');
    const identityKey = `${channel.id}:${externalId}`;
    const shard = protocolFor.shard(identityKey);
    const counter = await tx.get(refs.counter(protocolFor.counterId(ctx.now, settings, shard)));
    const template = await tx.get(refs.template(input.templateId));
    const sectorId = input.sectorId ?? channel.defaultSectorId;
    const env = await loadTrackEnv(tx, sectorId);
    return { channel, externalId, identityKey, contact, live, settings, shard, counter, template, sectorId, env };
  },
  authorize: (actor, { sectorId }) =>
    staffOnly(actor, (staff) => (staff.role === 'admin' || (sectorId !== null && staff.sectorIds.includes(sectorId)) ? true : 'this ticket belongs to a sector you are not in')),
  run(tx, docs, input, ctx) {
    const { channel, settings, live } = docs;
    if (channel.type !== 'whatsapp') throw new CommandError('failed-precondition', 'New conversations can only be started on WhatsApp', [{ path: 'channelId', message: channel.type }]);
    if (live) throw new CommandError('failed-precondition', `This contact already has a ticket in progress on ${channel.name} (protocol ${live.protocol})`, [{ path: 'phone', message: 'the contact has a live ticket there' }]);
    const template = checkTemplate(docs.template, channel.id, input.params);
    const actor = ctx.actor as StaffActor;
    if (!templateAllowed(actor, template, docs.sectorId)) throw new CommandError('permission-denied', 'This template is not available to your sector');
    const contact = docs.contact ? withIdentity(tx, docs.contact, docs.identityKey, ctx.now) : createContact(tx, { name: input.name || input.phone, phone: input.phone, email: null }, docs.identityKey, ctx);
    // The counter read in `load` is today's: read again if the day turned between load and run.
    const counterId = protocolFor.counterId(ctx.now, settings, docs.shard);
    const seq = (docs.counter?.id === counterId ? docs.counter.value : 0) + 1;
    tx.set(refs.counter(counterId), { id: counterId, value: seq });
    let ticket: Ticket = { ...agentTicket(contact, channel, docs.sectorId, actor, protocolFor.format(ctx.now, settings, docs.shard, seq), ctx), customerKey: customerKeyOn(contact.identityKeys, channel.id, docs.externalId) };
    // The thread orders one instant's messages by id: the "started" line first, then the template.
    const started = systemMessage(ticket, ctx.newId(), ctx.now, { kind: 'started', actorName: actor.name, toSectorId: ticket.sectorId });
    const message = templateMessage(ticket, template, input.params, actor, null, ctx);
    ticket = { ...ticket, lastMessage: { text: preview(message.text, []), direction: 'out', at: ctx.now } };
    ticket = trackTicket(tx, null, ticket, { ...docs.env, ...ctx });
    addMessage(tx, started);
    addOutbound(tx, message, ctx.now);
    return { ticketId: ticket.id, protocol: ticket.protocol, messageId: message.id };
  },
});

const withIdentity = (tx: Tx, contact: Contact, identityKey: string, now: number): Contact => {
  if (contact.identityKeys.includes(identityKey)) return contact;
  const next = { ...contact, identityKeys: [...contact.identityKeys, identityKey].slice(-20), updatedAt: now };
  tx.set(refs.contact(contact.id), next);
  return next;
};



/**
 * A ticket an agent starts (a WhatsApp conversation, a phone call): open, assigned to them, never queued.
 * The customer's 24-hour window stays closed: only their answer opens it.
 */
export const agentTicket = (contact: Contact, channel: Channel, sectorId: string | null, actor: StaffActor, protocol: string, ctx: CommandContext): Ticket => ({
  ...newTicket(
    contact,
    channel,
    protocol,
    { sectorId, assigneeId: actor.uid, assigneeName: actor.name, status: 'open', origin: 'agent', overflow: false, queuedAt: null, acceptedAt: ctx.now, lastCustomerMessageAt: null },
    ctx,
  ),
  windowFrom: null,
});
