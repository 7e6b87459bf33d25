import fp from 'fastify-plugin';
import { commandRegistry, rollUpStats, tick } from '@atende/core';
import { removeStaleStagedFiles } from '../lib/files.ts';

const EVERY_MS = 30_000;

export type Job = (now: number) => Promise<void> | void;

/**
 * The in-process scheduler (the embedded counterpart of Firebase's
 * `onSchedule`): every 30 s it runs the registered jobs, one after another,
 * never two passes at once.
 */
export class Scheduler {
  private readonly jobs = new Map<string, Job>();
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;

  constructor(
    private readonly clock: () => number,
    private readonly log: { error(obj: unknown, msg: string): void },
  ) {}

  register(name: string, job: Job): void {
    this.jobs.set(name, job);
  }

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.runNow(), EVERY_MS);
    this.timer.unref();
  }

  runNow(): Promise<void> {
    if (this.running) return this.running;
    this.running = (async () => {
      for (const [name, job] of this.jobs) {
        try {
          await job(this.clock());
        } catch (error) {
          this.log.error({ err: error, job: name }, 'scheduled job failed');
        }
      }
    })().finally(() => (this.running = null));
    return this.running;
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }
}

export default fp(
  async (app) => {
    const scheduler = new Scheduler(app.clock, app.log);
    // D3/D4: inactivity warnings and auto-close, each ticket in its own transaction.
    scheduler.register('automation', async () => {
      const done = await tick(app.deps, commandRegistry);
      if (done.warned > 0 || done.closed > 0) app.log.info(done, 'automation tick');
    });
    // Reports: month documents rolled up from the days once a day is older than yesterday (core reports/rollup.ts).
    scheduler.register('reports', async (now) => {
      const done = await rollUpStats(app.deps.store, now);
      if (done.months.length > 0) app.log.info(done, 'reports rolled up');
    });
    // A safety net for retries whose timer was lost (e.g. after a restart).
    scheduler.register('outbox', () => app.outbox.kick());
    scheduler.register('staged files', () => {
      const removed = removeStaleStagedFiles(app);
      if (removed > 0) app.log.info({ removed }, 'abandoned widget uploads removed');
    });
    app.decorate('scheduler', scheduler);
    app.addHook('onReady', async () => scheduler.start());
    app.addHook('preClose', async () => scheduler.stop());
  },
  { name: 'scheduler', dependencies: ['db', 'outbox'] },
);
