import { useEventListener } from '@vueuse/core';
import { computed, shallowRef, watch, type Ref } from 'vue';

/**
 * "N novos" (issue 13): tickets that joined a list while the agent was looking at another part of
 * it. An arrival stays counted until its row has been on screen; `go()` scrolls to the first one.
 * Rows have a fixed height (`row`), as in the virtualised queue. Bounded by the list itself.
 */
export function useArrivals(
  scroller: Ref<HTMLElement | null>,
  ids: () => readonly string[],
  options: { row: number; key: () => string; enabled: () => boolean },
) {
  const unseen = shallowRef<ReadonlySet<string>>(new Set());
  let known: Set<string> | null = null;

  const onScreen = (index: number) => {
    const el = scroller.value;
    if (!el || el.clientHeight === 0) return false;
    const top = index * options.row;
    // At least half the card is visible.
    return top + options.row / 2 > el.scrollTop && top + options.row / 2 < el.scrollTop + el.clientHeight;
  };

  function refresh() {
    if (!options.enabled()) {
      known = null;
      if (unseen.value.size) unseen.value = new Set();
      return;
    }
    const list = ids();
    const present = new Set(list);
    if (known === null) {
      known = present; // the list as first shown is not news
      return;
    }
    const next = new Set([...unseen.value].filter((id) => present.has(id)));
    for (const id of list) if (!known.has(id)) next.add(id);
    list.forEach((id, i) => next.has(id) && onScreen(i) && next.delete(id));
    known = present;
    if (next.size !== unseen.value.size || [...next].some((id) => !unseen.value.has(id))) unseen.value = next;
  }

  watch(options.key, () => {
    known = null;
    unseen.value = new Set();
    refresh();
  });
  watch([ids, options.enabled], refresh, { immediate: true });
  useEventListener(scroller, 'scroll', refresh, { passive: true });

  /** The first unseen arrival's position in the list (-1: none). */
  const first = computed(() => (unseen.value.size ? ids().findIndex((id) => unseen.value.has(id)) : -1));
  /** Whether it lies below what is on screen (else above). */
  const below = computed(() => first.value >= 0 && (scroller.value?.scrollTop ?? 0) < first.value * options.row);

  function go() {
    const el = scroller.value;
    if (!el || first.value < 0) return;
    el.scrollTop = Math.max(0, first.value * options.row - (below.value ? el.clientHeight - 2 * options.row : 0));
    refresh();
  }

  return { count: computed(() => unseen.value.size), below, go };
}
