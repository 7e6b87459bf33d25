import { z } from 'zod';

import { Millis } from './primitives.ts';
const RefId = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[A-Za-z0-9_.:-]+$/);

export const PresenceStatus = z.enum(['online', 'paused', 'offline']);

/** Why a staff member's status last changed. */
export const PresenceCause = z.enum(['connect', 'manual', 'idle', 'logout', 'expired']);
export type PresenceCause = z.infer<typeof PresenceCause>;

/** C7: the reasons an agent may pause for, defined by the admin (Almoço, Treinamento, Reunião…). */
export const PauseReason = z.object({
  id: RefId,
  name: z.string().trim().min(1).max(60),
  updatedAt: Millis,
});
export type PauseReason = z.infer<typeof PauseReason>;

/**
 * A status change, as a fact (reports read time online and paused from
 * these): each closes the interval of `previous`, which lasted `at - previousSince`.
 */
export const PresenceEvent = z.object({
  id: RefId,
  userId: RefId,
  presence: PresenceStatus,
  pauseReasonId: RefId.nullable(),
  pauseReasonName: z.string().nullable(),
  cause: PresenceCause,
  at: Millis,
  previous: PresenceStatus,
  previousSince: Millis,
  previousPauseReasonId: RefId.nullable(),
});
export type PresenceEvent = z.infer<typeof PresenceEvent>;

/** How presence follows the session (Administração → Automação). */
export const PresenceSettings = z.object({
  /** A console that connects starts paused instead of online. */
  startPaused: z.boolean(),
  /** How long after the last connection is gone the agent becomes offline. */
  graceSeconds: z.number().int().min(10).max(3600),
  /** Pause automatically after this many minutes without keyboard or mouse; 0 = never. */
  idlePauseMinutes: z.number().int().min(0).max(24 * 60),
});
export type PresenceSettings = z.infer<typeof PresenceSettings>;

export { PRESENCE_DEFAULTS } from '../presence/defaults.ts';

/** The presence fields of a user document (optional: documents written before them stay valid). */
export const userPresenceFields = {
  /** When the current status began. */
  presenceSince: Millis.optional(),
  presenceCause: PresenceCause.optional(),
  /** The pause's reason while paused, else null. */
  pauseReasonId: RefId.nullable().optional(),
  pauseReasonName: z.string().nullable().optional(),
};
