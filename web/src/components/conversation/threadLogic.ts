import type { Message } from '@atende/core';

/**
 * How many messages arrived after the one that was last before: the count on
 * the "N novas mensagens" button. A live page slides (the oldest leaves as a
 * new one comes), so the length of the list cannot say it.
 */
export const arrivedAfter = (previousLastKey: string | null, keys: readonly string[]): number => {
  if (previousLastKey === null) return 0;
  const at = keys.lastIndexOf(previousLastKey);
  // The old last message is gone from the page (a jump, a reload): count just the newest one.
  return at === -1 ? (keys.length ? 1 : 0) : keys.length - 1 - at;
};

/** Whether the reader is close enough to the end that new messages should keep the view pinned there. */
export const isNearBottom = (el: { scrollHeight: number; scrollTop: number; clientHeight: number }, slack = 120): boolean =>
  el.scrollHeight - el.scrollTop - el.clientHeight < slack;

/**
 * The thread's lines with the transfer summary's marker after its transfer line, where the summary was once stored
 * as a line of its own (core `transferSummary` makes it from the thread now; `summary`: its answer for this thread).
 */
export const withSummaryMarker = <M extends Pick<Message, 'id' | 'event' | 'text'>>(messages: readonly M[], summary: { key: string; text: string } | null): M[] =>
  messages.flatMap((m) => (summary && m.event?.kind === 'transferred' && summary.key === m.id ? [m, { ...m, id: `${m.id}:summary`, text: summary.text, event: { kind: 'summary' as const, actorName: null } }] : [m]));
