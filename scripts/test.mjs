#!/usr/bin/env node
// `npm test`: every suite that can run here, one after the other, then one
// table and one closing line `N passed, N failed[, N skipped]`.
//
// To add a suite, append to SUITES: a name, `prepare()` (optional: return
// {skip: reason} or {fail: reason} to not run it, or throw), `command(reportFile)`
// → {cmd, args, env}, and `parse(reportText)` → {passed, failed, skipped:[{name, reason}], problems:[]}.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureWebBuild } from './start.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bin = (name) => join(root, 'node_modules/.bin', name);
const inCI = process.env.CI === 'true' || process.env.CI === '1';
// Debian's Chromium; CHROMIUM_PATH points elsewhere on other machines (playwright.config.ts reads it too).
const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
// A suite normally takes 5–12 minutes here; the limit only stops one that hangs.
const SUITE_TIMEOUT_MS = 40 * 60_000;

const parseVitest = (text) => {
  const report = JSON.parse(text);
  const count = (state) => report.tests.filter((t) => t.state === state).length;
  const problems = [
    ...report.brokenModules.map((m) => `${m.file}: ${m.errors[0] ?? 'failed to load'}`),
    ...report.unhandledErrors.map((e) => `unhandled error: ${e}`),
  ];
  if (report.reason === 'interrupted') problems.push('the run was interrupted');
  return {
    passed: count('passed'),
    failed: count('failed') + report.brokenModules.length + report.unhandledErrors.length,
    skipped: report.tests
      .filter((t) => t.state === 'skipped')
      .map((t) => ({ name: t.name, reason: t.note ?? 'no reason given' })),
    problems,
  };
};

const parsePlaywright = (text) => {
  const report = JSON.parse(text);
  const result = { passed: 0, failed: 0, skipped: [], problems: [] };
  const walk = (suite, titles) => {
    const here = suite.title ? [...titles, suite.title] : titles;
    for (const spec of suite.specs ?? []) {
      for (const test of spec.tests ?? []) {
        const name = [...here, spec.title].join(' › ');
        if (test.status === 'expected' || test.status === 'flaky') result.passed++;
        else if (test.status === 'skipped') {
          const note = (test.annotations ?? []).find((a) => a.type === 'skip' || a.type === 'fixme');
          result.skipped.push({ name, reason: note?.description || 'no reason given (test.skip without a description)' });
        } else result.failed++;
      }
    }
    for (const child of suite.suites ?? []) walk(child, here);
  };
  for (const suite of report.suites ?? []) walk(suite, []);
  // Errors outside tests: the web server did not start, a spec failed to load…
  for (const error of report.errors ?? []) {
    result.failed++;
    result.problems.push((error.message ?? String(error)).split('\n')[0]);
  }
  return result;
};

/** @type {Array<{name: string, prepare?: () => ({skip?: string, fail?: string} | void), command: (report: string) => {cmd: string, args: string[], env?: Record<string,string>}, parse: (text: string) => any}>} */
const SUITES = [
  {
    name: 'unit (vitest)',
    command: (report) => ({
      cmd: bin('vitest'),
      args: ['run', '--reporter=default', `--reporter=${join(root, 'scripts/vitest-results-reporter.mjs')}`],
      env: { ATENDE_VITEST_RESULTS: report },
    }),
    parse: parseVitest,
  },
  {
    name: 'e2e (playwright)',
    prepare: () => {
      if (!existsSync(CHROMIUM)) {
        const reason = `${CHROMIUM} is missing (apt-get install chromium, or run .ci/run)`;
        return inCI ? { fail: reason } : { skip: reason };
      }
      if (!ensureWebBuild()) return { fail: 'the web build failed' };
    },
    command: (report) => ({ cmd: bin('playwright'), args: ['test'], env: { E2E_JSON_REPORT: report } }),
    parse: parsePlaywright,
  },
];

let interrupted = false;

const run = ({ cmd, args, env }) =>
  new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env }, detached: true });
    const timer = setTimeout(() => {
      console.error(`[test] ${cmd} ran past ${SUITE_TIMEOUT_MS / 60_000} minutes; stopping it`);
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        /* already gone */
      }
    }, SUITE_TIMEOUT_MS);
    // Ctrl-C reaches the child's own process group only through us.
    const forward = (signal) => {
      interrupted = true;
      try {
        process.kill(-child.pid, signal);
      } catch {
        /* already gone */
      }
    };
    process.on('SIGINT', forward);
    process.on('SIGTERM', forward);
    child.on('error', (error) => {
      clearTimeout(timer);
      resolve({ code: null, error });
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      process.off('SIGINT', forward);
      process.off('SIGTERM', forward);
      resolve({ code, signal });
    });
  });

const tmp = mkdtempSync(join(tmpdir(), 'atende-test-'));
const rows = [];
for (const [index, suite] of SUITES.entries()) {
  const row = { name: suite.name, passed: 0, failed: 0, skipped: [], crash: null, problems: [], seconds: 0 };
  const started = Date.now();
  rows.push(row);
  console.log(`\n━━ ${suite.name} ━━`);
  let prep;
  try {
    prep = suite.prepare?.();
  } catch (error) {
    prep = { fail: error instanceof Error ? error.message : String(error) };
  }
  if (prep?.skip) {
    console.log(`[test] skipping ${suite.name}: ${prep.skip}`);
    row.skipped.push({ name: `${suite.name} (whole suite)`, reason: prep.skip });
    continue;
  }
  if (prep?.fail) {
    row.crash = prep.fail;
    continue;
  }
  const report = join(tmp, `suite-${index}.json`);
  const exit = await run(suite.command(report));
  if (existsSync(report)) {
    try {
      Object.assign(row, suite.parse(readFileSync(report, 'utf8')));
    } catch (error) {
      row.crash = `unreadable results: ${error instanceof Error ? error.message : String(error)}`;
    }
  } else {
    row.crash = 'wrote no results';
  }
  if (!row.crash && exit.code !== 0 && row.failed === 0) {
    row.crash = exit.error ? exit.error.message : `exited with ${exit.code ?? exit.signal} but reported no failure`;
  }
  if (!row.crash && row.passed + row.failed + row.skipped.length === 0) row.crash = 'ran no test';
  row.seconds = Math.round((Date.now() - started) / 1000);
  if (interrupted) {
    row.crash = 'interrupted';
    break;
  }
}
rmSync(tmp, { recursive: true, force: true });

// A crashed suite counts as one failure, so a broken runner can never look green.
for (const row of rows) if (row.crash) row.failed = Math.max(row.failed, 1);

console.log('\n━━ summary ━━');
const width = Math.max(...rows.map((r) => r.name.length));
for (const row of rows) {
  const note = row.crash ? `  CRASHED: ${row.crash}` : '';
  console.log(`${row.name.padEnd(width)}  ${String(row.passed).padStart(4)} passed  ${String(row.failed).padStart(3)} failed  ${String(row.skipped.length).padStart(3)} skipped  ${String(row.seconds).padStart(4)} s${note}`);
  for (const problem of row.problems) console.log(`  ! ${problem}`);
  for (const skip of row.skipped) console.log(`  skipped: ${skip.name} — ${skip.reason}`);
}
const total = (key) => rows.reduce((sum, r) => sum + (key === 'skipped' ? r.skipped.length : r[key]), 0);
const [passed, failed, skipped] = [total('passed'), total('failed'), total('skipped')];
console.log(`${passed} passed, ${failed} failed${skipped > 0 ? `, ${skipped} skipped` : ''}`);
process.exit(failed > 0 ? 1 : 0);
