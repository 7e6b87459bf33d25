#!/usr/bin/env node
// `npm start`: build the SPA and the server bundle if missing or stale, then run the embedded server.
// Env (PORT, HOST, DATA_DIR, ATENDE_*) passes straight through to the server.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SERVER_PROCESS_ENV } from './serverEnv.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

/** Newest mtime under `path` (a file or a folder), 0 when it does not exist. */
export const newestMtime = (path) => {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of readdirSync(path)) {
    if (entry === 'node_modules' || entry === 'dist') continue;
    newest = Math.max(newest, newestMtime(join(path, entry)));
  }
  return newest;
};

/** Why web/dist needs a build, or null when it is fresh. The SPA bundles core, so core's sources count too. */
export const webBuildReason = () => {
  const built = join(root, 'web/dist/index.html');
  if (!existsSync(built)) return 'web/dist is missing';
  const builtAt = statSync(built).mtimeMs;
  const web = join(root, 'web');
  const inputs = [join(web, 'src'), join(root, 'core/src'), join(web, 'package.json')];
  if (existsSync(web)) {
    for (const entry of readdirSync(web)) {
      if (/\.(html|ts|js|mjs|json)$/.test(entry) && !entry.endsWith('.d.ts')) inputs.push(join(web, entry));
    }
  }
  const stale = inputs.find((input) => newestMtime(input) > builtAt);
  return stale ? `${stale.slice(root.length + 1)} changed since the last build` : null;
};

/** Builds web/dist when needed; returns false when the build failed. */
export const ensureWebBuild = () => {
  const reason = webBuildReason();
  if (!reason) return true;
  console.log(`[atende] building the web app (${reason})…`);
  const result = spawnSync(npm, ['run', 'build', '-w', 'web'], { cwd: root, stdio: 'inherit', env: process.env });
  if (result.status !== 0) {
    console.error(`[atende] the web build failed (exit ${result.status ?? result.signal})`);
    return false;
  }
  return true;
};

/** Why server/dist/server.mjs needs a build, or null when it is fresh (it bundles server, core and mail). */
export const serverBuildReason = () => {
  const bundle = join(root, 'server/dist/server.mjs');
  if (!existsSync(bundle)) return 'server/dist is missing';
  const builtAt = statSync(bundle).mtimeMs;
  const inputs = ['server/src', 'server/scripts/build.mjs', 'server/package.json', 'core/src', 'core/package.json', 'mail/src', 'mail/package.json'];
  const stale = inputs.find((input) => newestMtime(join(root, input)) > builtAt);
  return stale ? `${stale} changed since the last build` : null;
};

/** Builds the server bundle when needed; returns false when the build failed. */
export const ensureServerBuild = () => {
  const reason = serverBuildReason();
  if (!reason) return true;
  console.log(`[atende] building the server (${reason})…`);
  const result = spawnSync(process.execPath, [join(root, 'server/scripts/build.mjs')], { cwd: root, stdio: 'inherit', env: process.env });
  if (result.status !== 0) {
    console.error(`[atende] the server build failed (exit ${result.status ?? result.signal})`);
    return false;
  }
  return true;
};

const main = () => {
  if (!ensureWebBuild() || !ensureServerBuild()) process.exit(1);
  // Plain JavaScript starts faster than compiling the TypeScript sources at every start (`npm run dev` does that).
  const server = spawn(process.execPath, ['--enable-source-maps', join(root, 'server/dist/server.mjs')], {
    cwd: root,
    stdio: 'inherit',
    env: { ...SERVER_PROCESS_ENV, ...process.env },
  });
  // The server closes gracefully on these; pass them on and wait for it to exit.
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.on(signal, () => server.kill(signal));
  }
  server.on('exit', (code, signal) => {
    process.exit(code ?? (signal ? 128 + (signal === 'SIGINT' ? 2 : signal === 'SIGTERM' ? 15 : 1) : 1));
  });
};

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) main();
