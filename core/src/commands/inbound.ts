import { z } from 'zod';
import { CommandError } from '../errors.ts';
import { Attachment, ChannelType, EmailPartSchema, Id, type Channel, type Message, type Settings, type Ticket } from '../model/index.ts';
import { refs } from '../store/refs.ts';
import { createContact } from '../contacts.ts';
import type { Tx } from '../store/types.ts';
import { addMessage, newMessage, newTicket, OPEN_STATUSES, preview, systemMessage, writeTicket } from '../tickets.ts';
import { isWithinBusinessHours, localTime } from '../automation/businessHours.ts';
import { protocolFor } from '../ids.ts';
import { findByProviderKey, findInbound, keptSoleThread, providerKey, recordProviderKeys, soleThreadMark } from '../channels/received.ts';
import { customerKeyOn } from '../outbox/deliver.ts';
import { defineCommand, mustExist } from './runtime.ts';
import { sendAutomated } from './automated.ts';
import { trackTicket } from '../reports/track.ts';
import { answerSurvey, parseRating, surveyOpen } from '../reports/survey.ts';
import { nextSentiment } from '../copilot/sentiment.ts';
import { phoneVariants } from '../channels/whatsapp/phone.ts';
import { MAX_TEXT, quoteOf } from './send.ts';
import { isMenuChoice, menuOf, menuText } from './botMenu.ts';
import { loadRouting, route } from './sectorRouting.ts';

const InboundInput = z
  .object({
    channelId: Id,
    /** Who the customer is on that channel: phone number, Instagram id, e-mail, widget visitor id. */
    externalId: z.string().trim().min(1).max(200),
    contact: z
      .object({
        name: z.string().trim().max(120).optional(),
        phone: z.string().trim().max(40).optional(),
        email: z.string().trim().max(200).email().optional(),
      })
      .default({}),
    /** The channel's id for this message: a repeat of it changes nothing. */
    channelMessageId: z.string().min(1).max(300),
    text: z.string().max(MAX_TEXT, `must be at most ${MAX_TEXT} characters`).default(''),
    attachments: z.array(Attachment).max(10).default([]),
    channelType: ChannelType.optional(),
    /** The channel's id of the message this one answers (a quote). */
    replyToChannelMessageId: z.string().min(1).max(300).nullable().default(null),
    /** A message of a type Atende cannot show: kept as a visible line, never dropped. */
    unsupportedType: z.string().trim().min(1).max(60).nullable().default(null),
    /** E-mail: the mail's subject, quoted history, HTML and thread. */
    email: EmailPartSchema.optional(),
    /** E-mail: the ticket the mail's headers answer; the mail joins it while it is open on this channel. */
    threadTicketId: Id.optional(),
  })
  .refine((i) => i.text.trim().length > 0 || i.attachments.length > 0 || i.unsupportedType !== null, { message: 'a message needs text or a file', path: ['text'] });

type InboundInput = z.infer<typeof InboundInput>;

/** How a customer may already be known on a channel: their id, and on WhatsApp the other form of a Brazilian mobile (ninth digit). */
const identityKeysOf = (channel: Channel, externalId: string): string[] =>
  (channel.type === 'whatsapp' ? phoneVariants(externalId) : [externalId]).map((id) => `${channel.id}:${id}`);

/**
 * A customer's message arriving on a channel (A1, A6, D1, C5, D5): joins the
 * contact's live ticket, or opens a new one through the bot or straight into
 * Esperando. Idempotent by the channel's message id.
 */
export const receiveInbound = defineCommand({
  name: 'inbound.receive',
  input: InboundInput,
  actors: ['system', 'customer'],
  async load(tx, input, ctx) {
    // A web-chat customer picks their own message ids: scoped to them, one customer's id cannot
    // collide with another's (which would drop the message and answer with the other's ticket).
    const key = providerKey(input.channelId, input.channelMessageId, ctx.actor.kind === 'customer' ? ctx.actor.contactId : undefined);
    const identityKey = `${input.channelId}:${input.externalId}`;
    // Where every field is indexed (Firestore), the live ticket found by the key the customer writes from also says who
    // they are (its contactId, its copy of their name, refreshed by contact.update): no contact read. Else, or when
    // none is found (a new ticket, another form of the number), the contact and then its live ticket, as below.
    // Read first: its copy of the thread may tell a repeat from a new message with no query (`findInbound`).
    const keyedLookup = tx.fieldIndexes === true && ctx.actor.kind === 'system' && !input.threadTicketId;
    const keyed = keyedLookup
      ? ((await tx.query({ collection: 'tickets', where: [['customerKey', '==', identityKey], ['status', 'in', [...OPEN_STATUSES]]], orderBy: [], limit: 1 }))[0] ?? null)
      : null;
    // No ticket found so: on Firestore the provider-key query waits for the contact, as a customer no contact knows
    // has no message stored anywhere (core/src/channels/received.ts, "Nothing before").
    const waitsForContact = keyedLookup && keyed === null && tx.arrayIndexes === true;
    const received = waitsForContact ? null : await findInbound(tx, key, keyed, identityKey);
    if (received) return { received, key } as const;
    const channel = await tx.get(refs.channel(input.channelId));
    if (!channel || !channel.active) {
      // A repeat still answers as one on a channel switched off since.
      const repeat = waitsForContact ? await findByProviderKey(tx, key, true) : null;
      if (repeat) return { received: repeat, key } as const;
      throw new CommandError('not-found', `Channel ${input.channelId} does not exist`, [{ path: 'channelId', message: 'no such channel' }]);
    }
    const settings = mustExist(await tx.get(refs.settings()), 'The workspace settings');
    const contact = keyed
      ? null
      : ctx.actor.kind === 'customer'
      ? await tx.get(refs.contact(ctx.actor.contactId))
      : ((await tx.query({ collection: 'contacts', where: [['identityKeys', 'array-contains-any', identityKeysOf(channel, input.externalId)]], orderBy: [], limit: 1 }))[0] ?? null);
    const known = waitsForContact && contact ? await findByProviderKey(tx, key, true) : null;
    if (known) return { received: known, key } as const;
    const quotedMessage = input.replyToChannelMessageId ? await findByProviderKey(tx, providerKey(channel.id, input.replyToChannelMessageId)) : null;
    const threaded = input.threadTicketId && ctx.actor.kind === 'system' ? await tx.get(refs.ticket(input.threadTicketId)) : null;
    const joinsThread = threaded !== null && threaded.channelId === channel.id && (OPEN_STATUSES as readonly string[]).includes(threaded.status);
    const live = joinsThread
      ? threaded
      : keyed
      ? keyed
      : contact
      ? ((await tx.query({
          collection: 'tickets',
          where: [['contactId', '==', contact.id], ['channelId', '==', channel.id], ['status', 'in', [...OPEN_STATUSES]]],
          orderBy: [],
          limit: 1,
        }))[0] ?? null)
      : null;
    const hadTickets =
      contact !== null && live === null
        ? (await tx.query({ collection: 'tickets', where: [['contactId', '==', contact.id]], orderBy: [], limit: 1 })).length > 0
        : false;
    const botActive = channel.bot.enabled && channel.bot.menu.length > 0;
    const useBot = live === null && botActive && (!hadTickets || settings.botOnNewTicket);
    // The sector it will land in, when it skips the bot or the bot routes it now.
    const choice = live?.status === 'bot' ? isMenuChoice(channel, input.text) : null;
    // A bot switched off mid-conversation hands its tickets over as if they had just arrived.
    const leavesBot = live?.status === 'bot' && (choice !== null || !botActive);
    const landingSectorId = live === null ? (useBot ? null : channel.defaultSectorId) : leavesBot ? (choice?.sectorId ?? channel.defaultSectorId) : null;
    const routing = landingSectorId ? await loadRouting(tx, landingSectorId) : null;
    const protocolShard = protocolFor.shard(identityKey);
    const protocolCounter = live === null ? await tx.get(refs.counter(protocolFor.counterId(ctx.now, settings, protocolShard))) : null;
    // D8: an answer to the survey of the contact's last closed ticket here lands on that ticket.
    const rating = live === null && contact ? parseRating(input.text) : null;
    const surveyed = rating
      ? ((await tx.query({
          collection: 'tickets',
          where: [['contactId', '==', contact!.id], ['channelId', '==', channel.id], ['status', '==', 'closed']],
          orderBy: [['closedAt', 'desc']],
          limit: 1,
        }))[0] ?? null)
      : null;
    const answers = surveyed && rating && surveyOpen(surveyed, ctx.now) ? { ticket: surveyed, rating } : null;
    const landingSector = landingSectorId && routing ? await tx.get(refs.sector(route(routing).sectorId)) : null;
    return { received: null, key, channel, settings, identityKey, contact, keyed: keyed !== null, live, useBot, leavesBot, routing, protocolShard, protocolCounter, answers, landingSector, quotedMessage } as const;
  },
  authorize(actor, docs) {
    if (actor.kind === 'customer' && docs.received === null && (docs.contact?.id !== actor.contactId || docs.channel.id !== actor.channelId))
      return 'you may only write to your own conversation';
    return true;
  },
  run(tx, docs, input, ctx) {
    if (docs.received) return { ticketId: docs.received.ticketId, messageId: docs.received.id, duplicate: true };
    const { channel, settings, live, routing } = docs;
    if (docs.answers) return answerSurveyByMessage(tx, docs.answers, input, { settings, sector: null, ...ctx }, docs.key, channel);
    // Known by their live ticket (`keyed`): the ticket names them; otherwise the contact read, or a new one.
    const contact =
      docs.contact ??
      (docs.keyed
        ? null
        : createContact(
            tx,
            { name: input.contact.name || input.contact.phone || input.contact.email || input.externalId, phone: input.contact.phone ?? null, email: input.contact.email ?? null },
            docs.identityKey,
            ctx,
          ));
    let ticket: Ticket;
    const automated: string[] = [];
    const events: Message[] = [];
    let routedFrom: Ticket | null = null;
    if (live === null) {
      const seq = (docs.protocolCounter?.value ?? 0) + 1;
      const counterId = protocolFor.counterId(ctx.now, settings, docs.protocolShard);
      tx.set(refs.counter(counterId), { id: counterId, value: seq });
      const target = routing ? route(routing) : { sectorId: null, overflow: false };
      ticket = newTicket(
        mustExist(contact, 'The contact'),
        channel,
        protocolFor.format(ctx.now, settings, docs.protocolShard, seq),
        {
          sectorId: target.sectorId,
          assigneeId: null,
          assigneeName: null,
          status: docs.useBot ? 'bot' : 'waiting',
          origin: docs.useBot ? 'bot' : 'agent',
          overflow: target.overflow,
          queuedAt: docs.useBot ? null : ctx.now,
          acceptedAt: null,
          lastCustomerMessageAt: ctx.now,
        },
        ctx,
      );
      ticket = { ...ticket, ...soleThreadMark(tx, channel, docs.contact === null && ctx.actor.kind === 'system', docs.identityKey) };
      events.push(systemMessage(ticket, ctx.newId(), ctx.now, { kind: 'created', actorName: null, toSectorId: ticket.sectorId }));
      if (docs.useBot) automated.push(menuText(channel));
    } else {
      ticket = { ...live };
      if (live.status === 'bot') {
        if (docs.leavesBot) {
          const target = routing ? route(routing) : { sectorId: null, overflow: false };
          routedFrom = live;
          ticket = { ...ticket, status: 'waiting', sectorId: target.sectorId, overflow: target.overflow, queuedAt: ctx.now };
        } else automated.push([channel.bot.invalidOption, menuText(channel)].filter(Boolean).join('\n'));
      }
    }
    if (outsideHoursNotice(settings, live, ctx.now)) automated.push(settings.businessHours.outsideMessage);
    const message = newMessage({
      id: ctx.newId(),
      ticketId: ticket.id,
      contactId: contact?.id ?? ticket.contactId,
      direction: 'in',
      createdAt: ctx.now,
      authorName: contact?.name ?? ticket.contact.name,
      text: input.text,
      attachments: input.attachments,
      channelMessageId: input.channelMessageId,
      providerKeys: [docs.key],
      ...(docs.quotedMessage ? { quote: quoteOf(docs.quotedMessage) } : {}),
      ...(input.unsupportedType ? { unsupportedType: input.unsupportedType } : {}),
      ...(input.email ? { email: input.email } : {}),
    });
    ticket = {
      ...ticket,
      lastMessageAt: ctx.now,
      lastCustomerMessageAt: ctx.now,
      // Only the customer's messages open or refresh the channel's reply window (WhatsApp: 24 h).
      windowFrom: ctx.now,
      // Where replies go, kept on the ticket so that the delivery reads no contact for it.
      customerKey: contact ? customerKeyOn(contact.identityKeys, channel.id, input.externalId) : docs.identityKey,
      lastMessage: { text: preview(input.text || (input.unsupportedType ? `[${input.unsupportedType}]` : ''), input.attachments), direction: 'in', at: ctx.now },
      unread: ticket.status === 'open' ? ticket.unread + 1 : ticket.unread,
      sentiment: nextSentiment(ticket.sentiment ?? null, input.text),
      updatedAt: ctx.now,
    };
    if (live) ticket = { ...ticket, ...keptSoleThread(live, ticket) };
    // The thread orders messages of one instant by id: the routing line is made after the
    // customer's answer that caused it, so it reads after it.
    if (routedFrom)
      events.push(systemMessage(ticket, ctx.newId(), ctx.now, { kind: 'transferred', actorName: null, fromSectorId: routedFrom.sectorId, toSectorId: ticket.sectorId }));
    ticket = trackTicket(tx, live, ticket, { settings, sector: docs.landingSector, ...ctx });
    // The customer's message first, then what answers it.
    addMessage(tx, message);
    for (const event of events) addMessage(tx, { ...event, createdAt: ctx.now });
    const humanServing = ticket.status === 'open' && settings.prioritiseHuman;
    if (!humanServing) for (const text of automated) sendAutomated(tx, ticket, text, ctx, text.endsWith(menuText(channel)) && channel.bot.menu.length > 0 ? { menu: menuOf(channel) } : {});
    recordProviderKeys(tx, message, [docs.key], ctx.now, true);
    return { ticketId: ticket.id, messageId: message.id, duplicate: false, protocol: ticket.protocol };
  },
});

/** D8: the customer's rating (and comment) recorded on the closed ticket, in its thread, thanked; no new ticket. */
const answerSurveyByMessage = (
  tx: Tx,
  answers: { ticket: Ticket; rating: { score: number; comment: string | null } },
  input: InboundInput,
  env: Parameters<typeof answerSurvey>[3],
  key: string,
  channel: Channel,
) => {
  const { ticket } = answers;
  const message = newMessage({
    id: env.newId(),
    ticketId: ticket.id,
    contactId: ticket.contactId,
    direction: 'in',
    createdAt: env.now,
    authorName: ticket.contact.name,
    text: input.text,
    attachments: input.attachments,
    channelMessageId: input.channelMessageId,
    providerKeys: [key],
  });
  addMessage(tx, message);
  const after = answerSurvey(tx, ticket, answers.rating, env);
  writeTicket(tx, ticket, { ...after, lastMessageAt: env.now, lastCustomerMessageAt: env.now, lastMessage: { text: preview(input.text, input.attachments), direction: 'in', at: env.now } });
  const thanks = channel.survey?.thanks.trim();
  if (thanks) sendAutomated(tx, after, thanks, env);
  recordProviderKeys(tx, message, [key], env.now, true);
  return { ticketId: ticket.id, messageId: message.id, duplicate: false, protocol: ticket.protocol, rated: answers.rating.score };
};

/**
 * D5: the outside-hours notice goes once per stretch of closed hours: with a new ticket, or
 * when the customer's previous message was inside business hours or on another day.
 */
const outsideHoursNotice = (settings: Settings, live: Ticket | null, now: number): boolean => {
  const hours = settings.businessHours;
  if (!hours.enabled || !hours.outsideMessage.trim() || isWithinBusinessHours(hours, now)) return false;
  const previous = live?.lastCustomerMessageAt ?? null;
  if (previous === null) return true;
  return isWithinBusinessHours(hours, previous) || localTime(previous, hours.timezone).date !== localTime(now, hours.timezone).date;
};

