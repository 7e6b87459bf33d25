import { z } from 'zod';
import { Id, Millis } from './primitives.ts';
import { DeliveryFailureSchema, QuoteSchema, ReactionSchema, SentTemplateSchema } from './channels.ts';
import { EmailPartSchema } from './mail.ts';
import { CallRecord } from './phone.ts';

export const MessageDirection = z.enum(['in', 'out', 'system']);
export type MessageDirection = z.infer<typeof MessageDirection>;

export const AttachmentKind = z.enum(['image', 'audio', 'video', 'document']);
export type AttachmentKind = z.infer<typeof AttachmentKind>;

export const Attachment = z.object({
  id: Id,
  name: z.string().min(1).max(255),
  mime: z.string().min(1).max(120),
  size: z.number().int().nonnegative(),
  kind: AttachmentKind,
});
export type Attachment = z.infer<typeof Attachment>;

export const DeliveryStatus = z.enum(['pending', 'sent', 'delivered', 'read', 'failed']);
export type DeliveryStatus = z.infer<typeof DeliveryStatus>;

/**
 * Where an outbound message's delivery stands (core/src/outbox/state.ts): the
 * message is its own outbox entry. `dueAt` is when a worker may try next (a
 * lease while one sends); null once done.
 */
export const DeliveryState = z.object({
  attempts: z.number().int().nonnegative(),
  dueAt: Millis.nullable(),
  doneAt: Millis.nullable(),
  lastError: z.string().nullable(),
  /**
   * Created already leased by the invocation that wrote it, which sends it right after its commit
   * (core/src/outbox/state.ts `sendsOutbound`): the trigger leaves it; the sweep takes it if the lease runs out.
   */
  inline: z.boolean().optional(),
});
export type DeliveryState = z.infer<typeof DeliveryState>;

export const SystemEvent = z.object({
  kind: z.enum(['created', 'accepted', 'transferred', 'returned', 'closed', 'reopened', 'autoClosed', 'classified', 'started', 'summary', 'call']),
  actorName: z.string().nullable(),
  fromSectorId: Id.nullable().optional(),
  toSectorId: Id.nullable().optional(),
  toAssigneeId: Id.nullable().optional(),
  toChannelId: Id.nullable().optional(),
});
export type SystemEvent = z.infer<typeof SystemEvent>;

export const Message = z.object({
  id: Id,
  ticketId: Id,
  contactId: Id,
  direction: MessageDirection,
  /** A user's id for agent messages; null for the customer, the bot and system lines. */
  authorId: Id.nullable(),
  authorName: z.string().nullable(),
  text: z.string(),
  attachments: z.array(Attachment),
  status: DeliveryStatus,
  createdAt: Millis,
  channelMessageId: z.string().nullable(),
  /** The channel-scoped keys of the provider's ids for this message (core/src/channels/received.ts `providerKey`): how a repeated webhook, a status report, a reaction or a quote finds it. Absent on system lines and older messages. */
  providerKeys: z.array(z.string().max(200)).max(20).optional(),
  /** The client's id for an optimistic message, so its pending copy can be replaced. */
  clientId: z.string().nullable(),
  event: SystemEvent.nullable(),
  /** True for messages the bot or the automation sent. */
  automated: z.boolean(),
  /** Why a delivery failed or is being retried (translated by the SPA). Fields added for channels (issue 11) are optional: older documents lack them. */
  deliveryFailure: DeliveryFailureSchema.nullable().optional(),
  /** Outbound messages to a channel: their delivery (attempts, next try); absent on inbound and system lines and on messages written before issue 15. */
  delivery: DeliveryState.nullable().optional(),
  /** The message this one answers, quoted. */
  quote: QuoteSchema.nullable().optional(),
  reactions: z.array(ReactionSchema).max(20).optional(),
  /** A template message: which one, with its values. */
  template: SentTemplateSchema.nullable().optional(),
  /** The bot menu's choices, sent as buttons or a list where the channel has them. */
  menu: z.array(z.object({ key: z.string().max(8), label: z.string().max(80) })).max(20).nullable().optional(),
  /** A customer message of a type Atende cannot show (the provider's type name). */
  unsupportedType: z.string().max(60).nullable().optional(),
  /** D8: the satisfaction question (the widget shows 1–5 buttons; WhatsApp an interactive list). */
  survey: z.boolean().optional(),
  /** A mail's subject, quoted history, HTML and thread; null on other channels. */
  email: EmailPartSchema.nullable().optional(),
  /** When the customer deleted (unsent) it on their channel; the thread says so. */
  deletedAt: Millis.nullable().optional(),
  /** A phone call (system line, event kind `call`). */
  call: CallRecord.nullable().optional(),
  /**
   * Changed after the commit that created it (a reply's outcome, a status report, a reaction, a deletion…). Firestore
   * only: the functions' store marks every later write of a message, so a console that reads the thread from its
   * ticket's copy (`Ticket.recent`, core/src/store/threadLayout.ts) hears just these (`messages.revisedOfTicket`).
   */
  revised: z.boolean().optional(),
});
export type Message = z.infer<typeof Message>;
