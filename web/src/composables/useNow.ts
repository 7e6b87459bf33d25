import { getCurrentScope, onScopeDispose, readonly, ref } from 'vue';

const now = ref(Date.now());
let timer: ReturnType<typeof setInterval> | null = null;
let users = 0;

/**
 * The current time, ticking once a second from ONE interval shared by every
 * live clock on screen (waiting times, service timers), however many cards
 * there are. The interval stops when nothing uses it.
 */
export const useNow = () => {
  users += 1;
  if (!timer) {
    now.value = Date.now();
    timer = setInterval(() => (now.value = Date.now()), 1000);
  }
  if (getCurrentScope()) {
    onScopeDispose(() => {
      users -= 1;
      if (users === 0 && timer) {
        clearInterval(timer);
        timer = null;
      }
    });
  }
  return readonly(now);
};

/** For tests: how many intervals are running (0 or 1). */
export const sharedTimerCount = () => (timer ? 1 : 0);
