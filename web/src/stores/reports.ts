import type { Report, Stats, User } from '@atende/core';
import { localTime } from '@core/automation/businessHours.ts';
import { addDays, periodPlan, reportOf, type PlanPart } from '@core/reports/report.ts';
import { ROLLED_UP_COUNTER, rollUpMarkDay } from '@core/reports/rollupMark.ts';
import { defineStore } from 'pinia';
import { computed, ref, shallowRef, watch } from 'vue';
import { subscribeLive } from '@/live/table';
import { userMessage } from '@/i18n/errors';

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
 * sectors; admins for all. Never reads tickets. The plan (`periodPlan`) waits
 * for the roll-up's mark (core reports/rollup.ts: month documents hold their
 * days up to it, later days are read as days) and is made again when the
 * scheduled tick moves it.
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
  /** The listeners of the plan shown, and of a plan made again that has not answered in full yet. */
  let shown: (() => void)[] = [];
  let coming: (() => void)[] = [];

  function setPreset(p: Preset) {
    preset.value = p;
    if (p === 'custom') return;
    const range = presetRange(p, Date.now());
    from.value = range.from;
    to.value = range.to;
  }

  let stopMark: (() => void) | null = null;

  function stopParts() {
    for (const s of [...shown, ...coming]) s();
    shown = [];
    coming = [];
  }

  function stop() {
    stopMark?.();
    stopMark = null;
    stopParts();
  }

  function start(me: Pick<User, 'role' | 'sectorIds'>) {
    stop();
    sectorIds.value = me.role === 'admin' ? null : [...me.sectorIds];
    parts.value = [];
    loading.value = true;
    error.value = null;
    let planned: string | null | undefined;
    stopMark = subscribeLive('counters', { ids: [ROLLED_UP_COUNTER] }, (event) => {
      if (event.type === 'error') {
        error.value = userMessage(event.error);
        loading.value = false;
        return;
      }
      const docs = event.type === 'snapshot' ? event.docs : event.changes.filter((c) => c.type !== 'removed').map((c) => c.doc);
      const held = docs.find((d) => d.id === ROLLED_UP_COUNTER);
      const mark = event.type === 'snapshot' || held ? rollUpMarkDay(held?.value) : planned;
      if (mark === undefined || mark === planned) return;
      planned = mark;
      startParts(mark);
    });
  }

  /** Opens the plan's parts; a plan made again (the mark moved) replaces the shown one once all its parts have answered. */
  function startParts(rolledUpThrough: string | null) {
    for (const s of coming) s();
    const mine: (() => void)[] = [];
    coming = mine;
    const plan = periodPlan(from.value, to.value, { today: localTime(Date.now(), TIME_ZONE).date, rolledUpThrough });
    const maps = plan.map(() => new Map<string, Stats>());
    const signed = () => plan.map((p, i) => ({ sign: p.sign, docs: maps[i]! }));
    const answered = new Set<number>();
    const ready = () => {
      for (const s of shown) s();
      shown = mine;
      coming = [];
      parts.value = signed();
      loading.value = false;
    };
    if (plan.length === 0) ready();
    plan.forEach((part, i) => {
      const params = { period: part.period, from: part.from, to: part.to, ...(sectorIds.value ? { sectorIds: sectorIds.value.slice(0, 30) } : {}) };
      mine.push(
        subscribeLive('stats.range', params, (event) => {
          const map = maps[i]!;
          if (event.type === 'error') {
            error.value = userMessage(event.error);
            loading.value = false;
            return;
          }
          if (event.type === 'snapshot') {
            map.clear();
            for (const d of event.docs) map.set(d.id, d);
            // A listener may answer more than once (Firestore's first snapshot from its cache, then the server's).
            if (!answered.has(i)) {
              answered.add(i);
              if (answered.size === plan.length) ready();
            }
          } else for (const c of event.changes) c.type === 'removed' ? map.delete(c.doc.id) : map.set(c.doc.id, c.doc);
          // A plan about to be replaced (the mark moved) stays as it was: its month documents may already hold more days.
          if (answered.size === plan.length && coming.length === 0) parts.value = signed();
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
