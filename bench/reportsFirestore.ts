/**
 * `report_firestore_reads_30d`: the document reads the Relatórios screen
 * costs on Firestore when an admin opens the 30-day period of the same
 * operation as `report_ms_1y` (10 sectors × 20 agents, 3 channels, ≈ 2,740
 * tickets a day), counted on @firestore-emulator/server as Firestore bills
 * listeners: a listener's first snapshot costs its documents (at least one).
 *
 * The aggregates are written as the functions' Store writes them
 * (functions/src/store.ts): each day's document of a sector in
 * `STATS_SHARDS` shards `stats/{id}~{n}`, numbers as top-level `v_…` fields,
 * every shard busy (a real sector's day is written by thousands of ticket
 * events, spread over the shards); each month's as the scheduled roll-up
 * writes it (reports/rollup.ts): one shard holding its days up to the mark,
 * the day before yesterday, and the mark `counters/reports.rolledUpThrough`. Then the SPA's Firebase driver reads the mark and subscribes
 * to `stats.range` for each part of the period's plan (`periodPlan`, as
 * web/src/stores/reports.ts does) and for today (the live overview's row),
 * and the figure is the reads of those first snapshots. Run:
 * `npx tsx bench/reportsFirestore.ts` (prints JSON; `BENCH_ONLY=reports npm run bench` records it).
 */
import path from 'node:path';
import { deleteApp, initializeApp } from 'firebase/app';
import { connectFirestoreEmulator, getFirestore, terminate } from 'firebase/firestore';
import { addDays, localTime, periodPlan, reportOf, ROLLED_UP_COUNTER, rollableThrough, rollUpMarkValue, statsField, statsIds, type Stats, type User } from '@atende/core';
import { createFirebaseBackend, type AuthSession } from '../web/src/backend/firebase.ts';
import { STATS_SHARDS, statsShardId } from '../functions/src/store.ts';
import { PROJECT_ID, startEmulator } from '../functions/test/support/emulator.ts';
import { numbers, SECTORS, TICKETS_PER_DAY } from './reports.ts';

export interface ReportReads {
  reads: number;
  /** Reads by part of the plan (`day:+:2026-11-01..2026-11-03`), `mark` for the roll-up's mark, and `today` for the overview's row. */
  byPart: Record<string, number>;
  logicalDocuments: number;
  shards: number;
  tickets: number;
}

export const reportFirestoreReads = async (days = 30): Promise<ReportReads> => {
  const emulator = await startEmulator();
  const today = localTime(Date.now(), 'America/Sao_Paulo').date;
  const from = addDays(today, -(days - 1));
  // Two months of history before `from` as well: the plan may read whole months.
  const first = `${addDays(from, -62).slice(0, 7)}-01`;
  const perSector = TICKETS_PER_DAY / SECTORS;
  const docs: Stats[] = [];
  const months = new Map<string, string[]>();
  // Month documents hold their days up to the roll-up's mark (core reports/rollup.ts), as the scheduled tick leaves them.
  const rolledUpThrough = rollableThrough(today);
  for (let day = first; day <= today; day = addDays(day, 1)) {
    if (day <= rolledUpThrough) months.set(day.slice(0, 7), [...(months.get(day.slice(0, 7)) ?? []), day]);
    for (let s = 0; s < SECTORS; s++) docs.push({ id: statsIds.day(day, `sector-${s}`), period: 'day', key: day, sectorId: `sector-${s}`, v: numbers(perSector, s, [day]) });
  }
  for (const [month, ds] of months)
    for (let s = 0; s < SECTORS; s++) docs.push({ id: statsIds.month(month, `sector-${s}`), period: 'month', key: month, sectorId: `sector-${s}`, v: numbers(perSector * ds.length, s, ds) });
  // Every shard holds a share of every number (the sum is the document's).
  let writer = emulator.db.batch();
  let inBatch = 0;
  for (const doc of docs) {
    // A day is written by every ticket event (every shard busy); the roll-up writes a month whole, as one shard.
    const shards = doc.period === 'day' ? STATS_SHARDS : 1;
    for (let n = 0; n < shards; n++) {
      const fields: Record<string, unknown> = { id: doc.id, period: doc.period, key: doc.key, sectorId: doc.sectorId };
      for (const [k, v] of Object.entries(doc.v)) fields[statsField.encode(k)] = Math.floor(v / shards) + (n === 0 ? v % shards : 0);
      writer.set(emulator.db.collection('stats').doc(statsShardId(doc.id, n)), fields);
      if (++inBatch === 50) {
        await writer.commit();
        writer = emulator.db.batch();
        inBatch = 0;
      }
    }
  }
  if (inBatch > 0) await writer.commit();
  await emulator.db.collection('counters').doc(ROLLED_UP_COUNTER).set({ id: ROLLED_UP_COUNTER, value: rollUpMarkValue(rolledUpThrough) });

  // The admin who opens Relatórios (the driver reads its own users document at sign-in).
  const admin: User = { id: 'admin', name: 'Alice Admin', email: 'admin@atende.local', role: 'admin', sectorIds: [], presence: 'online', seesAllHistory: true, active: true, updatedAt: Date.now() };
  await emulator.db.collection('users').doc('admin').set(admin);
  const app = initializeApp({ projectId: PROJECT_ID, apiKey: 'bench' }, `bench-reports-${process.pid}`);
  const db = getFirestore(app);
  connectFirestoreEmulator(db, '127.0.0.1', emulator.port);
  const session: AuthSession = { uid: 'admin', claims: { role: 'admin', sectorIds: [], seesAllHistory: true } };
  const byPart: Record<string, number> = {};
  let current = '';
  const backend = createFirebaseBackend({
    app,
    db,
    auth: { current: async () => session, signIn: async () => session, signOut: async () => undefined, refresh: async () => session },
    call: () => Promise.reject(new Error('no commands in this bench')),
    meter: (_query, reads) => {
      byPart[current] = (byPart[current] ?? 0) + reads;
    },
  });
  await backend.signIn('admin@atende.local', 'x');
  const stops: (() => void)[] = [];
  try {
    // The roll-up's mark first (one document), as web/src/stores/reports.ts reads it.
    current = 'mark';
    const mark = await new Promise<number | undefined>((resolve, reject) => {
      stops.push(
        backend.subscribe('counters', { ids: [ROLLED_UP_COUNTER] }, (e) => {
          if (e.type === 'error') reject(new Error(e.error.message));
          else if (e.type === 'snapshot') resolve((e.docs as unknown as { value: number }[])[0]?.value);
        }),
      );
    });
    if (mark !== rollUpMarkValue(rolledUpThrough)) throw new Error(`the roll-up mark reads ${mark}`);
    const plan = periodPlan(from, today, { today, rolledUpThrough });
    const parts: { sign: number; docs: Stats[] }[] = [];
    // One listener at a time, so each first snapshot's reads are its part's.
    const read = (name: string, params: { period: 'day' | 'month'; from: string; to: string }) =>
      new Promise<Stats[]>((resolve, reject) => {
        current = name;
        const stop = backend.subscribe('stats.range', params, (e) => {
          if (e.type === 'error') reject(new Error(e.error.message));
          else if (e.type === 'snapshot') resolve(e.docs as unknown as Stats[]);
        });
        stops.push(stop);
      });
    for (const p of plan) parts.push({ sign: p.sign, docs: await read(`${p.period}:${p.sign > 0 ? '+' : '-'}:${p.from}..${p.to}`, { period: p.period, from: p.from, to: p.to }) });
    await read('today', { period: 'day', from: today, to: today });
    const report = reportOf(parts, { businessTime: false });
    const expected = Math.round(TICKETS_PER_DAY / SECTORS) * SECTORS * days;
    if (Math.abs(report.totals.created - expected) > expected * 0.02) throw new Error(`the 30 days hold ${report.totals.created} tickets, expected ≈ ${expected}`);
    const reads = Object.values(byPart).reduce((a, b) => a + b, 0);
    return { reads, byPart, logicalDocuments: parts.reduce((n, p) => n + p.docs.length, 0), shards: STATS_SHARDS, tickets: report.totals.created };
  } finally {
    for (const s of stops) s();
    await terminate(db);
    await deleteApp(app);
    await emulator.stop();
  }
};

if (process.argv[1] && import.meta.url.endsWith(path.basename(process.argv[1]))) {
  console.log(JSON.stringify(await reportFirestoreReads()));
  process.exit(0);
}
