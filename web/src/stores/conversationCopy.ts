import type { Message } from '@atende/core';
import { coveredUntil, type ThreadCopy } from '@/live/threadFollow';
import { byTime } from './conversationThread';

/**
 * The live page of a conversation whose ticket carries a copy of its newest
 * lines (web/src/live/threadFollow.ts): the pure part of the conversation
 * store's Firestore path.
 */

/** Whether a document of the thread was changed after its creation (Firestore marks those: `revised`). */
export const isRevised = (m: Message): boolean => (m as { revised?: boolean }).revised === true;

/**
 * The page shown from `copy`:
 * - its lines, and the `tail` (lines created after the copy was dropped, heard from the thread);
 * - a line already `shown` that is newer than everything the copy speaks for stays (the copy has not caught up
 *   with it yet: a sent message's answer came before the ticket's change);
 * - a `revised` document wins over any other copy of its line, whichever arrived first; one newer than the copy
 *   shows even before the ticket's change brings the line; one of a line the copy no longer holds is not on the page.
 * A line on the page it does not hold has slid out of the copy: see `leftPage`.
 */
export const pageOfCopy = (copy: ThreadCopy, revised: ReadonlyMap<string, Message>, tail: readonly Message[], shown: readonly Message[]): Message[] => {
  const page = new Map<string, Message>();
  for (const m of copy.lines) page.set(m.id, m);
  const covered = coveredUntil(copy) ?? -Infinity;
  for (const m of shown) if (m.createdAt > covered && !page.has(m.id)) page.set(m.id, m);
  for (const m of tail) page.set(m.id, m);
  for (const m of revised.values()) if (page.has(m.id) || copy.older === null || m.createdAt > copy.older) page.set(m.id, m);
  return [...page.values()].sort(byTime);
};

/** The lines of `before` that `after` no longer holds: they slid out of the live page and stay on screen as older history. */
export const leftPage = (before: readonly Message[], after: readonly Message[]): Message[] => {
  const kept = new Set(after.map((m) => m.id));
  return before.filter((m) => !kept.has(m.id));
};

/** `held` with each line that has a revised document replaced by it (the older history of a copied thread). */
export const withRevised = (held: readonly Message[], revised: ReadonlyMap<string, Message>): Message[] =>
  held.some((m) => revised.has(m.id)) ? held.map((m) => revised.get(m.id) ?? m) : (held as Message[]);
