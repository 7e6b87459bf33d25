import type { Counter } from '@atende/core';
import { shallowReactive } from 'vue';
import type { LiveEvent } from '@/backend';

/** The counters behind tab counts the console cannot count from its own lists (web/src/live/consolePlan.ts). Part of the tickets store. */
export const tabCounters = () => {
  const counters = shallowReactive(new Map<string, number>());

  function applyCounters(event: LiveEvent<Counter>) {
    if (event.type === 'error') return console.warn('[tickets] counters:', event.error.message);
    if (event.type === 'snapshot') {
      counters.clear();
      for (const c of event.docs) counters.set(c.id, c.value);
      return;
    }
    for (const { type, doc } of event.changes) {
      if (type === 'removed') counters.delete(doc.id);
      else counters.set(doc.id, doc.value);
    }
  }

  const sum = (ids: string[]) => ids.reduce((n, id) => n + Math.max(0, counters.get(id) ?? 0), 0);
  return { counters, applyCounters, sum };
};
