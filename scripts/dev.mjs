#!/usr/bin/env node
// `npm run dev`: the contributor's loop. The embedded server restarts when its code or core's
// changes (tsx watch), on the port the web dev server proxies /api to; Vite serves the SPA with
// hot reload. Demo data lives in .data-dev/ (kept between runs; delete it for a fresh demo).
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const apiPort = process.env.ATENDE_DEV_API_PORT ?? '3123';
const api = `http://localhost:${apiPort}`;
const bin = (name) => join(root, 'node_modules', '.bin', name);

const children = [
  spawn(bin('tsx'), ['watch', '--clear-screen=false', 'server/src/server.ts'], {
    cwd: root,
    stdio: 'inherit',
    env: { DATA_DIR: join(root, '.data-dev'), LOG_FORMAT: 'pretty', ...process.env, PORT: apiPort, HOST: '127.0.0.1' },
  }),
  spawn(bin('vite'), ['--strictPort', '--port', process.env.ATENDE_DEV_WEB_PORT ?? '5173'], {
    cwd: join(root, 'web'),
    stdio: 'inherit',
    env: { ...process.env, ATENDE_API: api },
  }),
];

console.log(`\nAtende dev: the SPA with hot reload at http://localhost:${process.env.ATENDE_DEV_WEB_PORT ?? '5173'} (API on ${api}; demo logins below)\n`);

let stopping = false;
const stop = (code) => {
  if (stopping) return;
  stopping = true;
  for (const child of children) if (child.exitCode === null) child.kill('SIGTERM');
  process.exitCode = code;
};
for (const child of children) child.on('exit', (code) => stop(code ?? 1));
process.on('SIGINT', () => stop(0));
process.on('SIGTERM', () => stop(0));
