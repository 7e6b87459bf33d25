import { deliverOnce, dueDeliveries, outboxPolicy, sendingAfterCommit, startsDelivery, type Carrier, type ChannelType, type Message, type RunnerDeps } from '@atende/core';
import { runnerOf, storeOf, type Deps } from './deps.ts';
import { isMalformedDocument } from './malformed.ts';

/** The senders of channel types with a provider (web chat needs none: the widget reads the thread). */
export type Carriers = Partial<Record<ChannelType, Carrier>>;

/**
 * `deliver`: the trigger on every write of a message
 * (`tickets/{ticketId}/messages/{messageId}`). An outbound message carries
 * its own delivery (core/src/outbox/state.ts), so nothing but the message is
 * written to send it. Only a write that starts a delivery (a new pending
 * message, a failed one sent again: core's `startsDelivery`) is tried here;
 * the lease and outcome writes, status reports and other lines return at
 * once. Firestore triggers are delivered at least once; a repeat needs no
 * record of its own: core's `deliverOnce` claims the delivery in a
 * transaction (a lease, then done), so a repeated event finds it leased or
 * done and is skipped. The delivery is core's lease → carrier → settle with
 * core's one retry policy, exactly as on the embedded server.
 */
export const handleMessageWritten = async (
  deps: Deps,
  at: { ticketId: string; messageId: string },
  before: Pick<Message, 'delivery'> | null,
  after: Pick<Message, 'delivery'> | null,
  carriers: Carriers = {},
): Promise<'done' | 'skipped'> => {
  if (!startsDelivery(before, after)) return 'skipped';
  const result = await deliverOnce(storeOf(deps.db), at, deps.clock, carriers);
  return result === 'skipped' ? 'skipped' : 'done';
};

/**
 * Runs `work` (commands) so that the replies its transactions create are sent by this invocation right after
 * each commit, under the lease the creating transaction took (core `sendingAfterCommit`): sending one writes only
 * its outcome, and the trigger leaves it. Without `carriers` the replies are queued for the trigger as before.
 * A reply this invocation cannot send is the scheduled retries' once its lease runs out.
 */
export const sendingReplies = async <T>(deps: Deps, carriers: Carriers | undefined, work: (runner: RunnerDeps) => Promise<T>): Promise<T> => {
  if (!carriers) return work(runnerOf(deps));
  const sending = sendingAfterCommit(storeOf(deps.db));
  try {
    return await work({ ...runnerOf(deps), store: sending.store });
  } finally {
    // Also when a later command of the same call failed: what committed is sent.
    for (const at of sending.created())
      await deliverOnce(storeOf(deps.db), at, deps.clock, carriers, { byCreator: true }).catch((e: unknown) =>
        console.error('[outbox] sending after the commit failed; the retries will take it', at, e),
      );
  }
};

/**
 * Deliveries whose next try is due, tried again (by `automationTick`): those
 * that failed before, and first tries whose trigger never finished (older
 * than a lease). One collection-group query over every ticket's messages
 * (its index: `FIELD_OVERRIDES` in core/src/store/indexes.ts). Each takes
 * core's lease first, so overlapping runs skip it.
 */
export const retryOutbox = async (deps: Deps, carriers: Carriers = {}, batch = 50): Promise<number> => {
  const now = deps.clock();
  const due = await storeOf(deps.db).transaction((tx) => tx.query(dueDeliveries(now, batch)));
  let tried = 0;
  // A channel (or another configuration document) broken by hand: its replies wait for the fix, the others still go;
  // the first such refusal is thrown once the batch is done, for the tick to say (automation.ts).
  let malformed: Error | null = null;
  for (const m of due) {
    // A first try belongs to the trigger, unless the trigger had a lease's time and did not finish (an inline
    // delivery's lease is already that time: due means its creator did not send it).
    if (m.delivery?.attempts === 0 && !m.delivery.inline && m.delivery.dueAt !== null && m.delivery.dueAt > now - outboxPolicy.leaseMs) continue;
    try {
      if ((await deliverOnce(storeOf(deps.db), { ticketId: m.ticketId, messageId: m.id }, deps.clock, carriers)) !== 'skipped') tried++;
    } catch (e) {
      if (!isMalformedDocument(e)) throw e;
      malformed ??= e;
    }
  }
  if (malformed) throw malformed;
  return tried;
};
