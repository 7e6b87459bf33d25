import { z } from 'zod';
import { CommandError } from '../errors.ts';
import { Attachment, Id, type Message } from '../model/index.ts';
import { policy, type StaffActor } from '../policy.ts';
import { refs } from '../store/refs.ts';
import { agentMessage, preview, writeTicket } from '../tickets.ts';
import { addOutbound } from '../outbox/state.ts';
import { defineCommand, mustExist, precondition, staffOnly } from './runtime.ts';
import { recordTicketFacts } from '../reports/lifeFacts.ts';
import { firstResponseFact, loadTrackEnv } from '../reports/track.ts';
import { replyWindowOf } from '../channels/registry.ts';
import { rememberSend, sentBefore } from './sentBefore.ts';

/** An agent's message (message.send): written with its own pending delivery (core/src/outbox/state.ts). */

export const MAX_TEXT = 4096;

const SendInput = z
  .object({
    ticketId: Id,
    text: z.string().max(MAX_TEXT, `must be at most ${MAX_TEXT} characters`).default(''),
    attachments: z.array(Attachment).max(10).default([]),
    clientId: z.string().max(64).nullable().default(null),
    /** The message of this ticket being answered: quoted in the thread and on the channel (WhatsApp context). */
    quoteId: Id.nullable().default(null),
  })
  .refine((i) => i.text.trim().length > 0 || i.attachments.length > 0, { message: 'write a message or attach a file', path: ['text'] });

export const sendMessage = defineCommand({
  name: 'message.send',
  input: SendInput,
  actors: ['staff'],
  async load(tx, input) {
    const ticket = mustExist(await tx.get(refs.ticket(input.ticketId)), `Ticket ${input.ticketId}`);
    const duplicate = await sentBefore(tx, ticket, input.clientId);
    const quoted = input.quoteId ? await tx.get(refs.message(ticket.id, input.quoteId)) : null;
    if (input.quoteId && !quoted) throw new CommandError('not-found', `Message ${input.quoteId} is not in this ticket`, [{ path: 'quoteId', message: 'no such message in this ticket' }]);
    // The first answer of a ticket's life is TMR1 (and its first-response service level).
    const env = ticket.life && ticket.life.firstResponseAt === null ? await loadTrackEnv(tx, null) : null;
    // Instagram's window depends on the channel's human-agent tag (7 days instead of 24 hours).
    const channel = ticket.channelType === 'instagram' ? await tx.get(refs.channel(ticket.channelId)) : null;
    return { ticket, duplicate, env, quoted, channel };
  },
  authorize: (actor, { ticket }) => staffOnly(actor, (staff) => policy.canManage(staff, ticket)),
  run(tx, { ticket, duplicate, env, quoted, channel }, input, ctx) {
    // A retried send (same clientId) returns the message already stored.
    if (duplicate) return { message: duplicate };
    precondition(ticket.status !== 'closed', 'This ticket is closed: reopen it to send a message');
    precondition(ticket.status === 'open', 'Take this ticket (Atender) before replying');
    // WhatsApp's 24-hour window: once closed, only a template (message.sendTemplate) may go out.
    // Instagram's (24 h, or 7 days with the human-agent tag): once closed, only the customer can reopen it.
    const limited = ticket.channelType === 'whatsapp' || ticket.channelType === 'instagram';
    const window = limited ? replyWindowOf(ticket.channelType, ticket.windowFrom ?? null, ctx.now, { humanAgentTag: channel?.humanAgentTag === true }) : null;
    if (window?.kind === 'window' && !window.open)
      throw ticket.channelType === 'instagram'
        ? new CommandError('failed-precondition', 'The Instagram reply window is closed: only the customer can reopen the conversation', [{ path: 'text', message: 'window closed' }])
        : new CommandError('failed-precondition', 'The 24-hour window is closed: send a template', [{ path: 'text', message: 'window closed' }]);
    const actor = ctx.actor as StaffActor;
    const message = agentMessage(ticket, ctx.newId(), ctx.now, actor, {
      text: input.text,
      attachments: input.attachments,
      clientId: input.clientId,
      ...(quoted ? { quote: quoteOf(quoted) } : {}),
    });
    const sent = addOutbound(tx, message, ctx.now, { webchat: ticket.channelType === 'webchat' });
    const first = env ? firstResponseFact(ticket, { ...env, sector: null, ...ctx }, actor.uid) : null;
    writeTicket(tx, ticket, recordTicketFacts(tx, {
      ...ticket,
      ...rememberSend(ticket, message),
      ...(first ? { life: first.life } : {}),
      lastMessageAt: ctx.now,
      lastMessage: { text: preview(message.text, message.attachments), direction: 'out', at: ctx.now },
      unread: 0,
      updatedAt: ctx.now,
    }, first ? [first.fact] : []));
    return { message: sent };
  },
});

export const quoteOf = (m: Message) => ({ messageId: m.id, text: preview(m.text, m.attachments).slice(0, 300), authorName: m.authorName });
