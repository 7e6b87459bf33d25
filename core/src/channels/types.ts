import type { Attachment, ChannelType, DeliveryStatus } from '../model/index.ts';

/**
 * The channel adapter interface (DESIGN §13). One adapter per channel type
 * turns the provider's bytes into core inputs and core's messages into the
 * provider's requests. Adapters are pure: they never fetch, never touch a
 * store and never read the clock; the embedded server and the Cloud
 * Functions carry the bytes (`fetch`, SMTP) and run the commands.
 */

/** Why a delivery failed, as a code the SPA translates (pt-BR, en) plus the provider's own code. */
export type DeliveryErrorCode =
  /** WhatsApp/Instagram 24-hour window closed: only a template may go out. */
  | 'window-closed'
  /** The recipient cannot receive messages (not on WhatsApp, blocked, bad address). */
  | 'invalid-recipient'
  /** Too many messages: retried by itself. */
  | 'rate-limited'
  /** The template does not exist, is not approved, or its parameters do not fit. */
  | 'template-rejected'
  /** The file could not be sent (type, size, upload or download failed). */
  | 'media-rejected'
  /** The provider refused our credentials: an admin must fix the channel. */
  | 'auth'
  /** The provider answered 5xx or not at all: retried by itself. */
  | 'provider-unavailable'
  /** The channel has no credentials or no account configured. */
  | 'not-configured'
  /** The provider refused the message for a reason we do not classify. */
  | 'rejected';

export interface DeliveryFailure {
  code: DeliveryErrorCode;
  /** The provider's error code (e.g. WhatsApp 131047), for the agent's detail line and the logs. */
  providerCode: number | null;
  /** The provider's own words, untranslated (logs, tooltip). */
  detail: string | null;
}

/** What one send attempt came to. */
export type SendResult =
  | { kind: 'sent'; channelMessageId: string }
  /** Try again later (rate limit, 5xx, network). `afterMs` when the provider said how long. */
  | { kind: 'retry'; failure: DeliveryFailure; afterMs?: number }
  /** Stop: the message is failed and the agent reads why. */
  | { kind: 'give-up'; failure: DeliveryFailure }
  /** Stop and mark the channel "needs attention" for admins (credentials refused). */
  | { kind: 'attention'; failure: DeliveryFailure };

/** A plain description of an HTTP request the backend performs with `fetch`. */
export interface HttpCall {
  method: 'GET' | 'POST' | 'DELETE';
  url: string;
  headers: Record<string, string>;
  /** JSON body, serialised by the carrier. */
  json?: unknown;
  /** multipart/form-data: text fields plus at most one file, whose bytes the carrier supplies. */
  form?: { fields: Record<string, string>; file?: { field: string; attachmentId: string; name: string; mime: string } };
}

/** A provider's HTTP answer as the carrier read it (body parsed as JSON when it was JSON). */
export interface HttpAnswer {
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

/** The non-secret account data of a channel, stored on the channel document (`channel.account`). */
export interface ChannelAccount {
  /** The provider's routing id: WhatsApp phone_number_id, Instagram account id, the mailbox address. */
  id: string;
  /** WhatsApp Business Account (WABA) id, Facebook page id…; null when the provider has none. */
  businessId: string | null;
  /** What people see: "+55 11 4000-0001", "@loja", "suporte@loja.com.br". */
  display: string | null;
}

/** Secrets of a channel, kept where no client reads them (`channelSecrets/{channelId}`). */
export interface ChannelSecrets {
  accessToken: string;
  appSecret: string;
  verifyToken: string;
}

/** What a carrier hands an adapter to build requests. */
export interface SendContext {
  /** e.g. `ATENDE_WHATSAPP_GRAPH_URL`, without a trailing slash. */
  baseUrl: string;
  account: ChannelAccount;
  secrets: Pick<ChannelSecrets, 'accessToken'>;
  /** Instagram: send with Meta's HUMAN_AGENT tag (replies up to 7 days after the customer's last message). */
  humanAgentTag?: boolean;
}

/** A customer's message, ready for `inbound.receive` once its media is downloaded. */
export interface InboundMessageEvent {
  kind: 'message';
  /** The channel account it arrived on (routes to the channel). */
  account: string;
  /** The customer's id on the channel (wa_id, IGSID, address). */
  externalId: string;
  contact: { name?: string; phone?: string; email?: string };
  channelMessageId: string;
  /** Provider time of the message, ms. */
  at: number;
  text: string;
  /** Files to fetch with `mediaRequest` before running `inbound.receive`. */
  media: InboundMedia[];
  /** The provider id of the message this one answers (a quote), when it answers one. */
  replyToChannelMessageId: string | null;
  /** Set when the provider's type is not supported: shown as a system line, never dropped. */
  unsupportedType: string | null;
}

export interface InboundMedia {
  /** The provider's media id (WhatsApp) or URL (Instagram). */
  ref: string;
  kind: Attachment['kind'];
  mime: string | null;
  /** The customer's file name (documents), else null: the carrier makes one up. */
  name: string | null;
  /** A voice note (recorded, not a file). */
  voice: boolean;
  sha256: string | null;
}

/** A customer reacted to a message (emoji null: removed their reaction). */
export interface InboundReactionEvent {
  kind: 'reaction';
  account: string;
  externalId: string;
  channelMessageId: string;
  targetChannelMessageId: string;
  emoji: string | null;
  at: number;
}

/** The provider reports what happened to one of our messages. */
export interface InboundStatusEvent {
  kind: 'status';
  account: string;
  channelMessageId: string;
  status: Exclude<DeliveryStatus, 'pending'>;
  at: number;
  failure: DeliveryFailure | null;
}

/** The customer deleted (unsent) one of their messages: it is marked deleted in the thread (Instagram). */
export interface InboundDeletedEvent {
  kind: 'deleted';
  account: string;
  externalId: string;
  channelMessageId: string;
  at: number;
}

export type InboundEvent = InboundMessageEvent | InboundReactionEvent | InboundStatusEvent | InboundDeletedEvent;

export interface ParsedWebhook {
  events: InboundEvent[];
  /** What was skipped and why (logged, never fatal). */
  ignored: string[];
  /** Every account the body names, events or not (an all-echo body is still verified with its channel's secret). */
  accounts?: string[];
}

/** A message of ours to send, as the adapter needs it. */
export interface OutboundMessage {
  /** The customer's id on the channel. */
  to: string;
  text: string;
  /** Files with a URL the provider can fetch (signed by the server), or `media:<id>` once uploaded. */
  attachments: (Attachment & { url: string | null })[];
  /** The provider id of the customer's message being answered (quote). */
  replyToChannelMessageId: string | null;
  template: OutboundTemplate | null;
  /** The bot menu as choices: interactive buttons/list where the provider has them. */
  menu: { header: string; options: { key: string; label: string }[] } | null;
}

export interface OutboundTemplate {
  name: string;
  language: string;
  /** Values of {{1}}, {{2}}… of the body, in order. */
  bodyParams: string[];
}

/** The customer-service window: when free text may go out. */
export type ReplyWindow = { kind: 'unlimited' } | { kind: 'window'; open: boolean; closesAt: number | null };

export interface ChannelAdapter {
  type: ChannelType;
  /** Parses a webhook body (already JSON, signature already verified). Throws `WebhookError` when it is not this provider's payload. */
  parseWebhook(body: unknown): ParsedWebhook;
  /** Answers the provider's GET verification handshake: the challenge to echo, or null to refuse (403). */
  verifyHandshake?(query: Record<string, unknown>, verifyToken: string): string | null;
  /** The requests that deliver one message, in order (e.g. one per attachment, then the text). */
  buildSend(ctx: SendContext, message: OutboundMessage): HttpCall[];
  /** Reads a provider answer to one of `buildSend`'s calls. Also used for network failures (status 0). */
  readSendAnswer(answer: HttpAnswer): SendResult;
  /** Uploads a file whose bytes the carrier supplies (WhatsApp `POST /{phone-number-id}/media`). */
  uploadRequest?(ctx: SendContext, attachment: Attachment): HttpCall;
  readUpload?(answer: HttpAnswer): { kind: 'uploaded'; mediaId: string } | Exclude<SendResult, { kind: 'sent' }>;
  /** The two-step media download: the request that resolves a media ref to a URL… */
  mediaInfoRequest?(ctx: SendContext, ref: string): HttpCall;
  /** …what that answer says… */
  readMediaInfo?(answer: HttpAnswer): { url: string; mime: string | null; size: number | null; sha256: string | null };
  /** …and the request that downloads the bytes. */
  mediaDownloadRequest?(ctx: SendContext, url: string): HttpCall;
  /** The customer's profile (Instagram: name and @username), read once for a new contact whose webhook carries no name. */
  profileRequest?(ctx: SendContext, externalId: string): HttpCall;
  readProfile?(answer: HttpAnswer): { name: string } | null;
  /** The window for free text, from the customer's last message on this channel. */
  replyWindow(lastCustomerMessageAt: number | null, now: number, options?: { humanAgentTag?: boolean }): ReplyWindow;
}

/** A webhook body that is not what the provider sends: the carrier answers 400 naming the path. */
export class WebhookError extends Error {
  constructor(
    message: string,
    readonly issues: { path: string; message: string }[] = [],
  ) {
    super(message);
    this.name = 'WebhookError';
  }
}
