import { deliverOnce, type Message } from '@atende/core';
import { storeOf, type Deps } from '../../src/deps.ts';
import type { Carriers } from '../../src/outbox.ts';
import { fromFirestore } from '../../src/store.ts';

/**
 * Tries every message whose delivery is not done yet, as the `deliver`
 * trigger (a message written pending) and the scheduled retries (a due
 * backoff) do in production: core's `deliverOnce`, which skips what is not
 * due. Returns the messages it looked at.
 */
export const drainDeliveries = async (deps: Deps, carriers: Carriers = {}): Promise<Message[]> => {
  const open = await deps.db.collectionGroup('messages').where('delivery.doneAt', '==', null).get();
  const messages = open.docs.map((d) => fromFirestore<Message>('messages', d.data()));
  for (const m of messages) await deliverOnce(storeOf(deps.db), { ticketId: m.ticketId, messageId: m.id }, deps.clock, carriers);
  return messages;
};
