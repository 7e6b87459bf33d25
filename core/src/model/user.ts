import { z } from 'zod';
import { Id, Millis, Presence, Role } from './primitives.ts';
import { userPresenceFields } from './presence.ts';
import { UserSip } from './phone.ts';

export const User = z.object({
  id: Id,
  name: z.string().trim().min(1).max(120),
  email: z.string().trim().toLowerCase().email().max(200),
  role: Role,
  sectorIds: z.array(Id).max(30),
  presence: Presence,
  ...userPresenceFields,
  seesAllHistory: z.boolean(),
  active: z.boolean(),
  /** Softphone: the agent's SIP extension (the password lives in `sipSecrets`). */
  sip: UserSip.nullable().optional(),
  /** Since when the agent is on a phone call ("em ligação"); null/absent when not. */
  onCallSince: Millis.nullable().optional(),
  updatedAt: Millis,
});
export type User = z.infer<typeof User>;
