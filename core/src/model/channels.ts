import { z } from 'zod';
import { Millis } from './primitives.ts';

/**
 * Channel-provider parts of the model (WhatsApp, Instagram, e-mail): the
 * account a channel is connected to, its health, delivery failures and
 * message templates. Only zod here: `index.ts` re-exports it and builds on it.
 */

const DocId = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[A-Za-z0-9_.:-]+$/, 'may only contain letters, digits, "_", ".", ":" and "-"');
const Time = Millis;

export const DeliveryErrorCodeSchema = z.enum([
  'window-closed',
  'invalid-recipient',
  'rate-limited',
  'template-rejected',
  'media-rejected',
  'auth',
  'provider-unavailable',
  'not-configured',
  'rejected',
]);

export const DeliveryFailureSchema = z.object({
  code: DeliveryErrorCodeSchema,
  providerCode: z.number().int().nullable(),
  detail: z.string().max(500).nullable(),
});

/** The provider account of a channel: not secret, read by staff. */
export const ChannelAccountSchema = z.object({
  id: z.string().trim().min(1).max(200),
  businessId: z.string().trim().max(200).nullable(),
  display: z.string().trim().max(200).nullable(),
  /** Which secrets an admin has written (never their values). */
  secretsSet: z
    .object({ accessToken: z.boolean(), appSecret: z.boolean(), verifyToken: z.boolean(), imapPassword: z.boolean().optional(), smtpPassword: z.boolean().optional() })
    .optional(),
});

/** `attention`: the provider refused our credentials; admins see it on the channel. */
export const ChannelHealthSchema = z.object({
  status: z.enum(['ok', 'attention']),
  failure: DeliveryFailureSchema.nullable(),
  at: Time,
});
export type ChannelHealth = z.infer<typeof ChannelHealthSchema>;

/**
 * `channelSecrets/{channelId}`: written by admins through `channel.setSecrets`,
 * read only by the backends (no catalogue entry; firestore.rules deny it).
 */
export const ChannelSecretsSchema = z.object({
  id: DocId,
  accessToken: z.string().max(2000),
  appSecret: z.string().max(500),
  verifyToken: z.string().max(500),
  /** E-mail: the IMAP and SMTP passwords. */
  imapPassword: z.string().max(500).optional(),
  smtpPassword: z.string().max(500).optional(),
  updatedAt: Time,
});
export type ChannelSecretsDoc = z.infer<typeof ChannelSecretsSchema>;

/** A reaction shown on the message it reacts to. */
export const ReactionSchema = z.object({
  emoji: z.string().min(1).max(32),
  by: z.enum(['customer', 'agent']),
  at: Time,
});

/** The message a reply quotes. */
export const QuoteSchema = z.object({
  messageId: DocId,
  text: z.string().max(300),
  authorName: z.string().nullable(),
});

/** A template message as sent: which template, and its filled-in values. */
export const SentTemplateSchema = z.object({
  templateId: DocId,
  name: z.string().max(512),
  language: z.string().max(20),
  bodyParams: z.array(z.string().max(1024)).max(20),
});
