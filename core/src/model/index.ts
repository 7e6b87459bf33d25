import { z } from 'zod';
import { ChannelAccountSchema, ChannelHealthSchema, ChannelSecretsSchema, DeliveryFailureSchema, QuoteSchema, ReactionSchema, SentTemplateSchema } from './channels.ts';
import { CopilotExample, CopilotSettings } from './copilot.ts';
import { MessageTemplateSchema } from './templates.ts';
import { Fact, SectorSla, Stats, SurveySettings, TicketLife, TicketSla, TicketSurvey } from './reports.ts';

export * from './channels.ts';
export * from './reports.ts';
import { PauseReason, PresenceEvent, PresenceSettings, userPresenceFields } from './presence.ts';

export * from './presence.ts';
export * from './copilot.ts';
export * from './mail.ts';
import { EmailPartSchema, MailSettingsSchema } from './mail.ts';
export * from './templates.ts';
export * from './phone.ts';
import { CallRecord, PhoneSettings, SipSecret, UserSip } from './phone.ts';

/** Document ids: URL- and Firestore-path-safe. */
export const Id = z
  .string()
  .min(1, 'must not be empty')
  .max(128, 'must be at most 128 characters')
  .regex(/^[A-Za-z0-9_.:-]+$/, 'may only contain letters, digits, "_", ".", ":" and "-"');

/** Milliseconds since the epoch. */
export const Millis = z.number().int().nonnegative();

export const Role = z.enum(['agent', 'supervisor', 'admin']);
export type Role = z.infer<typeof Role>;

export const Presence = z.enum(['online', 'paused', 'offline']);
export type Presence = z.infer<typeof Presence>;

export const ChannelType = z.enum(['webchat', 'whatsapp', 'instagram', 'email', 'phone']);
export type ChannelType = z.infer<typeof ChannelType>;

export const TicketStatus = z.enum(['bot', 'waiting', 'open', 'closed']);
export type TicketStatus = z.infer<typeof TicketStatus>;

export const User = z.object({
  id: Id,
  name: z.string().trim().min(1).max(120),
  email: z.string().trim().toLowerCase().email().max(200),
  role: Role,
  sectorIds: z.array(Id).max(30),
  presence: Presence,
  ...userPresenceFields,
  seesAllHistory: z.boolean(),
  active: z.boolean(),
  /** Softphone: the agent's SIP extension (the password lives in `sipSecrets`). */
  sip: UserSip.nullable().optional(),
  /** Since when the agent is on a phone call ("em ligação"); null/absent when not. */
  onCallSince: Millis.nullable().optional(),
  updatedAt: Millis,
});
export type User = z.infer<typeof User>;

export const Sector = z.object({
  id: Id,
  name: z.string().trim().min(1).max(80),
  color: z.string().regex(/^#[0-9a-fA-F]{6}$/, 'must be a colour like #1d4ed8'),
  overflowSectorId: Id.nullable(),
  /** C8: service levels; null when the sector has none. */
  sla: SectorSla.nullish(),
  /** Closes the sector's e-mail replies, after "-- ". */
  signature: z.string().max(1000).optional(),
  updatedAt: Millis,
});
export type Sector = z.infer<typeof Sector>;

export const Contact = z.object({
  id: Id,
  name: z.string().trim().min(1).max(120),
  phone: z.string().trim().max(40).nullable(),
  email: z.string().trim().max(200).nullable(),
  /** `${channelId}:${externalId}`: how an inbound message finds its contact. */
  identityKeys: z.array(z.string().max(300)),
  tagIds: z.array(Id),
  notes: z.string().max(5000),
  createdAt: Millis,
  updatedAt: Millis,
});
export type Contact = z.infer<typeof Contact>;

export const BotMenuOption = z.object({
  key: z.string().trim().min(1).max(8),
  label: z.string().trim().min(1).max(80),
  sectorId: Id,
});
export type BotMenuOption = z.infer<typeof BotMenuOption>;

export const BotConfig = z.object({
  enabled: z.boolean(),
  greeting: z.string().max(1000),
  menu: z.array(BotMenuOption).max(20),
  invalidOption: z.string().max(500),
});
export type BotConfig = z.infer<typeof BotConfig>;

export const Channel = z.object({
  id: Id,
  type: ChannelType,
  name: z.string().trim().min(1).max(80),
  defaultSectorId: Id.nullable(),
  bot: BotConfig,
  /** D8: the satisfaction survey after Finalizar. */
  survey: SurveySettings.optional(),
  active: z.boolean(),
  /** The provider account (WhatsApp phone_number_id + WABA id…); null for web chat or when not connected. */
  account: ChannelAccountSchema.nullable().optional(),
  /** `attention` when the provider refused our credentials (admins see it). */
  health: ChannelHealthSchema.nullable().optional(),
  /** E-mail: the mailbox's IMAP and SMTP servers (the address is `account.id`). */
  mail: MailSettingsSchema.nullable().optional(),
  /** Instagram: answer with Meta's human-agent tag, up to 7 days after the customer's last message. */
  humanAgentTag: z.boolean().optional(),
  updatedAt: Millis,
});
export type Channel = z.infer<typeof Channel>;

export const ContactSummary = z.object({
  name: z.string(),
  phone: z.string().nullable(),
  email: z.string().nullable(),
});
export type ContactSummary = z.infer<typeof ContactSummary>;

export const MessageDirection = z.enum(['in', 'out', 'system']);
export type MessageDirection = z.infer<typeof MessageDirection>;

export const LastMessage = z.object({
  text: z.string(),
  direction: MessageDirection,
  at: Millis,
});

/** The automation groups of quiet tickets (core/src/automation/idle.ts). */
export const IdleGroup = z.enum(['open:agent', 'open:agent:warned', 'open:bot', 'open:bot:warned', 'bot', 'waiting']);
export type IdleGroup = z.infer<typeof IdleGroup>;

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
});
export type Ticket = z.infer<typeof Ticket>;

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
  /** The client's id for an optimistic message, so its pending copy can be replaced. */
  clientId: z.string().nullable(),
  event: SystemEvent.nullable(),
  /** True for messages the bot or the automation sent. */
  automated: z.boolean(),
  /** Why a delivery failed or is being retried (translated by the SPA). Fields added for channels (issue 11) are optional: older documents lack them. */
  deliveryFailure: DeliveryFailureSchema.nullable().optional(),
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
});
export type Message = z.infer<typeof Message>;

export const QuickReply = z.object({
  id: Id,
  shortcut: z.string().trim().min(1).max(40).regex(/^[\p{L}\p{N}_-]+$/u, 'may only contain letters, digits, "_" and "-"'),
  text: z.string().min(1).max(4000),
  sectorIds: z.array(Id),
  /** Files stored by `POST /api/quick-reply-files`; copied into the ticket when the reply is used. */
  attachments: z.array(Attachment).max(5).default([]),
  updatedAt: Millis,
});
export type QuickReply = z.infer<typeof QuickReply>;

export const Tag = z.object({
  id: Id,
  name: z.string().trim().min(1).max(40),
  color: z.string().regex(/^#[0-9a-fA-F]{6}$/, 'must be a colour like #1d4ed8'),
  updatedAt: Millis,
});
export type Tag = z.infer<typeof Tag>;

export const Classification = z.object({
  id: Id,
  name: z.string().trim().min(1).max(80),
  updatedAt: Millis,
});
export type Classification = z.infer<typeof Classification>;

const HHMM = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a time like 08:30');

export const BusinessDay = z.object({
  /** 0 = Sunday … 6 = Saturday */
  day: z.number().int().min(0).max(6),
  open: HHMM,
  close: HHMM,
});

/** D3: closing tickets nobody is serving whose customer went quiet (left the bot's menu, gave up waiting). */
export const AbandonedRule = z.object({
  enabled: z.boolean(),
  afterMinutes: z.number().int().min(1).max(60 * 24 * 60),
  /** Tickets still in the bot stage. */
  inBot: z.boolean(),
  /** Tickets waiting in Esperando. */
  waiting: z.boolean(),
  /** What the customer gets when it closes ('' = nothing). */
  message: z.string().max(1000),
});
export type AbandonedRule = z.infer<typeof AbandonedRule>;

export const Settings = z.object({
  id: z.literal('workspace'),
  name: z.string().trim().min(1).max(80),
  businessHours: z.object({
    enabled: z.boolean(),
    timezone: z.string().min(1).max(64),
    /** Several intervals a day are allowed (a lunch break). */
    days: z.array(BusinessDay).max(42),
    holidays: z.array(z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date like 2026-12-25')).max(100),
    outsideMessage: z.string().max(1000),
  }),
  autoClose: z.object({
    enabled: z.boolean(),
    afterMinutes: z.number().int().min(1).max(60 * 24 * 60),
    closeAgentTickets: z.boolean(),
    closeBotTickets: z.boolean(),
    warningMinutes: z.number().int().min(0).max(60 * 24 * 30),
    warningMessage: z.string().max(1000),
    closingMessage: z.string().max(1000),
    /** Count the silence in business hours only (the one business-hours function); absent = wall-clock. */
    businessTime: z.boolean().optional(),
    /** Tickets the customer left in the bot stage or in Esperando; absent = never closed. */
    abandoned: AbandonedRule.optional(),
  }),
  attachments: z.object({
    maxBytes: z.number().int().min(1024).max(100 * 1024 * 1024),
    /** MIME types or families like `image/*`. */
    allowedTypes: z.array(z.string().min(1).max(120)).max(100),
  }),
  prioritiseHuman: z.boolean(),
  /** C7: how presence follows the session; absent = PRESENCE_DEFAULTS. */
  presence: PresenceSettings.optional(),
  /** A6: whether a new ticket after closing goes through the bot again. */
  botOnNewTicket: z.boolean(),
  /** D2: what the customer gets when human service ends. */
  closingMessage: z.string().max(1000),
  /** D2: whether finalising a ticket straight from Esperando also sends the closing message. */
  closingMessageFromWaiting: z.boolean().optional(),
  /** The AI copilot's features (issue 12). */
  copilot: CopilotSettings.optional(),
  /** The softphone's PBX (issue 17); absent or null: no softphone. */
  phone: PhoneSettings.nullable().optional(),
  updatedAt: Millis,
});
export type Settings = z.infer<typeof Settings>;

export const Counter = z.object({
  id: z.string(),
  value: z.number().int(),
});
export type Counter = z.infer<typeof Counter>;

export const OutboxKind = z.enum(['deliver']);
export const Outbox = z.object({
  id: Id,
  kind: OutboxKind,
  ticketId: Id,
  messageId: Id,
  channelId: Id,
  channelType: ChannelType,
  createdAt: Millis,
  attempts: z.number().int().nonnegative(),
  /** When it may be tried next; null once done. */
  dueAt: Millis.nullable(),
  doneAt: Millis.nullable(),
  lastError: z.string().nullable(),
});
export type Outbox = z.infer<typeof Outbox>;

/** Marks an inbound channel message as received, so a repeated webhook changes nothing. */
export const Receipt = z.object({
  id: Id,
  ticketId: Id,
  messageId: Id,
  at: Millis,
});
export type Receipt = z.infer<typeof Receipt>;

/** Every collection, with the schema of its documents. `messages` live under their ticket. */
export const schemas = {
  users: User,
  sectors: Sector,
  contacts: Contact,
  channels: Channel,
  tickets: Ticket,
  messages: Message,
  quickReplies: QuickReply,
  tags: Tag,
  classifications: Classification,
  settings: Settings,
  counters: Counter,
  outbox: Outbox,
  receipts: Receipt,
  channelSecrets: ChannelSecretsSchema,
  facts: Fact,
  stats: Stats,
  pauseReasons: PauseReason,
  presenceEvents: PresenceEvent,
  copilotExamples: CopilotExample,
  templates: MessageTemplateSchema,
  sipSecrets: SipSecret,
} as const;

export type Collections = { [K in keyof typeof schemas]: z.infer<(typeof schemas)[K]> };
export type CollectionName = keyof Collections;
export const collectionNames = Object.keys(schemas) as CollectionName[];
