import { CommandError } from '@atende/core';

/**
 * Progressive delay for guessing: after `freeFailures` failures for one key
 * (an e-mail, a user), each further attempt must wait `baseDelayMs`, doubled
 * with every failure up to `maxDelayMs`. Keys are what the attacker cannot
 * choose for their victim (the victim's e-mail or user id), never the client
 * address: a flood of failures for other keys leaves a user's own sign-in alone.
 * At most `maxKeys` keys are remembered (the oldest are forgotten first).
 */
export interface BackoffOptions {
  freeFailures: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** Failures are forgotten this long after the last one. */
  memoryMs: number;
  maxKeys: number;
}

export interface Backoff {
  /** Milliseconds the key must still wait before its next attempt is heard (0: go ahead). */
  waitMs(key: string, now: number): number;
  fail(key: string, now: number): void;
  clear(key: string): void;
  /** Drops what is older than `memoryMs`. */
  sweep(now: number): void;
  size(): number;
}

export const createBackoff = (options: BackoffOptions): Backoff => {
  const failures = new Map<string, { count: number; lastAt: number }>();
  const delayAfter = (count: number) =>
    count < options.freeFailures ? 0 : Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** Math.min(30, count - options.freeFailures));
  return {
    waitMs(key, now) {
      const entry = failures.get(key);
      if (!entry) return 0;
      if (now - entry.lastAt >= options.memoryMs) {
        failures.delete(key);
        return 0;
      }
      return Math.max(0, entry.lastAt + delayAfter(entry.count) - now);
    },
    fail(key, now) {
      const entry = failures.get(key);
      failures.delete(key);
      failures.set(key, { count: (entry && now - entry.lastAt < options.memoryMs ? entry.count : 0) + 1, lastAt: now });
      while (failures.size > options.maxKeys) failures.delete(failures.keys().next().value!);
    },
    clear: (key) => void failures.delete(key),
    sweep(now) {
      for (const [key, entry] of failures) if (now - entry.lastAt >= options.memoryMs) failures.delete(key);
    },
    size: () => failures.size,
  };
};

export const tooManyAttempts = (waitMs: number): CommandError => {
  const seconds = Math.max(1, Math.ceil(waitMs / 1000));
  const when = seconds < 120 ? `${seconds} s` : `${Math.ceil(seconds / 60)} min`;
  return new CommandError('resource-exhausted', `Muitas tentativas. Aguarde ${when} e tente de novo. (Too many attempts: wait ${when}.)`, [
    { path: '(request)', message: `retry after ${seconds} s` },
  ]);
};

/** At most `limit` tasks at once; the rest wait their turn (password hashing: a flood queues instead of starving everyone). */
export const createGate = (limit: number) => {
  let running = 0;
  const waiting: (() => void)[] = [];
  return async <T>(task: () => Promise<T>): Promise<T> => {
    if (running >= limit) await new Promise<void>((go) => waiting.push(go));
    running++;
    try {
      return await task();
    } finally {
      running--;
      waiting.shift()?.();
    }
  };
};
