import fp from 'fastify-plugin';
import { deliverOnce, dueDeliveries, type Carrier, type ChannelType, type Message } from '@atende/core';
import type { SqliteStore } from '../db/store.ts';

const BATCH = 100;

/**
 * Delivers outbound messages: each carries its own `delivery` (core's
 * `dueDeliveries`, the same query the Cloud Functions' scheduled retries
 * ask). Runs after commits that make a delivery due, on a timer for
 * retries, and from the scheduler as a safety net. Each goes through core's
 * `deliverOnce` (lease → carrier → settle, with core's one retry policy): a
 * message already delivered is never sent twice. Channel carriers
 * (WhatsApp…) are plugged in with `setCarrier`.
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
      if (changes.some((c) => c.ref.collection === 'messages' && typeof (c.after as Message | null)?.delivery?.dueAt === 'number')) void this.kick();
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

  private due(now: number): Message[] {
    return this.store.query(dueDeliveries(now, BATCH));
  }

  private async pass(): Promise<void> {
    for (;;) {
      const items = this.due(this.clock());
      if (items.length === 0 || this.stopped) return;
      for (const m of items) await deliverOnce(this.store, { ticketId: m.ticketId, messageId: m.id }, this.clock, this.carriers);
      if (items.length < BATCH) return;
    }
  }

  private scheduleNext(): void {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    const [next] = this.store.query({ collection: 'messages', where: [['delivery.dueAt', '>', 0]], orderBy: [['delivery.dueAt', 'asc']], limit: 1 });
    const dueAt = next?.delivery?.dueAt;
    if (typeof dueAt !== 'number') return;
    const delay = Math.max(0, Math.min(dueAt - this.clock(), 60_000));
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
