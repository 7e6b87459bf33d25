import { z } from 'zod';
import { CommandError } from '../errors.ts';
import type { Ticket } from '../model/index.ts';
import type { StaffActor } from '../policy.ts';
import { refs } from '../store/refs.ts';
import { addMessage } from '../tickets.ts';
import { protocolFor, safeKey } from '../ids.ts';
import { defineCommand, mustExist, requireStaff } from '../commands/runtime.ts';
import { loadTrackEnv, trackTicket } from '../reports/track.ts';
import { agentTicket } from '../commands/start.ts';
import { internationalDigits } from './number.ts';
import { callLine, callMessageId, createCallContact, createPhoneChannel, findCaller, PHONE_CHANNEL_ID, PhoneNumber } from './calls.ts';

/** The ticket a missed call opens: its id comes from the call's, so every phone that rang for it finds the same one. */
const missedTicketId = (callId: string): string => `missed-${safeKey(callId)}`.slice(0, 128);

/**
 * A call nobody answered, reported by a phone that rang (the caller hung up
 * or the PBX gave up). It goes on the caller's live ticket the agent can
 * see; without one, it opens a ticket in Esperando (the Telefone channel's
 * sector, else the agent's first) so that someone calls back. Every phone
 * of a ring group reports the same call: the first report writes, the
 * others find what it wrote.
 */
export const missedCall = defineCommand({
  name: 'call.missed',
  input: z.object({
    callId: z.string().trim().min(1).max(100),
    number: PhoneNumber,
    /** The caller's display name, when the PBX gave one. */
    name: z.string().trim().max(120).default(''),
  }),
  actors: ['staff'],
  async load(tx, input, ctx) {
    const actor = requireStaff(ctx);
    const settings = mustExist(await tx.get(refs.settings()), 'The workspace settings');
    const already = await tx.get(refs.ticket(missedTicketId(input.callId)));
    const { contact, live } = await findCaller(tx, input.number, actor);
    const logged = live ? await tx.get(refs.message(live.id, callMessageId(input.callId))) : null;
    const channel = await tx.get(refs.channel(PHONE_CHANNEL_ID));
    const externalId = internationalDigits(input.number);
    const shard = protocolFor.shard(`${PHONE_CHANNEL_ID}:${externalId}`);
    const counter = await tx.get(refs.counter(protocolFor.counterId(ctx.now, settings, shard)));
    const sectorId = channel?.defaultSectorId ?? actor.sectorIds[0] ?? null;
    const env = await loadTrackEnv(tx, sectorId);
    return { settings, already, contact, live, logged, channel, externalId, shard, counter, sectorId, env };
  },
  authorize: () => true,
  run(tx, docs, input, ctx) {
    const actor = ctx.actor as StaffActor;
    const call = { callId: input.callId, direction: 'in' as const, outcome: 'noAnswer' as const, number: input.number, durationSeconds: 0 };
    if (docs.already) return { ticketId: docs.already.id, created: false };
    if (docs.live) {
      if (!docs.logged) {
        addMessage(tx, callLine(docs.live, call, actor, ctx.now));
        tx.update(refs.ticket(docs.live.id), { lastMessageAt: ctx.now, updatedAt: ctx.now });
      }
      return { ticketId: docs.live.id, created: false };
    }
    if (!docs.settings.phone) throw new CommandError('failed-precondition', 'No phone system is configured: an admin sets it in Administração → Telefonia');
    const channel = docs.channel ?? createPhoneChannel(tx, ctx.now);
    const contact = docs.contact ?? createCallContact(tx, docs.externalId, input.name, `${channel.id}:${docs.externalId}`, ctx);
    const counterId = protocolFor.counterId(ctx.now, docs.settings, docs.shard);
    const seq = (docs.counter?.id === counterId ? docs.counter.value : 0) + 1;
    tx.set(refs.counter(counterId), { id: counterId, value: seq });
    const opened = agentTicket(contact, channel, docs.sectorId, actor, protocolFor.format(ctx.now, docs.settings, docs.shard, seq), ctx);
    const waiting: Ticket = { ...opened, id: missedTicketId(input.callId), status: 'waiting', assigneeId: null, assigneeName: null, acceptedAt: null, queuedAt: ctx.now };
    const ticket = trackTicket(tx, null, waiting, { ...docs.env, ...ctx });
    addMessage(tx, callLine(ticket, call, actor, ctx.now));
    return { ticketId: ticket.id, created: true };
  },
});
