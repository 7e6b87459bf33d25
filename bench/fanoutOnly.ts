import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { DEMO_PASSWORD } from '@atende/core';
import { fanoutPhase } from './fanoutPhase.ts';
import type { Figure } from './report.ts';
import { countMessages } from './support/dataDir.ts';
import { addHistory } from './support/history.ts';
import { HttpClient } from './support/http.ts';
import { LiveClient, liveUrl } from './support/live.ts';
import { mapPool } from './support/pool.ts';
import { buildServerBundle, SERVER_BUNDLE_PATH, startServer, type ServerProcess } from './support/server.ts';
import { round } from './support/stats.ts';
import { openVisitor, sendAsVisitor } from './support/widget.ts';
import { queueSnapshot } from './snapshot.ts';

export interface FanoutOnlyConfig {
  queueTickets: number;
  storedMessages: number;
  sizes: readonly number[];
  messages: number;
  profileDir?: string;
  /** `snapshot` (BENCH_ONLY=snapshot): only the queue snapshot, on the same data dir. */
  phase?: 'fanout' | 'snapshot';
}

/**
 * BENCH_ONLY=fanout: `fanout_p99_ms_500` and `rss_mb_500_clients` without the
 * ingestion phases (BENCH_ONLY=snapshot: `queue_snapshot_ms_10k` alone). The data dir is made as the whole run makes it (the demo,
 * waiting tickets opened through the widget, older history added while the
 * server is stopped) — or copied from BENCH_DATA when that directory already
 * holds one (a run with BENCH_DATA set and empty fills it), so A/B rounds
 * start from the same bytes. The figures are taken on the process started
 * on that data, as in the whole run.
 */
export const fanoutOnly = async (log: (...args: unknown[]) => void, cfg: FanoutOnlyConfig): Promise<{ figures: Figure[]; sections: string[] }> => {
  const work = mkdtempSync(path.join(tmpdir(), 'atende-bench-fanout-'));
  const dataDir = path.join(work, 'data');
  const logFile = path.join(work, 'server.log');
  const cache = process.env.BENCH_DATA;
  const clients: HttpClient[] = [];
  const sockets: LiveClient[] = [];
  let server: ServerProcess | null = null;
  try {
    if (cache && existsSync(cache) && readdirSync(cache).some((f) => f.endsWith('.db'))) {
      cpSync(cache, dataDir, { recursive: true });
      log(`data dir copied from ${cache}`);
    } else {
      mkdirSync(dataDir);
      server = await startServer({ dataDir, seed: 'demo', logFile });
      const widget = new HttpClient(server.origin, 64);
      clients.push(widget);
      const t = performance.now();
      await mapPool(
        Array.from({ length: cfg.queueTickets }, (_, i) => i),
        32,
        async (i) => {
          const v = await openVisitor(widget, 'site', i, 'Cliente');
          const res = await sendAsVisitor(widget, v, `Olá, sou o cliente ${i} e preciso de ajuda`, `q-${i}`);
          if (res.status !== 200) throw new Error(`queue seed: ${res.status} ${JSON.stringify(res.body)}`);
        },
      );
      log(`${cfg.queueTickets} waiting tickets opened through the widget in ${round((performance.now() - t) / 1000)} s`);
      await server.stop();
      server = null;
      const adding = cfg.storedMessages - countMessages(dataDir);
      if (adding > 0) await addHistory(dataDir, adding);
      if (cache) cpSync(dataDir, cache, { recursive: true });
    }
    const stored = countMessages(dataDir);
    // The snapshot is taken on the bundle `npm start` runs, as in the whole run (BENCH_SOURCES=1 or a profile: the sources);
    // the fan-out and memory figures on the sources through tsx, as the whole run's restarted server.
    const bundle = cfg.phase === 'snapshot' && process.env.BENCH_SOURCES !== '1' && !cfg.profileDir;
    if (bundle) buildServerBundle();
    server = await startServer({ dataDir, logFile, ...(cfg.profileDir && { profileDir: cfg.profileDir }), ...(bundle && { script: SERVER_BUNDLE_PATH }) });
    log(`server pid ${server.pid} on ${server.origin} (${stored} messages stored), started in ${round(server.startupMs)} ms`);
    const origin = server.origin;
    const session = async (uid: string) => {
      const c = new HttpClient(origin, 8);
      await c.login(`${uid}@atende.local`, DEMO_PASSWORD);
      clients.push(c);
      return c;
    };
    const socket = async (c: HttpClient) => {
      const s = await LiveClient.connect(liveUrl(origin), c.cookie);
      sockets.push(s);
      return s;
    };
    if (cfg.phase === 'snapshot') return await queueSnapshot(await socket(await session('supervisor')), Math.min(10_000, cfg.queueTickets), log, server.cpuMs);
    // The watched thread has a full page (100 lines) of its own, as a ticket of the ingestion phase would.
    const widget = new HttpClient(origin, 8);
    clients.push(widget);
    const visitor = await openVisitor(widget, 'site', 0, 'Fan-out');
    for (let i = 0; i < 120; i++) {
      const res = await sendAsVisitor(widget, visitor, `mensagem ${i} do cliente`, `fan-seed-${i}`);
      if (res.status !== 200) throw new Error(`widget message: ${res.status} ${JSON.stringify(res.body)}`);
      visitor.ticketId = res.body.ticketId;
    }
    const ana = await session('ana');
    return await fanoutPhase({
      server,
      session,
      socket,
      sockets,
      ana,
      ticketId: visitor.ticketId!,
      sizes: cfg.sizes,
      messages: cfg.messages,
      stored: countMessages(dataDir),
      throughHttp: null,
      queueTickets: cfg.queueTickets,
      residualRss: null,
      log,
    });
  } finally {
    for (const s of sockets) s.close();
    for (const c of clients) c.close();
    if (server) await server.stop();
    rmSync(work, { recursive: true, force: true });
  }
};
