import { z } from 'zod';
import { ChannelType, Id, Millis } from './primitives.ts';

/** Documents only the backends write: counters, the outbox and inbound receipts. */

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
