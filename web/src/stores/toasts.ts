import { defineStore } from 'pinia';
import { ref } from 'vue';

export interface Toast {
  id: number;
  kind: 'error' | 'info' | 'success';
  text: string;
}

/** Short messages at the top, over the page title (never over a composer): a refused command, a finished action. */
export const useToastStore = defineStore('toasts', () => {
  const toasts = ref<Toast[]>([]);
  let seq = 0;

  function dismiss(id: number) {
    toasts.value = toasts.value.filter((t) => t.id !== id);
  }

  function push(text: string, kind: Toast['kind'] = 'info', ms = kind === 'success' ? 3500 : 6000) {
    const id = ++seq;
    // A finished action replaces the previous one's note: at most one success at a time, so notes never pile over the windows.
    const kept = kind === 'success' ? toasts.value.filter((x) => x.kind !== 'success') : toasts.value;
    toasts.value = [...kept.slice(-3), { id, kind, text }];
    setTimeout(() => dismiss(id), ms);
    return id;
  }

  return { toasts, push, dismiss, error: (text: string) => push(text, 'error', 8000) };
});
