import { z } from 'zod';

/**
 * The e-mail channel's parts of the model: where the mailbox is read (IMAP)
 * and sent from (SMTP), and what a mail adds to a message. Passwords are in
 * `channelSecrets`, never here.
 */
const Host = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(253)
  .regex(/^[A-Za-z0-9.-]+$/, 'must be a host name like imap.gmail.com');

export const MailServerSchema = z.object({
  host: Host,
  port: z.number().int().min(1).max(65535),
  /** TLS from the first byte (993, 465); false: plain or STARTTLS (143, 587). */
  secure: z.boolean(),
  /** Empty: no authentication (a relay that trusts this host). */
  user: z.string().trim().max(200),
});
export type MailServer = z.infer<typeof MailServerSchema>;

export const MailSettingsSchema = z.object({
  /** Read by IMAP; null when mail arrives only through the inbound endpoint. */
  imap: MailServerSchema.nullable(),
  smtp: MailServerSchema.nullable(),
  /** The name customers see: "Loja Exemplo". */
  fromName: z.string().trim().max(80).default(''),
});
export type MailSettings = z.infer<typeof MailSettingsSchema>;

/** What a mail adds to a message: its subject, the history it quoted, its sanitised HTML, its thread. */
export const EmailPartSchema = z.object({
  subject: z.string().max(300),
  quoted: z.string().max(20_000),
  html: z.string().max(200_000).nullable(),
  references: z.array(z.string().max(300)).max(20),
});
export type EmailPart = z.infer<typeof EmailPartSchema>;
