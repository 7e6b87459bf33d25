import { z } from 'zod';
import { ChannelType, Id, Millis } from './primitives.ts';
import { ChannelAccountSchema, ChannelHealthSchema } from './channels.ts';
import { MailSettingsSchema } from './mail.ts';
import { SurveySettings } from './reports.ts';

/** The channel document: a connection customers write through, with its bot. Provider parts are in channels.ts. */

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
