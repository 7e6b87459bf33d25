import type { Presence, PresenceCause, PresenceEvent, PresenceSettings, User } from '../model/index.ts';
import { presenceSettingsOf } from './defaults.ts';
import { refs } from '../store/refs.ts';
import type { Tx } from '../store/types.ts';

/** DESIGN §16: presence follows connections. The rules both backends apply. */

export interface PresenceChange {
  presence: Presence;
  cause: PresenceCause;
  pauseReasonId?: string | null;
  pauseReasonName?: string | null;
}

export { presenceSettingsOf };

/** What a console connecting does: an offline agent comes online (or paused, if the workspace says so); others keep their status. */
export const onConnect = (user: User, settings: PresenceSettings): PresenceChange | null => {
  if (user.presence !== 'offline') return null;
  return { presence: settings.startPaused ? 'paused' : 'online', cause: 'connect' };
};

/** Whether an agent last seen at `lastSeenAt` (a connection closing, a heartbeat) is gone for good now. */
export const isGone = (user: Pick<User, 'presence'>, lastSeenAt: number, now: number, settings: PresenceSettings): boolean =>
  user.presence !== 'offline' && now - lastSeenAt >= settings.graceSeconds * 1000;

/**
 * Writes a status change and its fact (`presenceEvents`), in the caller's
 * transaction. Nothing is written when nothing changes.
 */
export const changePresence = (tx: Tx, user: User, change: PresenceChange, now: number, newId: () => string): User => {
  const pauseReasonId = change.presence === 'paused' ? (change.pauseReasonId ?? null) : null;
  const pauseReasonName = change.presence === 'paused' ? (change.pauseReasonName ?? null) : null;
  // Going offline ends "em ligação": a console closed mid-call never says the call ended.
  const callEnds = change.presence === 'offline' && Boolean(user.onCallSince);
  if (!callEnds && user.presence === change.presence && (user.pauseReasonId ?? null) === pauseReasonId && (user.presenceCause ?? 'manual') === change.cause) return user;
  const since = user.presenceSince ?? user.updatedAt;
  const after: User = { ...user, ...(callEnds ? { onCallSince: null } : {}), presence: change.presence, presenceSince: now, presenceCause: change.cause, pauseReasonId, pauseReasonName, updatedAt: now };
  tx.set(refs.user(user.id), after);
  if (user.presence !== change.presence || (user.pauseReasonId ?? null) !== pauseReasonId) {
    const event: PresenceEvent = {
      id: newId(),
      userId: user.id,
      presence: change.presence,
      pauseReasonId,
      pauseReasonName,
      cause: change.cause,
      at: now,
      previous: user.presence,
      previousSince: Math.min(since, now),
      previousPauseReasonId: user.presence === 'paused' ? (user.pauseReasonId ?? null) : null,
    };
    tx.set(refs.presenceEvent(event.id), event);
  }
  return after;
};
