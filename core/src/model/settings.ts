import { z } from 'zod';
import { Millis } from './primitives.ts';
import { PresenceSettings } from './presence.ts';
import { CopilotSettings } from './copilot.ts';
import { PhoneSettings } from './phone.ts';

/** The workspace's one settings document. */

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
