import { z } from 'zod';
import { Millis } from './primitives.ts';

/**
 * Message templates (WhatsApp): the approved texts a business may send when
 * the 24-hour window is closed, or to start a conversation. Synced from the
 * provider (`GET /{waba-id}/message_templates`) by `template.sync`; read by
 * staff (`templates.all`), written only by the sync.
 */
const DocId = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[A-Za-z0-9_.:-]+$/, 'may only contain letters, digits, "_", ".", ":" and "-"');
const Time = Millis;

export const MessageTemplateSchema = z.object({
  /** `${channelId}.${name}.${language}` made a safe key. */
  id: DocId,
  channelId: DocId,
  /** The provider's id of the template. */
  providerId: z.string().max(100),
  name: z.string().min(1).max(512),
  /** Provider language code: pt_BR, en_US… */
  language: z.string().min(1).max(20),
  category: z.string().max(40),
  /** APPROVED, PENDING, REJECTED, PAUSED…: only APPROVED may be sent. */
  status: z.string().max(40),
  /** The body text with its {{1}}, {{2}}… placeholders. */
  body: z.string().max(1024),
  /** How many {{n}} the body has. */
  variables: z.number().int().min(0).max(20),
  /** Sectors whose agents may send it; empty: every sector. */
  sectorIds: z.array(DocId).max(100).default([]),
  syncedAt: Time,
  updatedAt: Time,
});
export type MessageTemplate = z.infer<typeof MessageTemplateSchema>;
