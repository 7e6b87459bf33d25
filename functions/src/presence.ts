import { commandRegistry, sweepPresence, type User } from '@atende/core';
import { Timestamp } from 'firebase-admin/firestore';
import { storeOf, type Deps } from './handlers.ts';
import { skippingMalformed } from './malformed.ts';

/**
 * DESIGN §16 on Firebase: Firestore has no disconnect hook, so each console
 * writes `presenceBeats/{uid}` ({at: request.time}) every
 * PRESENCE_BEAT_MS while it is open, and this sweep (`presenceSweep`, every
 * minute) sends to offline whoever's last beat is older than the grace
 * period. Someone with no beat at all is measured from when their status began.
 */
export const PRESENCE_BEAT_COLLECTION = 'presenceBeats';

const millisOf = (at: unknown): number | null => {
  if (at instanceof Timestamp) return at.toMillis();
  if (typeof at === 'number') return at;
  if (at && typeof (at as { toMillis?: unknown }).toMillis === 'function') return (at as { toMillis(): number }).toMillis();
  return null;
};

/** How many went offline; a run that needs a configuration document broken by hand ends at once, told to `onSkipped` (malformed.ts). */
export const handlePresenceSweep = async (deps: Deps, onSkipped: (message: string) => void = () => {}): Promise<number> => {
  const result = await skippingMalformed(() =>
    sweepPresence({ store: storeOf(deps.db), clock: deps.clock, newId: deps.newId }, commandRegistry, async (user: User) => {
      const beat = await deps.db.doc(`${PRESENCE_BEAT_COLLECTION}/${user.id}`).get();
      return millisOf(beat.get('at')) ?? user.presenceSince ?? user.updatedAt;
    }),
  );
  if (typeof result === 'number') return result;
  onSkipped(result.skipped);
  return 0;
};
