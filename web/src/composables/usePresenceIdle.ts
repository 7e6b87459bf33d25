import { presenceSettingsOf } from '@core/presence/defaults.ts';
import { backend } from '@/backend';
import { useCatalogStore } from '@/stores/catalog';

const EVENTS = ['pointerdown', 'pointermove', 'keydown', 'wheel', 'focus'] as const;
const CHECK_MS = 30_000;

/**
 * C7: pause an online agent automatically after the workspace's
 * `presence.idlePauseMinutes` without keyboard or mouse in the console.
 * Returns the stop function.
 */
export const startIdlePause = (currentPresence: () => string | null): (() => void) => {
  if (typeof window === 'undefined') return () => undefined;
  let last = Date.now();
  const seen = () => (last = Date.now());
  for (const e of EVENTS) window.addEventListener(e, seen, { passive: true, capture: true });
  const timer = setInterval(() => {
    const minutes = presenceSettingsOf(useCatalogStore().settings).idlePauseMinutes;
    if (minutes <= 0 || currentPresence() !== 'online') return;
    if (Date.now() - last < minutes * 60_000) return;
    last = Date.now();
    void backend()
      .run('presence.set', { presence: 'paused', cause: 'idle' })
      .catch((e: unknown) => console.warn('[presence] idle pause failed', e));
  }, CHECK_MS);
  return () => {
    clearInterval(timer);
    for (const e of EVENTS) window.removeEventListener(e, seen, { capture: true });
  };
};
