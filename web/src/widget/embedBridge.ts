import { onScopeDispose, watch, type Ref } from '@vue/reactivity';
import type { ThreadItem } from './thread.ts';
import { signal } from './signal.ts';

/**
 * Talks to embed.js on the company's page: the panel tells us when it is
 * shown or hidden, and we tell it how many replies arrived while hidden, for
 * the badge on the launcher. Outside an iframe it does nothing.
 */
export const useEmbedBridge = (thread: Ref<ThreadItem[]>, target: Window | null = window.parent !== window ? window.parent : null) => {
  const open = signal(true);
  const unread = signal(0);
  const seen = new Set<string>();

  const post = (message: Record<string, unknown>) => target?.postMessage(message, '*');

  const onMessage = (event: MessageEvent) => {
    if (event.source !== target || event.data?.type !== 'atende:visibility') return;
    open.value = event.data.open === true;
    if (open.value && unread.value > 0) {
      unread.value = 0;
      post({ type: 'atende:unread', count: 0 });
    }
  };
  if (target) {
    window.addEventListener('message', onMessage);
    onScopeDispose(() => window.removeEventListener('message', onMessage));
  }

  watch(
    thread,
    (items) => {
      for (const item of items) {
        if (item.kind !== 'message' || item.message.direction !== 'out' || seen.has(item.message.id)) continue;
        seen.add(item.message.id);
        if (!open.value) unread.value++;
      }
      if (!open.value && unread.value > 0) post({ type: 'atende:unread', count: unread.value });
    },
    { immediate: true },
  );

  return { open, unread };
};
