import { z } from 'zod';
import { CommandError } from '../errors.ts';
import { CallDirection, CallOutcome, Id, SipExtension, type Contact, type Settings, type Ticket } from '../model/index.ts';
import { policy, type StaffActor } from '../policy.ts';
import { refs } from '../store/refs.ts';
import { addMessage, systemMessage } from '../tickets.ts';
import { protocolFor } from '../ids.ts';
import { defineCommand, mustExist, requireStaff, staffOnly } from '../commands/runtime.ts';
import { loadTrackEnv, trackTicket } from '../reports/track.ts';
import { internationalDigits } from './number.ts';
import { agentTicket } from '../commands/start.ts';
import { callLine, callMessageId, createCallContact, createPhoneChannel, findCaller, liveTicketOf, PHONE_CHANNEL_ID, PhoneNumber } from './calls.ts';
import { missedCall } from './missed.ts';

export { PHONE_CHANNEL_ID } from './calls.ts';

/**
 * The softphone's commands (issue 17). The browser speaks SIP to the PBX
 * itself; the backends only keep the configuration, hand an agent their own
 * credentials, and record what the calls did to tickets.
 */

/** Admin: a user's extension and (write-only) password; `extension: null` removes the phone from that user. */
export const setUserSip = defineCommand({
  name: 'user.setSip',
  input: z.object({
    userId: Id,
    extension: SipExtension.nullable(),
    /** Absent: keep the stored one. */
    password: z.string().min(4, 'must be at least 4 characters').max(128).optional(),
  }),
  actors: ['staff'],
  async load(tx, input) {
    return { user: mustExist(await tx.get(refs.user(input.userId)), `User ${input.userId}`), secret: await tx.get(refs.sipSecret(input.userId)) };
  },
  authorize: (actor) => staffOnly(actor, (staff) => policy.canAdminister(staff)),
  run(tx, { user, secret }, input, ctx) {
    if (input.extension === null) {
      tx.update(refs.user(user.id), { sip: null, updatedAt: ctx.now });
      if (secret) tx.delete(refs.sipSecret(user.id));
      return { sip: null };
    }
    if (input.password !== undefined) tx.set(refs.sipSecret(user.id), { id: user.id, password: input.password, updatedAt: ctx.now });
    const sip = { extension: input.extension, passwordSet: input.password !== undefined || (secret?.password ?? '') !== '' };
    tx.update(refs.user(user.id), { sip, updatedAt: ctx.now });
    return { sip };
  },
});

/**
 * The agent's own SIP account, password included: the only way out of
 * `sipSecrets`, answered to that agent's session alone (the command takes no
 * user id). The SPA asks for it when the phone registers.
 */
export const sipCredentials = defineCommand({
  name: 'sip.credentials',
  input: z.object({}).default({}),
  actors: ['staff'],
  async load(tx, _input, ctx) {
    const me = requireStaff(ctx);
    return { settings: await tx.get(refs.settings()), user: await tx.get(refs.user(me.uid)), secret: await tx.get(refs.sipSecret(me.uid)) };
  },
  authorize: () => true,
  run(_tx, { settings, user, secret }) {
    const pbx = settings?.phone ?? null;
    if (!pbx) return { configured: false as const, missing: 'pbx' as const };
    if (!user?.sip) return { configured: false as const, missing: 'extension' as const };
    return { configured: true as const, wsUrl: pbx.wsUrl, domain: pbx.domain, iceServers: pbx.iceServers ?? [], extension: user.sip.extension, password: secret?.password ?? '' };
  },
});

/** Who is calling: shown while the phone rings. */
export const identifyCaller = defineCommand({
  name: 'call.identify',
  input: z.object({ number: PhoneNumber }),
  actors: ['staff'],
  async load(tx, input, ctx) {
    return findCaller(tx, input.number, requireStaff(ctx));
  },
  authorize: () => true,
  run(_tx, { contact, live }) {
    return {
      contact: contact ? { id: contact.id, name: contact.name, phone: contact.phone } : null,
      ticket: live ? { id: live.id, protocol: live.protocol, status: live.status } : null,
    };
  },
});

/**
 * The ticket a call belongs to: the contact's live ticket the agent can see,
 * or a new one on the Telefone channel, in Em atendimento with the agent
 * (answering an incoming call, or calling a contact from the search).
 */
export const openCall = defineCommand({
  name: 'call.open',
  input: z.object({ number: PhoneNumber, contactId: Id.nullable().default(null), name: z.string().trim().max(120).default('') }),
  actors: ['staff'],
  async load(tx, input, ctx) {
    const actor = requireStaff(ctx);
    const settings = mustExist(await tx.get(refs.settings()), 'The workspace settings');
    let found: { contact: Contact | null; live: Ticket | null };
    if (input.contactId) {
      const contact = mustExist(await tx.get(refs.contact(input.contactId)), `Contact ${input.contactId}`);
      found = { contact, live: await liveTicketOf(tx, contact, actor) };
    } else found = await findCaller(tx, input.number, actor);
    const channel = await tx.get(refs.channel(PHONE_CHANNEL_ID));
    const externalId = internationalDigits(input.number);
    const shard = protocolFor.shard(`${PHONE_CHANNEL_ID}:${externalId}`);
    const counter = await tx.get(refs.counter(protocolFor.counterId(ctx.now, settings, shard)));
    const sectorId = actor.sectorIds[0] ?? null;
    const env = await loadTrackEnv(tx, sectorId);
    return { ...found, settings, channel, externalId, shard, counter, sectorId, env };
  },
  authorize: () => true,
  run(tx, docs, input, ctx) {
    const actor = ctx.actor as StaffActor;
    if (!docs.settings.phone) throw new CommandError('failed-precondition', 'No phone system is configured: an admin sets it in Administração → Telefonia');
    if (docs.live) return { ticketId: docs.live.id, protocol: docs.live.protocol, created: false };
    const channel = docs.channel ?? createPhoneChannel(tx, ctx.now);
    if (!channel.active) throw new CommandError('failed-precondition', 'The Telefone channel is inactive: an admin can turn it back on in Administração → Canais');
    const identityKey = `${channel.id}:${docs.externalId}`;
    const contact = docs.contact ?? createCallContact(tx, docs.externalId, input.name, identityKey, ctx);
    const counterId = protocolFor.counterId(ctx.now, docs.settings, docs.shard);
    const seq = (docs.counter?.id === counterId ? docs.counter.value : 0) + 1;
    tx.set(refs.counter(counterId), { id: counterId, value: seq });
    const ticket = trackTicket(tx, null, agentTicket(contact, channel, docs.sectorId, actor, protocolFor.format(ctx.now, docs.settings, docs.shard, seq), ctx), { ...docs.env, ...ctx });
    addMessage(tx, systemMessage(ticket, ctx.newId(), ctx.now, { kind: 'started', actorName: actor.name, toSectorId: ticket.sectorId }));
    return { ticketId: ticket.id, protocol: ticket.protocol, created: true };
  },
});

/** A finished call, as a system line in the ticket's thread; the same `callId` twice writes it once. */
export const logCall = defineCommand({
  name: 'call.log',
  input: z.object({
    ticketId: Id,
    /** The client's id for the call (SIP Call-ID or a uuid), so a retried log writes one line. */
    callId: z.string().trim().min(1).max(100),
    direction: CallDirection,
    number: PhoneNumber,
    outcome: CallOutcome,
    /** Talking time, measured by the agent's phone; 0 when nobody answered. */
    durationSeconds: z.number().int().min(0).max(24 * 3600),
  }),
  actors: ['staff'],
  async load(tx, input) {
    const ticket = mustExist(await tx.get(refs.ticket(input.ticketId)), `Ticket ${input.ticketId}`);
    const existing = await tx.get(refs.message(ticket.id, callMessageId(input.callId)));
    return { ticket, existing };
  },
  authorize: (actor, { ticket }) => staffOnly(actor, (staff) => (policy.canReadTicket(staff, ticket) ? true : 'You can no longer see this ticket')),
  run(tx, { ticket, existing }, input, ctx) {
    if (existing) return { message: existing };
    const message = callLine(ticket, input, ctx.actor as StaffActor, ctx.now);
    addMessage(tx, message);
    tx.update(refs.ticket(ticket.id), { lastMessageAt: ctx.now, updatedAt: ctx.now });
    return { message };
  },
});

/** Presence: the agent's phone says a call began or ended ("em ligação" for the supervisor). */
export const setOnCall = defineCommand({
  name: 'presence.call',
  input: z.object({ onCall: z.boolean() }),
  actors: ['staff'],
  async load(tx, _input, ctx) {
    return { user: mustExist(await tx.get(refs.user(requireStaff(ctx).uid)), 'Your user') };
  },
  authorize: () => true,
  run(tx, { user }, input, ctx) {
    const onCallSince = input.onCall ? (user.onCallSince ?? ctx.now) : null;
    if ((user.onCallSince ?? null) !== onCallSince) tx.update(refs.user(user.id), { onCallSince, updatedAt: ctx.now });
    return { onCallSince };
  },
});

/** Whether the workspace has a softphone at all. */
export const phoneConfigured = (settings: Settings | null): boolean => Boolean(settings?.phone);

export const phoneCommands = [setUserSip, sipCredentials, identifyCaller, openCall, logCall, missedCall, setOnCall];
