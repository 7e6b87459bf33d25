import { z } from 'zod';
import { Id, Millis } from './primitives.ts';

/** Documents only the backends write: counters and inbound receipts. (Deliveries live on their messages: `Message.delivery`.) */

export const Counter = z.object({
  id: z.string(),
  value: z.number().int(),
});
export type Counter = z.infer<typeof Counter>;

/** Marks an inbound channel message as received, so a repeated webhook changes nothing. */
export const Receipt = z.object({
  id: Id,
  ticketId: Id,
  messageId: Id,
  at: Millis,
});
export type Receipt = z.infer<typeof Receipt>;
