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
    toasts.value = [...toasts.value.slice(-3), { id, kind, text }];
    setTimeout(() => dismiss(id), ms);
    return id;
  }

  return { toasts, push, dismiss, error: (text: string) => push(text, 'error', 8000) };
});
