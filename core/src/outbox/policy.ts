import type { DeliveryState } from '../model/index.ts';

/**
 * The one delivery retry policy, used by the embedded server's dispatcher and
 * by the Cloud Functions' message trigger and scheduled retries.
 *
 * - attempts: a delivery is tried at most `maxAttempts` times;
 * - backoff: 5 s, 10 s, 20 s … doubling, capped at 15 min, never shorter
 *   than what the provider asked for (Retry-After / rate limits);
 * - lease: a worker claims a message's delivery by moving `dueAt` `leaseMs`
 *   ahead in a transaction before sending, so overlapping workers (two
 *   function instances, a repeated trigger event, a timer and a kick) never
 *   send the same message twice at once, and a worker that dies mid-send
 *   lets it be tried again later.
 */
export const outboxPolicy = {
  maxAttempts: 8,
  baseDelayMs: 5_000,
  maxDelayMs: 15 * 60_000,
  leaseMs: 2 * 60_000,
} as const;

/** How long to wait after the `attempts`-th failed try (attempts ≥ 1). */
export const backoffMs = (attempts: number, hintMs = 0): number => {
  const exponential = Math.min(outboxPolicy.baseDelayMs * 2 ** Math.max(0, attempts - 1), outboxPolicy.maxDelayMs);
  return Math.max(exponential, Math.min(hintMs, outboxPolicy.maxDelayMs));
};

/** Whether a worker may claim this delivery now. */
export const isClaimable = (delivery: Pick<DeliveryState, 'doneAt' | 'dueAt'>, now: number): boolean =>
  delivery.doneAt === null && delivery.dueAt !== null && delivery.dueAt <= now;
