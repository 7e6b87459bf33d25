import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { HttpClient } from '../support/http.ts';
import { LiveClient, liveUrl } from '../support/live.ts';
import { mapPool } from '../support/pool.ts';
import { startServer, type ServerProcess } from '../support/server.ts';
import { openVisitor, sendAsVisitor, type Visitor } from '../support/widget.ts';
import { ingestClosed, withCpu, type IngestResult } from '../ingest.ts';

/** Seconds of unmeasured closed loop before the ceiling's rounds. */
const WARM_UP_S = 5;

/** A server under the closed-loop ingestion, ready for another round. */
export interface IngestTarget {
  /** One closed loop of `seconds` with every visitor: rate, latencies and the server's CPU per message. */
  round(seconds: number): Promise<IngestResult>;
}

export const ingestTarget = (server: Pick<ServerProcess, 'cpuMs' | 'io'>, http: HttpClient, agent: LiveClient, subId: string, visitors: Visitor[]): IngestTarget => ({
  round: (seconds) => withCpu(server.cpuMs, () => ingestClosed(http, agent, subId, visitors, seconds), server.io),
});

/**
 * Starts the ceiling server (bench/ceiling/server.ts) as its own process,
 * with the same visitors (each with its first message sent) and agent socket
 * as Atende's ingestion, so the same closed loop drives both. Its CPU per
 * message, read from /proc/<pid>/stat, is what `ingest_cpu_ratio` divides by.
 */
export const startCeiling = async (work: string, visitorCount: number): Promise<IngestTarget & { stop(): Promise<void> }> => {
  const dataDir = path.join(work, 'ceiling');
  mkdirSync(dataDir, { recursive: true });
  const server = await startServer({ dataDir, logFile: path.join(work, 'ceiling.log'), script: 'bench/ceiling/server.ts' });
  const http = new HttpClient(server.origin, 128);
  let agent: LiveClient | null = null;
  const stop = async () => {
    agent?.close();
    http.close();
    await server.stop();
  };
  try {
    agent = await LiveClient.connect(liveUrl(server.origin));
    await agent.snapshot('waiting', 'tickets.waiting', { limit: 10_000 });
    const visitors = await mapPool(
      Array.from({ length: visitorCount }, (_, i) => i),
      16,
      (i) => openVisitor(http, 'site', i, 'Visitante'),
    );
    await mapPool(visitors, 16, async (v) => {
      const res = await sendAsVisitor(http, v, `bench ${v.index}:0 primeira mensagem`, `first-${v.index}`);
      if (res.status !== 200) throw new Error(`ceiling: first message: ${res.status} ${JSON.stringify(res.body)}`);
    });
    // Atende's process is warm from its main loop when the rounds start: the ceiling's gets as long to compile its hot path, unmeasured.
    await ingestClosed(http, agent, 'waiting', visitors, WARM_UP_S);
    return { ...ingestTarget(server, http, agent, 'waiting', visitors), stop };
  } catch (error) {
    await stop();
    throw error;
  }
};

/** Sums rounds: acknowledged messages, and CPU per message weighted by them. */
export const cpuOfRounds = (rounds: readonly IngestResult[]) => {
  const acked = rounds.reduce((s, r) => s + r.acked, 0);
  const cpu = rounds.reduce((s, r) => s + r.serverCpuMsPerMsg * Math.max(1, r.acked), 0);
  const seconds = rounds.reduce((s, r) => s + r.durationS, 0);
  const perMsg = (f: (r: IngestResult) => number | undefined) => rounds.reduce((s, r) => s + (f(r) ?? Number.NaN) * Math.max(1, r.acked), 0) / Math.max(1, acked);
  return {
    acked,
    failed: rounds.reduce((s, r) => s + r.failed, 0),
    lost: rounds.reduce((s, r) => s + r.lost, 0),
    cpuMsPerMsg: cpu / Math.max(1, acked),
    rate: acked / seconds,
    writeBytesPerMsg: perMsg((r) => r.serverWriteBytesPerMsg),
    writeCallsPerMsg: perMsg((r) => r.serverWriteCallsPerMsg),
  };
};
