import { z } from 'zod';
import type { CallDirection, CallOutcome, Channel, Contact, Message, Ticket } from '../model/index.ts';
import { policy, type StaffActor } from '../policy.ts';
import { refs } from '../store/refs.ts';
import type { Tx } from '../store/types.ts';
import { newMessage, OPEN_STATUSES, systemMessage } from '../tickets.ts';
import { safeKey } from '../ids.ts';
import { createContact } from '../contacts.ts';
import type { CommandContext } from '../commands/runtime.ts';
import { callerPhoneForms, formatPhone } from './number.ts';

/** What the softphone's commands share: the caller's lookup, the Telefone channel, the call's line in a thread. */

/** The channel every call ticket belongs to; created the first time a call needs it. */
export const PHONE_CHANNEL_ID = 'phone';

export const PhoneNumber = z
  .string()
  .trim()
  .max(40)
  .refine((n) => /^\d{3,15}$/.test(n.replace(/[\s()+.-]/g, '')), 'must be a phone number (digits, optionally with +, spaces, dashes)');

/** The contact's open tickets the agent may see: the agent's own first, then the newest. */
export const liveTicketOf = async (tx: Tx, contact: Contact, actor: StaffActor): Promise<Ticket | null> => {
  const tickets = await tx.query({ collection: 'tickets', where: [['contactId', '==', contact.id], ['status', 'in', [...OPEN_STATUSES]]], orderBy: [], limit: 10 });
  const visible = tickets.filter((t) => policy.canReadTicket(actor, t));
  return visible.find((t) => t.status === 'open' && t.assigneeId === actor.uid) ?? visible.sort((a, b) => b.lastMessageAt - a.lastMessageAt)[0] ?? null;
};

/** The contact a number belongs to (ninth digit and country code aside), and their live ticket the agent can see. */
export const findCaller = async (tx: Tx, number: string, actor: StaffActor): Promise<{ contact: Contact | null; live: Ticket | null }> => {
  const forms = callerPhoneForms(number);
  const contact = forms.length ? ((await tx.query({ collection: 'contacts', where: [['phone', 'in', forms]], orderBy: [], limit: 1 }))[0] ?? null) : null;
  return { contact, live: contact ? await liveTicketOf(tx, contact, actor) : null };
};

/** One call's line in a thread: its id comes from the call's, so a retried log writes one line. */
export const callMessageId = (callId: string): string => `call-${safeKey(callId)}`.slice(0, 128);

export interface CallFacts {
  callId: string;
  direction: CallDirection;
  outcome: CallOutcome;
  number: string;
  /** Talking time; only an answered call has any. */
  durationSeconds: number;
}

export const callLine = (ticket: Ticket, call: CallFacts, actor: StaffActor, now: number): Message => {
  const durationSeconds = call.outcome === 'answered' ? call.durationSeconds : 0;
  return newMessage({
    ...systemMessage(ticket, callMessageId(call.callId), now, { kind: 'call', actorName: actor.name }),
    call: {
      direction: call.direction,
      outcome: call.outcome,
      number: call.number,
      agentId: actor.uid,
      agentName: actor.name,
      startedAt: Math.max(0, now - durationSeconds * 1000),
      durationSeconds,
    },
  });
};

export const createPhoneChannel = (tx: Tx, now: number): Channel => {
  const channel: Channel = {
    id: PHONE_CHANNEL_ID,
    type: 'phone',
    name: 'Telefone',
    defaultSectorId: null,
    bot: { enabled: false, greeting: '', menu: [], invalidOption: '' },
    active: true,
    updatedAt: now,
  };
  tx.set(refs.channel(channel.id), channel);
  return channel;
};

export const createCallContact = (tx: Tx, digits: string, name: string, identityKey: string, ctx: CommandContext): Contact =>
  createContact(tx, { name: name || formatPhone(`+${digits}`), phone: digits, email: null }, identityKey, ctx);
