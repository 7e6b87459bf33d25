import { execSync } from 'node:child_process';
import { cpus, totalmem } from 'node:os';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { round } from './support/stats.ts';

export interface Figure {
  name: string;
  value: number | null;
  unit: string;
  /** null: a reference figure, measured but not judged. */
  budget: number | null;
  better: 'higher' | 'lower';
}

export const FIGURE_NAMES = [
  'ingest_rate',
  'ingest_p99_ms',
  'ingest_ceiling_cpu_ms',
  'ingest_cpu_ratio',
  'whatsapp_ingest_rate',
  'whatsapp_ingest_p99_ms',
  'fanout_p99_ms_500',
  'queue_snapshot_ms_10k',
  'rss_mb_500_clients',
  'console_js_gzip_kb',
  'widget_js_gzip_kb',
  'startup_ms',
  'report_ms_1y',
  'report_firestore_reads_30d',
  'firestore_reads_per_ticket',
  'firestore_writes_per_ticket',
  'firestore_deletes_per_ticket',
  'console_first_card_ms_10k',
  'firebase_console_js_gzip_kb',
  'firebase_widget_js_gzip_kb',
] as const;
export type FigureName = (typeof FIGURE_NAMES)[number];

export const BUDGETS: Record<FigureName, Omit<Figure, 'name' | 'value'> & { label: string }> = {
  ingest_rate: { label: 'Ingestion, sustained 30 s', unit: 'msg/s', budget: 2000, better: 'higher' },
  ingest_p99_ms: { label: 'Ingestion p99, send → agent socket', unit: 'ms', budget: 50, better: 'lower' },
  // The reference, not a goal: a minimal server of the same parts, measured in the same run (bench/ceiling/).
  ingest_ceiling_cpu_ms: { label: 'Ceiling: CPU per message of a minimal Fastify + SQLite + ws server', unit: 'ms', budget: null, better: 'lower' },
  ingest_cpu_ratio: { label: 'Ingestion CPU per message ÷ the ceiling\'s', unit: '×', budget: 2, better: 'lower' },
  whatsapp_ingest_rate: { label: 'WhatsApp ingestion (signed webhooks), sustained', unit: 'msg/s', budget: 2000, better: 'higher' },
  whatsapp_ingest_p99_ms: { label: 'WhatsApp ingestion p99, webhook → agent socket', unit: 'ms', budget: 50, better: 'lower' },
  fanout_p99_ms_500: { label: 'Fan-out p99 to 500 clients', unit: 'ms', budget: 25, better: 'lower' },
  queue_snapshot_ms_10k: { label: 'Snapshot of 10,000 waiting tickets', unit: 'ms', budget: 200, better: 'lower' },
  rss_mb_500_clients: { label: 'Server RSS, 500 clients, 100k messages', unit: 'MB', budget: 300, better: 'lower' },
  console_js_gzip_kb: { label: 'Console initial JS (gzip)', unit: 'KB', budget: 200, better: 'lower' },
  widget_js_gzip_kb: { label: 'Widget JS (gzip)', unit: 'KB', budget: 30, better: 'lower' },
  report_ms_1y: { label: 'Period report over 365 days, 200 agents (≈1,000,000 tickets)', unit: 'ms', budget: 300, better: 'lower' },
  report_firestore_reads_30d: { label: 'Document reads of the 30-day report on Firestore (same operation)', unit: 'reads', budget: 2000, better: 'lower' },
  // Not in DESIGN §10: a ceiling so a slow start shows, not a promise.
  startup_ms: { label: 'Startup to /api/health 200, existing data dir', unit: 'ms', budget: 2000, better: 'lower' },
  // Issue 15 (bench/firebase.ts).
  firestore_reads_per_ticket: { label: 'Firestore reads per ticket life, 40 agents connected', unit: 'reads', budget: 100, better: 'lower' },
  firestore_writes_per_ticket: { label: 'Firestore writes per ticket life', unit: 'writes', budget: 30, better: 'lower' },
  // Billed apart from writes (Firestore's "document deletes"): measured, no budget in the issue.
  firestore_deletes_per_ticket: { label: 'Firestore deletes per ticket life', unit: 'deletes', budget: null, better: 'lower' },
  console_first_card_ms_10k: { label: 'Supervisor console, 10,000 waiting: navigation to the first card (Chromium)', unit: 'ms', budget: 800, better: 'lower' },
  firebase_console_js_gzip_kb: { label: 'Firebase console JS before the first screen (gzip)', unit: 'KB', budget: 250, better: 'lower' },
  firebase_widget_js_gzip_kb: { label: 'Firebase widget JS (gzip)', unit: 'KB', budget: 60, better: 'lower' },
};

export const verdict = (f: Figure): 'met' | 'missed' | 'not measured' | 'reference' =>
  f.value === null || Number.isNaN(f.value) ? 'not measured' : f.budget === null ? 'reference' : (f.better === 'higher' ? f.value >= f.budget : f.value <= f.budget) ? 'met' : 'missed';

export const figure = (name: FigureName, value: number | null, digits = 1): Figure => {
  const { unit, budget, better } = BUDGETS[name];
  return { name, value: value === null || Number.isNaN(value) ? null : round(value, digits), unit, budget, better };
};

const sh = (cmd: string): string => {
  try {
    return execSync(cmd, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return 'unknown';
  }
};

export const machine = () => ({
  nproc: Number(sh('nproc')) || cpus().length,
  cpu: cpus()[0]?.model ?? 'unknown',
  ramGb: round(totalmem() / 1024 ** 3, 1),
  node: process.version,
  load: sh('cat /proc/loadavg'),
});

export interface Report {
  figures: Figure[];
  /** Markdown sections after the table: the extras and notes of each phase. */
  sections: string[];
  startedAt: Date;
  durationS: number;
}

export const writeReport = (benchDir: string, report: Report): void => {
  const figures = FIGURE_NAMES.map((n) => report.figures.find((f) => f.name === n) ?? figure(n, null));
  // Figures other commands record (npm run eval:copilot) are kept, as is their section of RESULTS.md.
  const resultsFile = path.join(benchDir, 'results.json');
  const previous = existsSync(resultsFile) ? (JSON.parse(readFileSync(resultsFile, 'utf8')) as Figure[]) : [];
  const foreign = previous.filter((f) => !(FIGURE_NAMES as readonly string[]).includes(f.name));
  const mdFile = path.join(benchDir, 'RESULTS.md');
  const keptSections = existsSync(mdFile) ? (readFileSync(mdFile, 'utf8').match(/<!-- ([a-z]+):start[\s\S]*?<!-- \1:end -->/g) ?? []) : [];
  writeFileSync(resultsFile, JSON.stringify([...figures, ...foreign], null, 2) + '\n');
  const m = machine();
  const commit = sh('git rev-parse --short HEAD');
  const dirty = sh("git status --porcelain -- server core bench web/src ':!bench/RESULTS.md' ':!bench/results.json'") ? ' (with uncommitted changes)' : '';
  const rows = figures.map((f) => {
    const b = BUDGETS[f.name as FigureName];
    const sign = f.better === 'higher' ? '≥' : '≤';
    const v = verdict(f);
    const budget = f.budget === null ? '—' : `${sign} ${f.budget} ${f.unit}`;
    const mark = v === 'met' ? '✅ met' : v === 'missed' ? '❌ missed' : v === 'reference' ? 'reference' : '⚠️ not measured';
    return `| ${b.label} | \`${f.name}\` | ${f.value ?? '—'} ${f.unit} | ${budget} | ${mark} |`;
  });
  const md = [
    '# Benchmark results',
    '',
    'Written by `npm run bench` (bench/run.ts). Figures are measured, never asserted: rerun to refresh.',
    '',
    `- Date: ${report.startedAt.toISOString()} (run took ${Math.round(report.durationS)} s)`,
    `- Commit: ${commit}${dirty}`,
    `- Machine: ${m.nproc} CPU (${m.cpu}), ${m.ramGb} GB RAM, Node ${m.node}; load average at the end: ${m.load}`,
    '- Server and load generator share the machine (and, here, with other work): figures are for the whole box, loopback only.',
    '',
    '| Figure | Name | Value | Budget | |',
    '|---|---|---|---|---|',
    ...rows,
    '',
    ...report.sections,
    ...keptSections.flatMap((k) => ['', k]),
    // The analysis of what holds each figure back and what changed it, kept by hand beside the generated part.
    ...(existsSync(path.join(benchDir, 'notes.md')) ? ['', readFileSync(path.join(benchDir, 'notes.md'), 'utf8').trim()] : []),
    '',
  ].join('\n');
  writeFileSync(path.join(benchDir, 'RESULTS.md'), md);
};
