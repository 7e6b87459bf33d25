import type { Message } from '@atende/core';
import { BackendError } from '@/backend/types';

// Messages an agent sent while the server could not be reached: kept in this browser
// (localStorage, per user) until the server confirms them, so a reload does not lose them.
// They are sent again with their clientId, which the server answers with the copy it already
// holds if an earlier try did arrive (message.send is idempotent by clientId).

const PREFIX = 'atende.unsent.';
export const MAX_UNSENT = 200;

/** A failure worth trying again by itself: the server was not reached (no answer, no connection). */
export const isUnreachable = (e: unknown): boolean => e instanceof BackendError && e.code === 'unavailable';

/** The wait before the n-th automatic retry (0-based): 2 s doubling to 30 s. */
export const retryDelay = (n: number): number => Math.min(30_000, 2_000 * 2 ** Math.min(n, 4));

function storage(): Storage | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    return null;
  }
}

export function loadUnsent(userId: string): Message[] {
  const raw = storage()?.getItem(PREFIX + userId);
  if (!raw) return [];
  try {
    const list = JSON.parse(raw) as unknown;
    return Array.isArray(list) ? (list as Message[]).filter((m) => m && typeof m.clientId === 'string' && typeof m.ticketId === 'string') : [];
  } catch {
    return [];
  }
}

export function saveUnsent(userId: string, messages: readonly Message[]): void {
  const s = storage();
  if (!s) return;
  try {
    if (messages.length === 0) s.removeItem(PREFIX + userId);
    else s.setItem(PREFIX + userId, JSON.stringify(messages.slice(-MAX_UNSENT)));
  } catch {
    // Storage full or refused: the messages still wait in memory until the connection returns.
  }
}
