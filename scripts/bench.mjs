#!/usr/bin/env node
// `npm run bench`: the budgets of DESIGN §10, measured. Builds web/dist when it
// is missing or stale (the bundle figures must be of the current source), then
// runs the load generator (bench/run.ts), which starts the server as its own
// process. The whole run is cut at 10 minutes. Writes bench/results.json and
// bench/RESULTS.md.
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureWebBuild } from './start.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const LIMIT_MS = 10 * 60_000;
const started = Date.now();

// A failed build does not stop the run: the bundle figures then read "not measured".
if (!ensureWebBuild()) console.error('[bench] the web build failed; bundle sizes will be missing');

const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'bench/run.ts')], {
  cwd: root,
  stdio: 'inherit',
  env: process.env,
  // Its own process group, so the limit below also stops the server it started.
  detached: true,
});
const killGroup = (signal) => {
  try {
    process.kill(-child.pid, signal);
  } catch {
    /* already gone */
  }
};
const timer = setTimeout(() => {
  console.error(`[bench] past ${LIMIT_MS / 60_000} minutes in total; stopping`);
  killGroup('SIGKILL');
}, Math.max(1000, LIMIT_MS - (Date.now() - started)));
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => killGroup(signal));
child.on('exit', (code, signal) => {
  clearTimeout(timer);
  killGroup('SIGKILL');
  process.exit(code ?? (signal ? 1 : 0));
});
