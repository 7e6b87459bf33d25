/**
 * `report_ms_1y`: the period report over 365 days of a 200-agent operation
 * (10 sectors × 20 agents, 3 channels, ≈ 2,740 tickets a day: ≈ 1,000,000
 * tickets' worth of aggregates) on the embedded server. Aggregate documents
 * with the key set the commands write (core reports/aggregate.ts) are stored
 * straight into the SQLite file; then, as the Relatórios screen does, an
 * admin socket subscribes to `stats.range` for the period's plan (months
 * inside it, days at its ends) and the report is built with core's
 * `reportOf`. The figure is the median wall time from the subscriptions
 * to the built report, over 5 rounds. Run: `npx tsx bench/reports.ts`
 * (prints JSON; `npm run bench` records it).
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import Database from 'better-sqlite3';
import { addDays, DEMO_PASSWORD, localTime, periodPlan, reportOf, ROLLED_UP_COUNTER, rollableThrough, rollUpMarkValue, statsIds, type Stats } from '@atende/core';
import { HttpClient } from './support/http.ts';
import { LiveClient, liveUrl } from './support/live.ts';
import { startServer } from './support/server.ts';
import { DocumentRows } from '../server/src/db/rows.ts';

export const SECTORS = 10;
const AGENTS_PER_SECTOR = 20;
const CHANNELS = ['site', 'whatsapp', 'instagram'];
export const TICKETS_PER_DAY = 2740;

let seed = 7;
const rand = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
const int = (n: number) => Math.floor(rand() * n);

/** One sector's numbers for a period that saw `tickets` tickets (a day, or a month of days). */
export const numbers = (tickets: number, sector: number, days: string[]): Record<string, number> => {
  const v: Record<string, number> = {};
  const add = (k: string, n: number) => (v[k] = (v[k] ?? 0) + n);
  for (const c of CHANNELS) {
    const n = Math.max(1, Math.round(tickets / CHANNELS.length));
    for (const m of ['created', 'queued', 'accepted', 'closed', 'surveys']) add(`c|${c}|${m}`, n);
    add(`c|${c}|abandoned`, Math.round(n * 0.05));
    add(`c|${c}|transfers`, Math.round(n * 0.08));
    add(`c|${c}|rated`, Math.round(n * 0.3));
    add(`c|${c}|good`, Math.round(n * 0.22));
    add(`c|${c}|score_s`, Math.round(n * 1.3));
    for (const d of ['tme', 'tmr', 'tma', 'res']) {
      add(`c|${c}|${d}_n`, n);
      add(`c|${c}|${d}_s`, n * 300_000);
      add(`c|${c}|${d}_b`, n * 200_000);
      for (let b = 3; b < 16; b++) {
        add(`c|${c}|${d}_h${b}`, 1 + int(n / 8));
        add(`c|${c}|${d}_g${b}`, 1 + int(n / 8));
      }
    }
    for (const m of ['slaf_n', 'slaf_ok', 'slar_n', 'slar_ok']) add(`c|${c}|${m}`, n);
  }
  for (let a = 0; a < AGENTS_PER_SECTOR; a++) {
    const agent = `agent-${sector}-${a}`;
    const n = Math.round(tickets / AGENTS_PER_SECTOR);
    for (const m of ['accepted', 'closed', 'transfers', 'tmr_n', 'tma_n', 'rated', 'good', 'surveys']) add(`a|${agent}|${m}`, n);
    for (const m of ['tmr_s', 'tmr_b', 'tma_s', 'tma_b']) add(`a|${agent}|${m}`, n * 400_000);
    add(`a|${agent}|online_ms`, days.length * 8 * 3_600_000);
    add(`a|${agent}|paused_ms`, days.length * 3_600_000);
  }
  for (let h = 0; h < 24; h++) {
    const hh = String(h).padStart(2, '0');
    add(`h|${hh}|created`, Math.round(tickets / 24));
    add(`h|${hh}|closed`, Math.round(tickets / 24));
  }
  for (const day of days) {
    const wd = new Date(`${day}T00:00:00Z`).getUTCDay();
    for (let h = 8; h < 20; h++) add(`w|${wd}|${String(h).padStart(2, '0')}`, Math.round(tickets / days.length / 12));
    add(`d|${day.slice(8, 10)}|created`, Math.round(tickets / days.length));
    add(`d|${day.slice(8, 10)}|closed`, Math.round(tickets / days.length));
  }
  for (let k = 0; k < 8; k++) {
    add(`k|class-${k}|closed`, Math.round(tickets / 8));
    add(`k|class-${k}|tma_n`, Math.round(tickets / 8));
    add(`k|class-${k}|tma_s`, Math.round(tickets / 8) * 400_000);
  }
  for (let t = 0; t < 6; t++) add(`t|tag-${t}|closed`, Math.round(tickets / 20));
  return v;
};

const findDatabase = (dir: string): string => path.join(dir, readdirSync(dir).find((f) => /\.(db|sqlite|sqlite3)$/.test(f))!);

export const reportBench = async (rounds = 5): Promise<{ reportMs: number; snapshotMs: number; documents: number; keys: number; tickets: number }> => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'atende-bench-reports-'));
  const logFile = path.join(tmpdir(), `atende-bench-reports-${process.pid}.log`);
  try {
    // 1. A demo workspace, then a year of aggregates written into its file.
    let server = await startServer({ dataDir, seed: 'demo', logFile });
    await server.stop();
    const today = localTime(Date.now(), 'America/Sao_Paulo').date;
    const from = addDays(today, -364);
    const db = new Database(findDatabase(dataDir));
    // Through the store's own row writer, so the columns its indexes read (server/src/db/columns.ts) are filled too.
    const rows = new DocumentRows(db);
    const insert = { run: (id: string, parentId: string, text: string) => rows.write({ collection: 'stats', id, parentId }, text, null, JSON.parse(text)) };
    const perSector = TICKETS_PER_DAY / SECTORS;
    // Month documents hold their days up to the roll-up's mark (core reports/rollup.ts), as the scheduled tick leaves them.
    const rolledUpThrough = rollableThrough(today);
    db.transaction(() => {
      const months = new Map<string, string[]>();
      for (let day = from; day <= today; day = addDays(day, 1)) {
        if (day <= rolledUpThrough) months.set(day.slice(0, 7), [...(months.get(day.slice(0, 7)) ?? []), day]);
        for (let s = 0; s < SECTORS; s++) {
          const doc: Stats = { id: statsIds.day(day, `sector-${s}`), period: 'day', key: day, sectorId: `sector-${s}`, v: numbers(perSector, s, [day]) };
          insert.run(doc.id, '', JSON.stringify(doc));
        }
      }
      for (const [month, days] of months)
        for (let s = 0; s < SECTORS; s++) {
          const doc: Stats = { id: statsIds.month(month, `sector-${s}`), period: 'month', key: month, sectorId: `sector-${s}`, v: numbers(perSector * days.length, s, days) };
          insert.run(doc.id, '', JSON.stringify(doc));
        }
      // The demo seed holds a mark already: a write whose `before` is null is an INSERT (server/src/db/rows.ts).
      db.prepare("DELETE FROM counters WHERE id = ? AND parent_id = ''").run(ROLLED_UP_COUNTER);
      rows.write({ collection: 'counters', id: ROLLED_UP_COUNTER, parentId: '' }, JSON.stringify({ id: ROLLED_UP_COUNTER, value: rollUpMarkValue(rolledUpThrough) }), null, { id: ROLLED_UP_COUNTER, value: rollUpMarkValue(rolledUpThrough) });
    })();
    db.close();

    // 2. The server again; an admin reads the year as Relatórios does.
    server = await startServer({ dataDir, logFile, ...(process.env.REPORT_PROFILE_DIR ? { profileDir: process.env.REPORT_PROFILE_DIR } : {}) });
    const http = new HttpClient(server.origin);
    await http.login('admin@atende.local', DEMO_PASSWORD);
    const live = await LiveClient.connect(liveUrl(server.origin), http.cookie);
    const times: number[] = [];
    const snapshotMs: number[] = [];
    let documents = 0;
    let keys = 0;
    for (let r = 0; r < rounds; r++) {
      const t0 = performance.now();
      // As Relatórios does: the roll-up's mark first, then the period's plan.
      const [mark] = (await live.snapshot(`m${r}`, 'counters', { ids: [ROLLED_UP_COUNTER] }, 30_000)) as unknown as { value: number }[];
      live.unsubscribe(`m${r}`);
      if (mark?.value !== rollUpMarkValue(rolledUpThrough)) throw new Error(`the roll-up mark reads ${mark?.value}`);
      const plan = periodPlan(from, today, { today, rolledUpThrough });
      const parts = await Promise.all(plan.map((p, i) => live.snapshot(`r${r}-${i}`, 'stats.range', { period: p.period, from: p.from, to: p.to }, 30_000)));
      const t1 = performance.now();
      snapshotMs.push(t1 - t0);
      const report = reportOf(plan.map((p, i) => ({ sign: p.sign, docs: parts[i] as unknown as Stats[] })), { businessTime: r % 2 === 1 });
      times.push(performance.now() - t0);
      const docs = parts.flat() as unknown as Stats[];
      documents = docs.length;
      keys = docs.reduce((n, d) => n + Object.keys(d.v).length, 0);
      if (report.totals.created < 900_000) throw new Error(`the year holds ${report.totals.created} tickets, expected ≈ 1,000,000`);
      plan.forEach((_, i) => live.unsubscribe(`r${r}-${i}`));
    }
    live.socket.close();
    await server.stop();
    times.sort((a, b) => a - b);
    snapshotMs.sort((a, b) => a - b);
    const mid = (xs: number[]) => Math.round(xs[Math.floor(xs.length / 2)]! * 10) / 10;
    return { reportMs: mid(times), snapshotMs: mid(snapshotMs), documents, keys, tickets: TICKETS_PER_DAY * 365 };
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
};

if (process.argv[1] && import.meta.url.endsWith(path.basename(process.argv[1]))) {
  console.log(JSON.stringify(await reportBench()));
}
