import { performance } from 'node:perf_hooks';
import type { HttpClient } from './support/http.ts';
import type { LiveClient } from './support/live.ts';
import { summarise, type Summary } from './support/stats.ts';
import type { JsonResponse } from './support/http.ts';
import { sendAsVisitor, type Visitor } from './support/widget.ts';
import { sleep } from './support/pool.ts';

/** The marker each benchmark message carries; the ticket's lastMessage preview keeps it. */
const MARK = /^bench (\d+):(\d+)\b/;
const textOf = (v: Visitor, seq: number) => `bench ${v.index}:${seq} olá, meu pedido ainda não chegou`;

/** How one customer's message reaches the server: the widget API by default, or a channel's webhook. */
export type Sender = (http: HttpClient, v: Visitor, text: string, messageId: string) => Promise<JsonResponse<unknown>>;

export interface IngestResult {
  mode: 'closed' | 'open';
  durationS: number;
  visitors: number;
  offeredRate: number | null;
  acked: number;
  delivered: number;
  failed: number;
  /** Acknowledged but never seen on the agent's socket within the grace period. */
  lost: number;
  /** Open loop only: scheduled sends still queued behind a busy server when the window closed. */
  dropped: number;
  rate: number;
  latency: Summary;
  /** Send to HTTP 200, for comparison with send to socket. */
  ackLatency: Summary;
  /** CPU time per acknowledged message: the server's, and this load generator's. */
  serverCpuMsPerMsg: number;
  loadCpuMsPerMsg: number;
  /** What the server process wrote per acknowledged message (database, WAL, sockets, logs): bytes and write calls. */
  serverWriteBytesPerMsg?: number;
  serverWriteCallsPerMsg?: number;
}

/** Measures the CPU the server process and this process spend while `fn` runs, and what the server writes. */
export const withCpu = async <T extends { acked: number }>(serverCpuMs: () => number, fn: () => Promise<T>, serverIo?: () => { wchar: number; syscw: number }) => {
  const s0 = serverCpuMs();
  const io0 = serverIo?.();
  const l0 = process.cpuUsage();
  const result = await fn();
  const l = process.cpuUsage(l0);
  const io1 = serverIo?.();
  const n = Math.max(1, result.acked);
  return {
    ...result,
    serverCpuMsPerMsg: (serverCpuMs() - s0) / n,
    loadCpuMsPerMsg: (l.user + l.system) / 1000 / n,
    ...(io0 && io1 && { serverWriteBytesPerMsg: (io1.wchar - io0.wchar) / n, serverWriteCallsPerMsg: (io1.syscw - io0.syscw) / n }),
  };
};

/**
 * Watches an agent socket subscribed to `tickets.waiting`: every inbound
 * message modifies its ticket, and the change carries the message's preview.
 * If the hub ever folds two changes of one ticket into one, the later
 * message's arrival also settles the earlier ones of that visitor.
 */
class DeliveryWatch {
  private pending = new Map<number, { seq: number; at: number }[]>();
  readonly latencies: number[] = [];
  delivered = 0;
  private off: () => void;

  constructor(agent: LiveClient, subscriptionId: string) {
    this.off = agent.on((msg, at) => {
      if (msg.type !== 'changes' || msg.id !== subscriptionId) return;
      for (const c of msg.changes) {
        const last = c.doc.lastMessage as { text?: string } | null | undefined;
        const m = last?.text ? MARK.exec(last.text) : null;
        if (m) this.settle(Number(m[1]), Number(m[2]), at);
      }
    });
  }

  expect(visitor: number, seq: number, at: number): void {
    let list = this.pending.get(visitor);
    if (!list) this.pending.set(visitor, (list = []));
    list.push({ seq, at });
  }

  private settle(visitor: number, seq: number, at: number): void {
    const list = this.pending.get(visitor);
    if (!list) return;
    while (list.length > 0 && list[0]!.seq <= seq) {
      const sent = list.shift()!;
      this.latencies.push(at - sent.at);
      this.delivered++;
    }
  }

  /** A send that was refused will never show up: stop waiting for it. */
  settleFailed(visitor: number, seq: number): void {
    const list = this.pending.get(visitor);
    const i = list?.findIndex((p) => p.seq === seq) ?? -1;
    if (list && i >= 0) list.splice(i, 1);
  }

  outstanding(): number {
    let n = 0;
    for (const l of this.pending.values()) n += l.length;
    return n;
  }

  async drain(graceMs: number): Promise<void> {
    const until = performance.now() + graceMs;
    while (this.outstanding() > 0 && performance.now() < until) await sleep(20);
  }

  stop(): void {
    this.off();
  }
}

/**
 * Closed loop: every visitor sends, waits for its 200, sends again, for
 * `durationS`. The rate is what the server sustains at that concurrency.
 */
export const ingestClosed = async (http: HttpClient, agent: LiveClient, subId: string, visitors: Visitor[], durationS: number, send: Sender = sendAsVisitor): Promise<Omit<IngestResult, 'serverCpuMsPerMsg' | 'loadCpuMsPerMsg'>> => {
  const watch = new DeliveryWatch(agent, subId);
  const ackLat: number[] = [];
  let acked = 0;
  let failed = 0;
  const started = performance.now();
  const end = started + durationS * 1000;
  await Promise.all(
    visitors.map(async (v) => {
      while (performance.now() < end) {
        const seq = ++v.seq;
        const at = performance.now();
        watch.expect(v.index, seq, at);
        const res = await send(http, v, textOf(v, seq), `b-${v.index}-${seq}`).catch(() => null);
        if (res?.status === 200) {
          acked++;
          ackLat.push(performance.now() - at);
        } else {
          failed++;
          if (failed < 5) console.error('  ingest send failed:', res?.status, JSON.stringify(res?.body).slice(0, 300));
          watch.settleFailed(v.index, seq);
        }
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  await watch.drain(5000);
  watch.stop();
  return {
    mode: 'closed',
    durationS: elapsed,
    visitors: visitors.length,
    offeredRate: null,
    dropped: 0,
    acked,
    delivered: watch.delivered,
    failed,
    lost: watch.outstanding(),
    rate: acked / elapsed,
    latency: summarise(watch.latencies),
    ackLatency: summarise(ackLat),
  };
};

/**
 * Open loop at `rate` msg/s: sends are scheduled on the clock, not on the
 * previous answer, and latency counts from the scheduled time, so a server
 * that falls behind shows it (no coordinated omission).
 */
export const ingestOpen = async (http: HttpClient, agent: LiveClient, subId: string, visitors: Visitor[], rate: number, durationS: number, send: Sender = sendAsVisitor): Promise<Omit<IngestResult, 'serverCpuMsPerMsg' | 'loadCpuMsPerMsg'>> => {
  const watch = new DeliveryWatch(agent, subId);
  const ackLat: number[] = [];
  let acked = 0;
  let failed = 0;
  const idle = [...visitors];
  const backlog: number[] = [];
  const started = performance.now();
  const total = Math.floor(rate * durationS);
  let scheduled = 0;
  const inflight = new Set<Promise<void>>();

  const launch = (v: Visitor, intended: number): void => {
    const seq = ++v.seq;
    watch.expect(v.index, seq, intended);
    const p = send(http, v, textOf(v, seq), `o-${v.index}-${seq}`)
      .catch(() => null)
      .then((res) => {
        if (res?.status === 200) {
          acked++;
          ackLat.push(performance.now() - intended);
        } else {
          failed++;
          watch.settleFailed(v.index, seq);
        }
        inflight.delete(p);
        const next = backlog.shift();
        if (next !== undefined) launch(v, next);
        else idle.push(v);
      });
    inflight.add(p);
  };

  while (scheduled < total) {
    const now = performance.now();
    const due = Math.min(total, Math.floor(((now - started) / 1000) * rate));
    for (; scheduled < due; scheduled++) backlog.push(started + (scheduled / rate) * 1000);
    while (backlog.length > 0 && idle.length > 0) launch(idle.shift()!, backlog.shift()!);
    await sleep(1);
  }
  // The loop is bounded in time too: what is still queued when the window closes is never sent.
  const end = started + durationS * 1000;
  while (backlog.length > 0 && performance.now() < end) await sleep(5);
  const dropped = backlog.splice(0).length;
  while (inflight.size > 0) await Promise.race([...inflight, sleep(50)]);
  const elapsed = (performance.now() - started) / 1000;
  await watch.drain(5000);
  watch.stop();
  return {
    mode: 'open',
    durationS: elapsed,
    visitors: visitors.length,
    offeredRate: rate,
    acked,
    delivered: watch.delivered,
    failed,
    lost: watch.outstanding(),
    dropped,
    rate: acked / elapsed,
    latency: summarise(watch.latencies),
    ackLatency: summarise(ackLat),
  };
};
