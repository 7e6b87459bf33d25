import { deliverOnce, outboxPolicy, type Carrier, type ChannelType } from '@atende/core';
import { storeOf, type Deps } from './deps.ts';

/** The senders of channel types with a provider (web chat needs none: the widget reads the thread). */
export type Carriers = Partial<Record<ChannelType, Carrier>>;

/**
 * `outbox`: the trigger on a new outbox document. Firestore triggers are
 * delivered at least once, so the event id is recorded first and a repeat
 * does nothing; a failure removes the record so the retry can run. The
 * delivery itself is core's `deliverOnce` (lease → carrier → settle, with
 * core's one retry policy), exactly as on the embedded server.
 */
export const handleOutbox = async (deps: Deps, eventId: string, outboxId: string, carriers: Carriers = {}): Promise<'done' | 'duplicate' | 'skipped'> => {
  const marker = deps.db.doc(`processedEvents/${eventId}`);
  try {
    await marker.create({ at: deps.clock(), outboxId });
  } catch (e) {
    if ((e as { code?: number }).code === 6) return 'duplicate';
    throw e;
  }
  try {
    const result = await deliverOnce(storeOf(deps.db), outboxId, deps.clock, carriers);
    return result === 'skipped' ? 'skipped' : 'done';
  } catch (e) {
    await marker.delete().catch(() => undefined);
    throw e;
  }
};

/**
 * Deliveries whose next try is due, tried again (by `automationTick`): those
 * that failed before, and first tries whose trigger never finished (older
 * than a lease). Each takes core's lease first, so overlapping runs skip it.
 */
export const retryOutbox = async (deps: Deps, carriers: Carriers = {}, batch = 50): Promise<number> => {
  const now = deps.clock();
  const due = await storeOf(deps.db).transaction((tx) => tx.query({ collection: 'outbox', where: [['dueAt', '<=', now]], orderBy: [['dueAt', 'asc']], limit: batch }));
  let tried = 0;
  for (const entry of due) {
    // A first try belongs to the outbox trigger, unless the trigger had a lease's time and did not finish.
    if (entry.attempts === 0 && entry.createdAt > now - outboxPolicy.leaseMs) continue;
    if ((await deliverOnce(storeOf(deps.db), entry.id, deps.clock, carriers)) !== 'skipped') tried++;
  }
  return tried;
};
