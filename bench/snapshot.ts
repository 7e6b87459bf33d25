import { performance } from 'node:perf_hooks';
import { figure, type Figure } from './report.ts';
import type { LiveClient } from './support/live.ts';
import { sleep } from './support/pool.ts';
import { median, round } from './support/stats.ts';

export interface SnapshotResult {
  figures: Figure[];
  sections: string[];
  /** Server CPU per subscription (the whole snapshot: query, frame, writes), when the server's CPU can be read. */
  serverCpuMs: number | null;
}

/**
 * `queue_snapshot_ms_10k`: a supervisor (Suporte + Financeiro) subscribes to
 * `tickets.waiting` with `limit: 10000`, timed from sending the subscribe
 * frame to receiving the whole `snapshot` frame (the receive time is taken
 * before the text is decoded and parsed). Five subscriptions one after
 * another; the figure is their median.
 */
export const queueSnapshot = async (sup: LiveClient, expected: number, log: (...args: unknown[]) => void, serverCpuMs?: () => number): Promise<SnapshotResult> => {
  const ms = (x: number) => `${round(x, 1)} ms`;
  const times: number[] = [];
  let docs = 0;
  const rounds = Number(process.env.BENCH_SNAPSHOT_ROUNDS ?? 5);
  let cpu = 0;
  for (let i = 0; i < rounds; i++) {
    const id = `queue-${i}`;
    const cpu0 = serverCpuMs?.() ?? 0;
    const sent = performance.now();
    const got = sup.waitFor((m) => (m.type === 'snapshot' && m.id === id ? m.docs.length : undefined), 30_000);
    sup.subscribe(id, 'tickets.waiting', { sectorIds: ['suporte', 'financeiro'], limit: 10_000 });
    const { value, at } = await got;
    cpu += (serverCpuMs?.() ?? 0) - cpu0;
    times.push(at - sent);
    docs = value;
    sup.unsubscribe(id);
    await sleep(200);
  }
  const serverCpu = serverCpuMs ? cpu / rounds : null;
  log(`  snapshot of ${docs} tickets: ${times.map((t) => ms(t)).join(', ')}${serverCpu === null ? '' : `; server CPU ${ms(serverCpu)} per snapshot`}`);
  return {
    figures: [figure('queue_snapshot_ms_10k', docs >= expected ? median(times) : null)],
    sections: [
      '## Queue snapshot',
      '',
      `A supervisor (Suporte + Financeiro) subscribes to \`tickets.waiting\` with \`limit: 10000\`; time from sending the subscribe frame to receiving the whole \`snapshot\` frame (${docs} tickets). ${rounds} subscriptions one after another; the figure is their median.`,
      '',
      `Runs: ${times.map((t) => ms(t)).join(', ')}.`,
      '',
    ],
    serverCpuMs: serverCpu,
  };
};
