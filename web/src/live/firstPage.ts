import type { LiveEvent } from '@/backend';

/**
 * A long live list in two steps: first a page (quick for the server to
 * answer and for the browser to draw: the first cards appear at once), then
 * the whole list, whose snapshot replaces the page. The page's later changes
 * are not applied (the whole list's snapshot follows within moments and
 * carries them), so a window sliding over older items never looks like new
 * arrivals. `open(limit, handler)` subscribes with that limit.
 */
export const firstPageThenAll = <T>(open: (limit: number, handler: (e: LiveEvent<T>) => void) => () => void, page: number, all: number, apply: (e: LiveEvent<T>) => void): (() => void) => {
  let stopAll: (() => void) | null = null;
  let stopPage: (() => void) | null = null;
  let stopped = false;
  let whole = false;
  const startAll = () => {
    if (stopped || stopAll) return;
    stopAll = open(all, (e) => {
      if (e.type === 'snapshot' && !whole) {
        whole = true;
        stopPage?.();
        stopPage = null;
      }
      apply(e);
    });
  };
  stopPage = open(page, (e) => {
    if (whole) return;
    if (e.type === 'snapshot') {
      apply(e);
      startAll();
    } else if (e.type === 'error') {
      // The page refused: the whole list would be too; let it say so.
      apply(e);
    }
  });
  return () => {
    stopped = true;
    stopPage?.();
    stopAll?.();
  };
};
