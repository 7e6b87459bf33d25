import fp from 'fastify-plugin';
import { deliverOnce, type Carrier, type ChannelType, type Outbox, type Store } from '@atende/core';
import type { SqliteStore } from '../db/store.ts';

const BATCH = 100;

/**
 * Carries out the side effects commands write as `outbox` documents. Runs
 * after commits that create due work, on a timer for retries, and from the
 * scheduler as a safety net. Each item goes through core's `deliverOnce`
 * (lease → carrier → settle, with core's one retry policy): an item already
 * done is never delivered twice. Channel carriers (WhatsApp…) are plugged in
 * with `setCarrier`.
 */
export class OutboxDispatcher {
  private running: Promise<void> | null = null;
  private again = false;
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;
  private readonly carriers: Partial<Record<ChannelType, Carrier>> = {};

  constructor(
    private readonly store: SqliteStore,
    private readonly clock: () => number,
    private readonly log: { error(obj: unknown, msg: string): void; warn(obj: unknown, msg: string): void },
  ) {
    store.onCommit((changes) => {
      if (changes.some((c) => c.ref.collection === 'outbox' && c.after !== null && (c.after as Outbox).dueAt !== null)) void this.kick();
    });
  }

  /** Plugs in the sender of a channel type (without one, its messages fail as "not configured"). */
  setCarrier(type: ChannelType, carrier: Carrier): void {
    this.carriers[type] = carrier;
  }

  /** Processes what is due now; concurrent calls coalesce into one more pass. */
  kick(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      try {
        do {
          this.again = false;
          await this.pass();
        } while (this.again && !this.stopped);
      } catch (error) {
        this.log.error({ err: error }, 'outbox pass failed');
      } finally {
        this.running = null;
        this.scheduleNext();
      }
    })();
    return this.running;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }

  private due(now: number): Outbox[] {
    return this.store.query({ collection: 'outbox', where: [['dueAt', '<=', now]], orderBy: [['dueAt', 'asc']], limit: BATCH });
  }

  private async pass(): Promise<void> {
    for (;;) {
      const items = this.due(this.clock());
      if (items.length === 0 || this.stopped) return;
      for (const item of items) await this.process(this.store, item.id);
      if (items.length < BATCH) return;
    }
  }

  private async process(store: Store, outboxId: string): Promise<void> {
    await deliverOnce(store, outboxId, this.clock, this.carriers);
  }

  private scheduleNext(): void {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    const [next] = this.store.query({ collection: 'outbox', where: [['dueAt', '>', 0]], orderBy: [['dueAt', 'asc']], limit: 1 });
    if (!next || next.dueAt === null) return;
    const delay = Math.max(0, Math.min(next.dueAt - this.clock(), 60_000));
    this.timer = setTimeout(() => void this.kick(), delay);
    this.timer.unref();
  }
}

export default fp(
  async (app) => {
    const dispatcher = new OutboxDispatcher(app.store, app.clock, app.log);
    app.decorate('outbox', dispatcher);
    app.addHook('onReady', async () => void dispatcher.kick());
    app.addHook('preClose', async () => dispatcher.stop());
  },
  { name: 'outbox', dependencies: ['db'] },
);
