import type { Ticket } from '@atende/core';
import { useVirtualizer } from '@tanstack/vue-virtual';
import { computed, ref } from 'vue';

/**
 * A virtualized list of fixed-height ticket rows (the queues, Histórico):
 * bind `scroller` to the scrolling element, draw `rows`, and size the inner
 * box with `virtualizer.getTotalSize()`. Keys are ticket ids, so a live
 * update moves a row instead of redrawing the list.
 */
export const useTicketRows = (
  tickets: () => readonly Ticket[],
  options: { rowHeight: number; overscan: number; initialRect: { width: number; height: number } },
) => {
  const scroller = ref<HTMLElement | null>(null);
  const virtualizer = useVirtualizer(
    computed(() => ({
      count: tickets().length,
      getScrollElement: () => scroller.value,
      estimateSize: () => options.rowHeight,
      overscan: options.overscan,
      initialRect: options.initialRect,
      getItemKey: (i: number) => tickets()[i]?.id ?? i,
    })),
  );
  const rows = computed(() => virtualizer.value.getVirtualItems());
  return { scroller, virtualizer, rows };
};
