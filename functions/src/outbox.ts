import { deliverOnce, outboxPolicy, type Carrier, type ChannelType } from '@atende/core';
import { storeOf, type Deps } from './deps.ts';

/** The senders of channel types with a provider (web chat needs none: the widget reads the thread). */
export type Carriers = Partial<Record<ChannelType, Carrier>>;

/**
 * `outbox`: the trigger on a new outbox document. Firestore triggers are
 * delivered at least once; a repeat needs no record of its own: core's
 * `deliverOnce` claims the entry in a transaction (a lease, then done), so a
 * repeated event finds it leased or done and is skipped. The delivery is
 * core's lease → carrier → settle with core's one retry policy, exactly as on
 * the embedded server.
 */
export const handleOutbox = async (deps: Deps, outboxId: string, carriers: Carriers = {}): Promise<'done' | 'skipped'> => {
  const result = await deliverOnce(storeOf(deps.db), outboxId, deps.clock, carriers);
  return result === 'skipped' ? 'skipped' : 'done';
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
