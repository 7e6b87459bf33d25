import type { Report, Stats, User } from '@atende/core';
import { localTime } from '@core/automation/businessHours.ts';
import { addDays, periodPlan, reportOf, type PlanPart } from '@core/reports/report.ts';
import { defineStore } from 'pinia';
import { computed, ref, shallowRef, watch } from 'vue';
import { subscribeLive } from '@/live/table';

export type Preset = 'today' | '7d' | '30d' | 'month' | 'custom';

const TIME_ZONE = 'America/Sao_Paulo';

/** The [from, to] local dates of a preset, today included. */
export const presetRange = (preset: Exclude<Preset, 'custom'>, now: number): { from: string; to: string } => {
  const today = localTime(now, TIME_ZONE).date;
  if (preset === 'today') return { from: today, to: today };
  if (preset === '7d') return { from: addDays(today, -6), to: today };
  if (preset === '30d') return { from: addDays(today, -29), to: today };
  return { from: `${today.slice(0, 7)}-01`, to: today };
};

/**
 * G3 Relatórios: the period's aggregate documents (`stats.range`, live), the
 * report built from them by core's `buildReport`. Supervisors ask for their
 * sectors; admins for all. Never reads tickets.
 */
export const useReportsStore = defineStore('reports', () => {
  const preset = ref<Preset>('7d');
  const from = ref(presetRange('7d', Date.now()).from);
  const to = ref(presetRange('7d', Date.now()).to);
  const businessTime = ref(false);
  const sectorIds = ref<string[] | null>(null);
  /** Documents by subscription part (added or taken away: `periodPlan`), then by id. */
  const parts = shallowRef<{ sign: PlanPart['sign']; docs: Map<string, Stats> }[]>([]);
  const loading = ref(true);
  const error = ref<string | null>(null);
  let stops: (() => void)[] = [];

  function setPreset(p: Preset) {
    preset.value = p;
    if (p === 'custom') return;
    const range = presetRange(p, Date.now());
    from.value = range.from;
    to.value = range.to;
  }

  function stop() {
    for (const s of stops) s();
    stops = [];
  }

  function start(me: Pick<User, 'role' | 'sectorIds'>) {
    stop();
    sectorIds.value = me.role === 'admin' ? null : [...me.sectorIds];
    const plan = periodPlan(from.value, to.value, { today: localTime(Date.now(), TIME_ZONE).date });
    const maps = plan.map(() => new Map<string, Stats>());
    const signed = () => plan.map((p, i) => ({ sign: p.sign, docs: maps[i]! }));
    parts.value = signed();
    loading.value = plan.length > 0;
    error.value = null;
    let pending = plan.length;
    plan.forEach((part, i) => {
      const params = { period: part.period, from: part.from, to: part.to, ...(sectorIds.value ? { sectorIds: sectorIds.value.slice(0, 30) } : {}) };
      stops.push(
        subscribeLive('stats.range', params, (event) => {
          const map = maps[i]!;
          if (event.type === 'error') {
            error.value = event.error.message;
            loading.value = false;
            return;
          }
          if (event.type === 'snapshot') {
            map.clear();
            for (const d of event.docs) map.set(d.id, d);
            if (--pending <= 0) loading.value = false;
          } else for (const c of event.changes) c.type === 'removed' ? map.delete(c.doc.id) : map.set(c.doc.id, c.doc);
          parts.value = signed();
        }),
      );
    });
  }

  const report = computed<Report>(() => reportOf(parts.value.map((p) => ({ sign: p.sign, docs: [...p.docs.values()] })), { businessTime: businessTime.value }));

  return { preset, from, to, businessTime, sectorIds, loading, error, report, setPreset, start, stop };
});

/** Re-opens the subscriptions whenever the period changes. */
export const followPeriod = (store: ReturnType<typeof useReportsStore>, me: () => Pick<User, 'role' | 'sectorIds'> | null) =>
  watch(
    () => [store.from, store.to, me()?.role, me()?.sectorIds.join(',')] as const,
    () => {
      const user = me();
      const valid = /^\d{4}-\d{2}-\d{2}$/.test(store.from) && /^\d{4}-\d{2}-\d{2}$/.test(store.to) && store.from <= store.to;
      if (user && valid) store.start(user);
      else store.stop();
    },
    { immediate: true },
  );
