import { z } from 'zod';
import { Id, Millis } from './primitives.ts';

export const Contact = z.object({
  id: Id,
  name: z.string().trim().min(1).max(120),
  phone: z.string().trim().max(40).nullable(),
  email: z.string().trim().max(200).nullable(),
  /** `${channelId}:${externalId}`: how an inbound message finds its contact. */
  identityKeys: z.array(z.string().max(300)),
  tagIds: z.array(Id),
  notes: z.string().max(5000),
  createdAt: Millis,
  updatedAt: Millis,
});
export type Contact = z.infer<typeof Contact>;

export const ContactSummary = z.object({
  name: z.string(),
  phone: z.string().nullable(),
  email: z.string().nullable(),
});
export type ContactSummary = z.infer<typeof ContactSummary>;
