import fp from 'fastify-plugin';
import { commandRegistry, executeCommand, presenceSettingsOf, refs, sweepPresence, type StaffActor } from '@atende/core';

export interface PresenceTracker {
  /** A staff console's live socket opened: they come online (or paused) if they were offline. */
  connected(actor: StaffActor): void;
  /** That socket closed: when it was their last, they go offline after the grace period. */
  disconnected(actor: StaffActor): void;
  /** Sends to offline everyone gone longer than the grace period at `now` (default: the clock). */
  sweep(now?: number): Promise<number>;
  /** Open consoles per user (for tests and stats). */
  connections(uid: string): number;
}

/**
 * DESIGN §16 on the embedded server: presence follows the live sockets
 * (`/api/live`). A user's last sign of life is now while a socket is open,
 * else when their last socket closed, else when the server started; the
 * sweep (on each last disconnect after the grace period, and with the
 * scheduler) applies core's rule to it.
 */
export default fp(
  async (app) => {
    const open = new Map<string, number>();
    const goneAt = new Map<string, number>();
    const timers = new Map<string, NodeJS.Timeout>();
    const bootAt = app.clock();

    const sweep = (now?: number) =>
      sweepPresence(now === undefined ? app.deps : { ...app.deps, clock: () => now }, commandRegistry, (user) =>
        (open.get(user.id) ?? 0) > 0 ? (now ?? app.clock()) : Math.max(goneAt.get(user.id) ?? bootAt, bootAt),
      );
    const sweepLogged = () =>
      void sweep().then(
        (expired) => expired > 0 && app.log.info({ expired }, 'presence: gone past the grace period'),
        (error: unknown) => app.log.error({ err: error }, 'presence sweep failed'),
      );

    const tracker: PresenceTracker = {
      connected(actor) {
        open.set(actor.uid, (open.get(actor.uid) ?? 0) + 1);
        goneAt.delete(actor.uid);
        clearTimeout(timers.get(actor.uid));
        timers.delete(actor.uid);
        executeCommand(commandRegistry, app.deps, actor, 'presence.connect', {}).catch((error: unknown) => app.log.warn({ err: error, uid: actor.uid }, 'presence.connect failed'));
      },
      disconnected(actor) {
        const left = (open.get(actor.uid) ?? 1) - 1;
        if (left > 0) return void open.set(actor.uid, left);
        open.delete(actor.uid);
        goneAt.set(actor.uid, app.clock());
        const { graceSeconds } = presenceSettingsOf(app.store.get(refs.settings()));
        clearTimeout(timers.get(actor.uid));
        const timer = setTimeout(() => {
          timers.delete(actor.uid);
          sweepLogged();
        }, graceSeconds * 1000 + 250);
        timer.unref();
        timers.set(actor.uid, timer);
      },
      sweep,
      connections: (uid) => open.get(uid) ?? 0,
    };
    app.decorate('presence', tracker);
    app.scheduler.register('presence', () => sweep().then(() => undefined));
    app.addHook('onClose', async () => {
      for (const timer of timers.values()) clearTimeout(timer);
      timers.clear();
    });
  },
  { name: 'presence', dependencies: ['db', 'scheduler'] },
);
