import { z } from 'zod';
import { Id, Millis } from './primitives.ts';
import { Attachment } from './message.ts';
import { SectorSla } from './reports.ts';

/** What an admin keeps lists of: sectors, quick replies, tags, classifications. */

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
