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
