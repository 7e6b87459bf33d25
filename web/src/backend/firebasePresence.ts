/** How often an open console proves it is still there (the sweep's grace period is longer). */
export const PRESENCE_BEAT_MS = 30_000;

/**
 * DESIGN §16 on Firebase: Firestore has no disconnect hook, so the console
 * writes `presenceBeats/{uid}` ({at: the server's time}) while it is open
 * and the `presenceSweep` function sends whoever stopped to offline. On
 * start, and whenever the browser comes back online, it also runs
 * `presence.connect` (an offline agent becomes online, or paused).
 */
export type WriteBeat = (uid: string) => Promise<void>;
// The write itself (`firestoreBeat`) is in ./firebaseData.ts, with the rest of what needs Firestore's SDK.

export const startPresenceHeartbeat = (write: WriteBeat, uid: string, connect: () => Promise<unknown>, everyMs = PRESENCE_BEAT_MS): (() => void) => {
  let stopped = false;
  const beat = () => (stopped ? Promise.resolve() : write(uid).catch((e: unknown) => console.warn('[presence] heartbeat failed', e)));
  const arrive = () => {
    if (stopped) return;
    void beat();
    void connect().catch((e: unknown) => console.warn('[presence] connect failed', e));
  };
  arrive();
  const timer = setInterval(() => void beat(), everyMs);
  const win = typeof window !== 'undefined' && typeof window.addEventListener === 'function' ? window : null;
  win?.addEventListener('online', arrive);
  return () => {
    stopped = true;
    clearInterval(timer);
    win?.removeEventListener('online', arrive);
  };
};
