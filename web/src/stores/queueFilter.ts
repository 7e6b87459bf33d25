import type { Ticket } from '@atende/core';
import { isUnanswered } from '@core/queue.ts';
import { slaAtRisk } from '@core/reports/sla.ts';
import { refDebounced } from '@vueuse/core';
import { computed, ref, toRef, watch, type Ref } from 'vue';

export type QueueTab = 'waiting' | 'mine' | 'closed';

export interface QueueFilters {
  text: string;
  channelId: string | null;
  sectorId: string | null;
  tagId: string | null;
  /** "Não respondidos": only tickets whose last message is the customer's (core's isUnanswered). */
  unanswered: boolean;
  /** "SLA em risco": a running service-level target in its last quarter or missed (core's slaAtRisk). */
  slaRisk: boolean;
}

/**
 * The queue as filtered on screen (search, channel, sector, tag, "Não
 * respondidos", "SLA em risco") over the tab's list. Part of the tickets store.
 */
export const useQueueFilter = (filters: QueueFilters, tab: Ref<QueueTab>, listOf: (tab: QueueTab) => Ticket[]) => {
  /** The time "SLA em risco" is judged at: ticks only while that filter is on. */
  const slaNow = ref(Date.now());
  let slaTimer: ReturnType<typeof setInterval> | null = null;
  watch(
    () => filters.slaRisk,
    (on) => {
      if (slaTimer) clearInterval(slaTimer);
      slaTimer = null;
      slaNow.value = Date.now();
      if (on) slaTimer = setInterval(() => (slaNow.value = Date.now()), 15_000);
    },
  );

  // Typing filters thousands of tickets: wait for a pause, and lower-case each ticket once per version.
  const query = refDebounced(toRef(filters, 'text'), 120);
  const haystacks = new WeakMap<Ticket, string>();
  const haystackOf = (t: Ticket) => {
    let h = haystacks.get(t);
    if (h === undefined) {
      h = [t.contact.name, t.contact.phone ?? '', t.contact.email ?? '', t.protocol, t.lastMessage?.text ?? ''].join('\n').toLowerCase();
      haystacks.set(t, h);
    }
    return h;
  };

  const visible = computed(() => {
    const { channelId, sectorId, tagId } = filters;
    const unanswered = filters.unanswered && tab.value !== 'closed';
    const slaRisk = filters.slaRisk && tab.value !== 'closed';
    const q = query.value.trim().toLowerCase();
    const all = listOf(tab.value);
    if (!q && !channelId && !sectorId && !tagId && !unanswered && !slaRisk) return all;
    const at = slaRisk ? slaNow.value : 0;
    return all.filter(
      (t) =>
        (!unanswered || isUnanswered(t)) &&
        (!slaRisk || slaAtRisk(t, at)) &&
        (!channelId || t.channelId === channelId) &&
        (!sectorId || t.sectorId === sectorId) &&
        (!tagId || t.tagIds.includes(tagId)) &&
        (!q || haystackOf(t).includes(q)),
    );
  });
  const filtering = computed(() => Boolean(filters.text.trim() || filters.channelId || filters.sectorId || filters.tagId || ((filters.unanswered || filters.slaRisk) && tab.value !== 'closed')));
  return { visible, filtering };
};
