import { z } from 'zod';

/** The small types every document is made of. */

/** Document ids: URL- and Firestore-path-safe. */
export const Id = z
  .string()
  .min(1, 'must not be empty')
  .max(128, 'must be at most 128 characters')
  .regex(/^[A-Za-z0-9_.:-]+$/, 'may only contain letters, digits, "_", ".", ":" and "-"');

/**
 * Milliseconds since the epoch: every point in time of the model. ONE schema
 * object, used by every model file, because the Firestore codec
 * (core/src/store/timeCodec.ts) finds the time fields by looking for it in
 * the collection schemas (`timeFieldsOf`): a time declared with a look-alike
 * `z.number()` would be stored as a plain number on Firebase.
 */
export const Millis = z.number().int().nonnegative();

export const Role = z.enum(['agent', 'supervisor', 'admin']);
export type Role = z.infer<typeof Role>;

export const Presence = z.enum(['online', 'paused', 'offline']);
export type Presence = z.infer<typeof Presence>;

export const ChannelType = z.enum(['webchat', 'whatsapp', 'instagram', 'email', 'phone']);
export type ChannelType = z.infer<typeof ChannelType>;

export const TicketStatus = z.enum(['bot', 'waiting', 'open', 'closed']);
export type TicketStatus = z.infer<typeof TicketStatus>;
