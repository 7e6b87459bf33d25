/**
 * A/B of the web-chat ingest path's server CPU per message: two server bundles
 * side by side (each with its own fresh demo data dir, 32 visitors, an admin
 * socket on `tickets.waiting`, unmeasured warm-up), measured in alternating
 * closed-loop rounds whose order flips every round, so a change of the shared
 * machine's load falls on both.
 *
 *   AB_A=server/dist/base.mjs AB_B=server/dist/server.mjs AB_ROUNDS=6 node --import tsx bench/abIngest.ts
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DEMO_PASSWORD } from '@atende/core';
import { HttpClient } from './support/http.ts';
import { LiveClient, liveUrl } from './support/live.ts';
import { mapPool } from './support/pool.ts';
import { startServer, type ServerProcess } from './support/server.ts';
import { openVisitor, sendAsVisitor } from './support/widget.ts';
import { ingestClosed } from './ingest.ts';
import { ingestTarget, type IngestTarget } from './ceiling/measure.ts';

const scripts = { A: process.env.AB_A ?? 'server/dist/base.mjs', B: process.env.AB_B ?? 'server/dist/server.mjs' };
const ROUNDS = Number(process.env.AB_ROUNDS ?? 6);
const SECONDS = Number(process.env.AB_SECONDS ?? 5);
const VISITORS = 32;
const work = mkdtempSync(path.join(tmpdir(), 'atende-ab-'));
/** CPU ms of each thread of `pid` by thread name (/proc/<pid>/task/<tid>/stat; the main thread is its own tid). */
const threadCpu = (pid: number): Map<string, number> => {
  const by = new Map<string, number>();
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
      const name = Number(tid) === pid ? 'main' : stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      by.set(name, (by.get(name) ?? 0) + (Number(f[11]) + Number(f[12])) * 10);
    } catch {
      // the thread ended
    }
  }
  return by;
};
const loadavg = () => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');

const PROFILE = process.env.AB_PROFILE;
const prepare = async (name: string, script: string, profileDir?: string): Promise<{ server: ServerProcess; target: IngestTarget; close(): Promise<void> }> => {
  const dataDir = path.join(work, name);
  mkdirSync(dataDir);
  const server = await startServer({ dataDir, ...(!script.includes('ceiling') && { seed: 'demo' as const }), logFile: path.join(work, `${name}.log`), script, ...(profileDir && { profileDir }) });
  const admin = new HttpClient(server.origin, 8);
  if (!script.includes('ceiling')) await admin.login('admin@atende.local', DEMO_PASSWORD);
  const agent = await LiveClient.connect(liveUrl(server.origin), admin.cookie);
  await agent.snapshot('waiting', 'tickets.waiting', { limit: 10_000 });
  const http = new HttpClient(server.origin, 128);
  const visitors = await mapPool(Array.from({ length: VISITORS }, (_, i) => i), 16, (i) => openVisitor(http, 'site', i, 'Visitante'));
  await mapPool(visitors, 16, async (v) => {
    const res = await sendAsVisitor(http, v, `bench ${v.index}:0 primeira mensagem`, `first-${v.index}`);
    if (res.status !== 200) throw new Error(`first message: ${res.status}`);
  });
  await ingestClosed(http, agent, 'waiting', visitors, 8);
  return {
    server,
    target: ingestTarget(server, http, agent, 'waiting', visitors),
    async close() {
      agent.close();
      http.close();
      admin.close();
      await server.stop();
    },
  };
};

if (process.env.AB_PERF) {
  // AB_PERF=<file>: B alone, sampled by perf (native and kernel frames) during AB_ROUNDS rounds.
  const { spawn } = await import('node:child_process');
  const p = await prepare('B', scripts.B);
  const perf = process.env.AB_STRACE ? spawn('strace', ['-c', '-f', '-p', String(p.server.pid), '-o', process.env.AB_PERF], { stdio: 'inherit' }) : spawn('perf', ['record', '-F', '999', '-g', '-p', String(p.server.pid), '-o', process.env.AB_PERF], { stdio: 'inherit' });
  for (let r = 0; r < ROUNDS; r++) {
    const res = await p.target.round(SECONDS);
    console.log(`perf round ${r + 1}: ${Math.round(res.rate)} msg/s, ${(res.serverCpuMsPerMsg * 1000).toFixed(1)} µs CPU/msg, load ${loadavg()}`);
  }
  perf.kill('SIGINT');
  await new Promise((r) => perf.once('exit', r));
  await p.close();
  process.exit(0);
}
if (PROFILE) {
  // AB_PROFILE=<dir>: B alone under --cpu-prof for AB_ROUNDS rounds (the profile is written when it stops).
  const p = await prepare('B', scripts.B, PROFILE);
  for (let r = 0; r < ROUNDS; r++) {
    const t0 = threadCpu(p.server.pid);
    const res = await p.target.round(SECONDS);
    const t1 = threadCpu(p.server.pid);
    console.log([...t1].map(([k, v]) => `${k} ${(((v - (t0.get(k) ?? 0)) * 1000) / res.acked).toFixed(1)}`).join(', '), 'µs/msg by thread');
    console.log(`profiled round ${r + 1}: ${Math.round(res.rate)} msg/s, ${(res.serverCpuMsPerMsg * 1000).toFixed(1)} µs CPU/msg, load ${loadavg()}`);
  }
  await p.close();
  process.exit(0);
}
const a = await prepare('A', scripts.A);
const b = await prepare('B', scripts.B);
const cpu: Record<'A' | 'B', number[]> = { A: [], B: [] };
try {
  for (let r = 0; r < ROUNDS; r++) {
    const order = r % 2 === 0 ? (['A', 'B'] as const) : (['B', 'A'] as const);
    for (const k of order) {
      const t0 = threadCpu((k === 'A' ? a : b).server.pid);
      const res = await (k === 'A' ? a : b).target.round(SECONDS);
      const t1 = threadCpu((k === 'A' ? a : b).server.pid);
      if (process.env.AB_THREADS) console.log([...t1].map(([n, v]) => `${n} ${(((v - (t0.get(n) ?? 0)) * 1000) / res.acked).toFixed(1)}`).join(', '), 'µs/msg by thread');
      if (res.failed || res.lost) console.log(`  ${k}: failed ${res.failed}, lost ${res.lost}`);
      cpu[k].push(res.serverCpuMsPerMsg);
      console.log(`round ${r + 1} ${k} (${scripts[k]}): ${Math.round(res.rate)} msg/s, ${(res.serverCpuMsPerMsg * 1000).toFixed(1)} µs CPU/msg, load ${loadavg()}`);
    }
  }
} finally {
  await a.close();
  await b.close();
}
const mean = (x: number[]) => x.reduce((s, v) => s + v, 0) / x.length;
const med = (x: number[]) => [...x].sort((p, q) => p - q)[Math.floor(x.length / 2)]!;
for (const k of ['A', 'B'] as const) console.log(`${k} ${scripts[k]}: mean ${(mean(cpu[k]) * 1000).toFixed(1)} µs, median ${(med(cpu[k]) * 1000).toFixed(1)} µs`);
console.log(`B/A: mean ${(mean(cpu.B) / mean(cpu.A)).toFixed(3)}, median ${(med(cpu.B) / med(cpu.A)).toFixed(3)}`);
