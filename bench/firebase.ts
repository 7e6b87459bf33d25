/**
 * The Firebase figures of `npm run bench` (issue 15): what a ticket's life
 * costs on Firestore with 40 agents connected (bench/firestore.ts) and the
 * Firebase build's JS (bench/support/firebaseBundles.ts).
 * `BENCH_ONLY=firebase npm run bench` measures only these and merges them
 * into bench/results.json and bench/RESULTS.md, keeping the other figures.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { firestoreTicketCost } from './firestore.ts';
import { figure, BUDGETS, verdict, type Figure, type FigureName } from './report.ts';
import { firebaseBundles } from './support/firebaseBundles.ts';
import { round } from './support/stats.ts';

export const FIREBASE_FIGURES = ['firestore_reads_per_ticket', 'firestore_writes_per_ticket', 'firestore_deletes_per_ticket', 'firebase_console_js_gzip_kb', 'firebase_widget_js_gzip_kb'] as const;

/** The Firestore cost of one ticket's life (bench/firestore.ts), as figures and the lines of RESULTS.md that explain them. */
export const firestorePhase = async (log: (...a: unknown[]) => void): Promise<{ figures: Figure[]; section: string[] }> => {
  const figures: Figure[] = [];
  const section: string[] = [];
  log('firebase: one ticket life with 40 agents connected, on @firestore-emulator/server');
  try {
    const cost = await firestoreTicketCost({ agents: 40 });
    figures.push(figure('firestore_reads_per_ticket', cost.reads, 0), figure('firestore_writes_per_ticket', cost.writes, 0), figure('firestore_deletes_per_ticket', cost.deletes, 0));
    log(`  ${cost.reads} reads (${cost.serverReads} by the functions' transactions, ${cost.listenerReads} by listeners), ${cost.writes} writes, ${cost.deletes} deletes`);
    section.push(
      `One standard ticket life (bot step, accept, 5 customer + 5 agent messages, a transfer, close) with ${cost.agents} agents of Suporte connected, each with the console's live queries (\`web/src/live/consolePlan.ts\`), counted on @firestore-emulator/server: **${cost.reads} reads** (${cost.serverReads} by the functions' transactions: documents asked of \`BatchGetDocuments\`, documents returned by \`RunQuery\`, at least one per query; ${cost.listenerReads} by listeners: the web SDK's first snapshot and later \`docChanges()\`, as Firestore bills them: a document removed because it was deleted is free), **${cost.writes} writes** (the sets, updates and creates of each \`Commit\`) and **${cost.deletes} deletes** (billed apart). How: bench/firestore.ts wraps the emulator's gRPC handlers (bench/support/firestoreMeter.ts) and meters the driver's snapshots.`,
      '',
      `- ${cost.agents - cost.simulated} consoles really connected (Ana, Carla, 2 more agents of Suporte); the other ${cost.simulated} are identical to an extra agent, whose ${cost.perExtraAgent} reads (the same for both extra agents, checked) are counted for each: the Node emulator re-sends every listener's results on every write, too slow for 40 real consoles.`,
      `- Listener reads of the connected consoles by query: ${Object.entries(cost.byQuery).map(([q, n]) => `\`${q}\` ${n}`).join(', ') || 'none'}`,
      `- The functions' reads by collection: ${Object.entries(cost.serverReadsBy).sort((a, b) => b[1] - a[1]).map(([q, n]) => `\`${q}\` ${n}`).join(', ') || 'none'}`,
      `- Writes by collection: ${Object.entries(cost.writesBy).sort((a, b) => b[1] - a[1]).map(([q, n]) => `\`${q}\` ${n}`).join(', ') || 'none'}`,
      `- Deletes by collection: ${Object.entries(cost.deletesBy).sort((a, b) => b[1] - a[1]).map(([q, n]) => `\`${q}\` ${n}`).join(', ') || 'none'}`,
      '',
    );
  } catch (e) {
    log(`  failed: ${(e as Error).message}`);
    section.push(`Firestore cost: not measured (${(e as Error).message}).`, '');
  }
  return { figures, section };
};

/** `BENCH_ONLY=firestore`: the block of RESULTS.md the Firestore cost owns (inside the Firebase section). */
export const FIRESTORE_BLOCK = 'firestore figures';

export const firebasePhase = async (log: (...a: unknown[]) => void): Promise<{ figures: Figure[]; section: string[] }> => {
  const cost = await firestorePhase(log);
  const figures: Figure[] = [...cost.figures];
  const section: string[] = ['## Firebase', '', `<!-- ${FIRESTORE_BLOCK} -->`, ...cost.section, `<!-- /${FIRESTORE_BLOCK} -->`, ''];
  const bundles = firebaseBundles();
  figures.push(figure('firebase_console_js_gzip_kb', bundles.console?.gzipKb ?? null), figure('firebase_widget_js_gzip_kb', bundles.widget?.gzipKb ?? null));
  log(`  Firebase bundles: console ${bundles.console ? round(bundles.console.gzipKb) : '—'} KB, widget ${bundles.widget ? round(bundles.widget.gzipKb) : '—'} KB`);
  section.push(
    "Firebase build (`npm run build:firebase`, a placeholder project): the console counts its entry with its static imports plus what the first screen awaits (the Firebase driver, Firebase Auth for the session restore, the Functions SDK for the file key the restore asks for); Firestore's SDK (`src/backend/firebaseData.ts`) is fetched when the driver starts and awaited only by the listeners, so it is not counted. The widget counts everything it loads but the English texts, App Check's SDK included (loaded only when the build has `VITE_FIREBASE_APPCHECK_SITE_KEY`).",
    '',
    ...[bundles.console, bundles.widget].map((b, i) =>
      b ? `- \`${b.page}\`: ${round(b.gzipKb)} KB gzip — ${b.files.map((f) => `\`${f.file}\` ${round(f.gzipBytes / 1024)} KB`).join(', ')}` : `- ${i === 0 ? 'console' : 'widget'}: not built${bundles.error ? ` (${bundles.error.split('\n').slice(-3).join(' ')})` : ''}`,
    ),
    '',
  );
  return { figures, section };
};

/** `BENCH_ONLY=firebase` (or `first-card`): these figures into the last full run's results.json and RESULTS.md, the rest kept; `block` names the section it owns. */
export const mergeFirebaseReport = (benchDir: string, figures: Figure[], section: string[], block = 'firebase figures', command = 'BENCH_ONLY=firebase npm run bench'): void => {
  const SECTION_START = `<!-- ${block} -->`;
  const SECTION_END = `<!-- /${block} -->`;
  const jsonPath = path.join(benchDir, 'results.json');
  const previous = existsSync(jsonPath) ? (JSON.parse(readFileSync(jsonPath, 'utf8')) as Figure[]) : [];
  const merged = [...previous.filter((f) => !figures.some((g) => g.name === f.name)), ...figures];
  writeFileSync(jsonPath, JSON.stringify(merged, null, 2) + '\n');
  const mdPath = path.join(benchDir, 'RESULTS.md');
  let md = existsSync(mdPath) ? readFileSync(mdPath, 'utf8') : '# Benchmark results\n\n| Figure | Name | Value | Budget | |\n|---|---|---|---|---|\n';
  for (const f of figures) {
    const b = BUDGETS[f.name as FigureName];
    const v = verdict(f);
    const mark = v === 'met' ? '✅ met' : v === 'missed' ? '❌ missed' : v === 'reference' ? 'reference' : '⚠️ not measured';
    const row = `| ${b.label} | \`${f.name}\` | ${f.value ?? '—'} ${f.unit} | ${f.budget === null ? '—' : `${f.better === 'higher' ? '≥' : '≤'} ${f.budget} ${f.unit}`} | ${mark} |`;
    const existing = new RegExp(`^\\| [^\\n]*\\| \`${f.name}\` \\|[^\\n]*$`, 'm');
    if (existing.test(md)) md = md.replace(existing, row);
    else {
      // After the table's last row.
      const lines = md.split('\n');
      let last = -1;
      lines.forEach((l, i) => {
        if (l.startsWith('| ') && last === i - 1) last = i;
        else if (l.startsWith('|---')) last = i;
      });
      lines.splice(last + 1, 0, row);
      md = lines.join('\n');
    }
  }
  const text = [SECTION_START, `_Measured by \`${command}\` on ${new Date().toISOString()}._`, '', ...section, SECTION_END].join('\n');
  // A full run's Firestore paragraph written before it had markers is replaced where it stands.
  const unmarked = /One standard ticket life[\s\S]*?\n- Writes by collection[^\n]*\n/;
  if (md.includes(SECTION_START)) md = md.replace(new RegExp(`${SECTION_START}[\\s\\S]*?${SECTION_END}`), text);
  else if (block === FIRESTORE_BLOCK && unmarked.test(md)) md = md.replace(unmarked, `${text}\n`);
  else md = `${md.trimEnd()}\n\n${text}\n`;
  writeFileSync(mdPath, md);
};
