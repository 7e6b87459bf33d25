import { z } from 'zod';
import { ChannelType, Id, Millis, TicketStatus } from './primitives.ts';
import { ContactSummary } from './contact.ts';
import { Message, MessageDirection } from './message.ts';
import { LifeFact, TicketLife, TicketSla, TicketSurvey } from './reports.ts';

export const LastMessage = z.object({
  text: z.string(),
  direction: MessageDirection,
  at: Millis,
  /** This last message (ours) did not reach the customer: the card shows it instead of the ✓. */
  failed: z.boolean().optional(),
});

/** The automation groups of quiet tickets (core/src/automation/idle.ts). */
export const IdleGroup = z.enum(['open:agent', 'open:agent:warned', 'open:bot', 'open:bot:warned', 'bot', 'waiting']);
export type IdleGroup = z.infer<typeof IdleGroup>;

/**
 * Firestore only: a bounded copy of the ticket's newest thread lines, kept by the functions' store in every commit
 * that creates a line of the ticket (core/src/store/threadLayout.ts has the rule and the bounds). `older` is the
 * `createdAt` of the newest line NOT in `lines` (null: `lines` is the whole thread); every line newer than it is in
 * `lines`. A line a commit creates lives here alone (but the kinds `livesInCopy` leaves out) until a later commit drops
 * it for the bounds and writes it as its own document. A closed ticket keeps it. The embedded server's tickets carry
 * none; tickets stored before it existed, or closed before closed tickets kept it, carry none or null.
 */
export const TicketRecent = z.object({
  lines: z.array(Message).max(100),
  older: Millis.nullable(),
  /**
   * The ids of the lines in `lines` that also have their own `messages` document (kinds not yet kept in the copy
   * alone, and lines stored before lines lived here: core/src/store/threadLayout.ts `livesInCopy`); every other line
   * lives here only. Absent: every line has its document (a copy written before lines lived in it alone).
   */
  stored: z.array(Id).max(100).optional(),
});
export type TicketRecent = z.infer<typeof TicketRecent>;

export const Ticket = z.object({
  id: Id,
  protocol: z.string(),
  contactId: Id,
  contact: ContactSummary,
  channelId: Id,
  channelType: ChannelType,
  sectorId: Id.nullable(),
  assigneeId: Id.nullable(),
  /** Who is serving, by name, for the customer's "Ana está atendendo você" (null while nobody is). */
  assigneeName: z.string().nullable().optional(),
  status: TicketStatus,
  origin: z.enum(['bot', 'agent']),
  overflow: z.boolean(),
  tagIds: z.array(Id),
  classificationId: Id.nullable(),
  createdAt: Millis,
  /** When it last entered Esperando: the waiting clock starts here. */
  queuedAt: Millis.nullable(),
  acceptedAt: Millis.nullable(),
  closedAt: Millis.nullable(),
  closedBy: Id.nullable(),
  lastMessageAt: Millis,
  lastCustomerMessageAt: Millis.nullable(),
  /** The customer's last message on the ticket's current channel: opens the 24-hour reply window (null: closed). */
  windowFrom: Millis.nullable().optional(),
  /**
   * When the provider refused one of our replies because, by its clock, the window had closed (WhatsApp 131047): the
   * sending time of that reply. Read only while `windowFrom` is null (`windowClosedWhy`): a closed window then says
   * the provider closed it, not that the customer never wrote. Moving to another channel clears it.
   */
  windowClosedAt: Millis.nullish(),
  /**
   * The customer's identity key on the channel (`${channelId}:${externalId}`) they last wrote from, or the agent
   * started the conversation to: where a reply goes, without reading the contact (core/src/outbox/deliver.ts).
   * A key of another channel (the ticket moved) or none (older tickets) sends to the contact's first key there.
   */
  customerKey: z.string().max(260).nullish(),
  /** The last agent sends by client id, newest last (core/src/commands/sentBefore.ts): a retried send is found without a query. */
  recentSends: z.array(z.object({ clientId: z.string(), messageId: Id })).max(20).optional(),
  lastMessage: LastMessage.nullable(),
  /**
   * D3: which silence the automation tick watches on this ticket (derived by `writeTicket`, see
   * core/src/automation/idle.ts), so the tick queries only tickets that are due. Absent on tickets
   * written before it existed: they join at their next write.
   */
  idle: IdleGroup.nullish(),
  /** D4: when the "closing soon" warning went out for the current silence; null when not warned. */
  inactivityWarnedAt: Millis.nullable().default(null),
  /** Reports: the current life's milestones (null on tickets from before reports existed). */
  life: TicketLife.nullish(),
  /** Reports: the current life's facts not yet stored, where facts are stored one document per life (core/src/reports/lifeFacts.ts). */
  lifeFacts: z.array(LifeFact).max(40).optional(),
  /** C8: the current life's deadlines, when its sector has service levels. */
  sla: TicketSla.nullish(),
  /** D8: the satisfaction survey of the last closing. */
  survey: TicketSurvey.nullish(),
  /** Customer messages not yet seen by the assignee. */
  unread: z.number().int().nonnegative(),
  /** The customer's mood over their last messages, -1 (angry) … 1 (pleased); null until known (copilot lexicon). */
  sentiment: z.number().min(-1).max(1).nullable().default(null),
  /** Bumps on every write: clients drop updates older than what they hold. */
  updatedAt: Millis,
  /** Firestore only: the thread's newest lines, for the console that follows this ticket (see `TicketRecent`); null or absent: none. */
  recent: TicketRecent.nullish(),
  /**
   * Firestore only: the provider keys (`Message.providerKeys`) of the lines of `recent` that live there alone, so that
   * a repeated webhook, a status or a quote finds them with an `array-contains` query on the tickets
   * (core/src/channels/received.ts `findByProviderKey`). Absent: none.
   */
  recentKeys: z.array(z.string().max(200)).max(600).optional(),
  /**
   * Firestore only: the customer identity key (`customerKey`) every one of whose messages on its channel this ticket
   * holds — set when a customer unknown until then opens it, dropped (null) when it moves to another channel or its
   * `customerKey` changes. With a copy of the whole thread, a repeated webhook is told from a new message without a
   * query (core/src/channels/received.ts `findInbound`). Absent or null: not known, the query decides.
   */
  soleThreadOf: z.string().max(260).nullish(),
});
export type Ticket = z.infer<typeof Ticket>;
