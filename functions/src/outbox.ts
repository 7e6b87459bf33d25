import { refs } from '@atende/core';
import { storeOf, type Deps } from './deps.ts';

/** Carries out one outbox entry. Webchat needs no carrier: the customer's widget reads the message itself. */
export type Sender = (entry: { channelId: string; ticketId: string; messageId: string }) => Promise<void>;

export type Senders = Partial<Record<string, Sender>>;

/**
 * `outbox`: the trigger on a new outbox document. Firestore triggers are
 * delivered at least once, so the event id is recorded first and a repeat
 * does nothing; a failure removes the record so the retry can run.
 */
export const handleOutbox = async (deps: Deps, eventId: string, outboxId: string, senders: Senders = {}): Promise<'done' | 'duplicate' | 'skipped'> => {
  const marker = deps.db.doc(`processedEvents/${eventId}`);
  try {
    await marker.create({ at: deps.clock(), outboxId });
  } catch (e) {
    if ((e as { code?: number }).code === 6) return 'duplicate';
    throw e;
  }
  try {
    return await deliverOutbox(deps, outboxId, senders, false);
  } catch (e) {
    await marker.delete().catch(() => undefined);
    throw e;
  }
};

/** How long a failed delivery waits before the next try; after MAX_ATTEMPTS it gives up (lastError says why). */
const RETRY_MS = [60_000, 5 * 60_000, 15 * 60_000, 60 * 60_000];
const MAX_ATTEMPTS = 8;
/** A retry claims its entry for this long, so two overlapping ticks do not send twice. */
const LEASE_MS = 5 * 60_000;

/**
 * One delivery attempt. A retry first takes a lease on the entry in a
 * transaction (moving `dueAt` forward), so overlapping runs skip it.
 */
const deliverOutbox = async (deps: Deps, outboxId: string, senders: Senders, retry: boolean): Promise<'done' | 'skipped'> => {
  const store = storeOf(deps.db);
  const entry = await store.transaction(async (tx) => {
    const found = await tx.get(refs.outbox(outboxId));
    if (!found || found.doneAt !== null) return null;
    if (retry) {
      if (found.dueAt === null || found.dueAt > deps.clock()) return null;
      tx.update(refs.outbox(outboxId), { dueAt: deps.clock() + LEASE_MS });
    }
    return found;
  });
  if (!entry) return 'skipped';
  let error: string | null = null;
  if (entry.channelType !== 'webchat') {
    const sender = senders[entry.channelType];
    if (!sender) error = `no ${entry.channelType} sender is configured`;
    else
      await sender(entry).catch((e: unknown) => {
        error = e instanceof Error ? e.message : String(e);
      });
  }
  const now = deps.clock();
  await store.transaction(async (tx) => {
    const fresh = await tx.get(refs.outbox(outboxId));
    const message = await tx.get(refs.message(entry.ticketId, entry.messageId));
    if (!fresh || fresh.doneAt !== null) return;
    const attempts = fresh.attempts + 1;
    const nextTry = attempts >= MAX_ATTEMPTS ? null : now + RETRY_MS[Math.min(attempts - 1, RETRY_MS.length - 1)]!;
    tx.update(refs.outbox(outboxId), { attempts, doneAt: error ? null : now, dueAt: error ? nextTry : null, lastError: error });
    if (message && !error) tx.update(refs.message(entry.ticketId, entry.messageId), { status: entry.channelType === 'webchat' ? 'delivered' : 'sent' });
    else if (message && error && nextTry === null) tx.update(refs.message(entry.ticketId, entry.messageId), { status: 'failed' });
  });
  return 'done';
};

/** Failed deliveries whose next try is due, tried again (by `automationTick`). */
export const retryOutbox = async (deps: Deps, senders: Senders = {}, batch = 50): Promise<number> => {
  const due = await storeOf(deps.db).transaction((tx) =>
    tx.query({ collection: 'outbox', where: [['dueAt', '<=', deps.clock()]], orderBy: [['dueAt', 'asc']], limit: batch }),
  );
  let tried = 0;
  // Entries never tried belong to the outbox trigger, which runs on creation.
  for (const entry of due) if (entry.attempts > 0 && (await deliverOutbox(deps, entry.id, senders, true)) === 'done') tried++;
  return tried;
};
