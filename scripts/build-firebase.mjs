#!/usr/bin/env node
// `npm run build:firebase`: the console and the chat widget built for Firebase
// (`vite build --mode firebase`: web/.env.firebase sets VITE_BACKEND=firebase,
// web/.env.firebase.local holds the project's firebaseConfig) into
// web/dist-firebase, which is what Hosting serves (firebase.json). Refuses to
// build without a project, or for another project than the one being deployed
// to, and fails when the output still calls the embedded server's /api.
// firebase.json runs it as Hosting's predeploy, so `firebase deploy` cannot ship
// a local build.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const web = join(root, 'web');
export const FIREBASE_DIST = join(web, 'dist-firebase');
const REQUIRED = ['VITE_FIREBASE_API_KEY', 'VITE_FIREBASE_AUTH_DOMAIN', 'VITE_FIREBASE_PROJECT_ID', 'VITE_FIREBASE_APP_ID'];

const fail = (message) => {
  console.error(`[build:firebase] ${message}`);
  process.exit(1);
};

/** The VITE_* values mode `firebase` sees: the process environment over web/.env.firebase.local over web/.env.firebase. */
const firebaseEnv = async () => {
  const { loadEnv } = await import(join(root, 'node_modules/vite/dist/node/index.js'));
  return loadEnv('firebase', web, 'VITE_');
};

/** Every place a built file calls a path under /api/ (the embedded server's routes). */
export const apiReferences = (dir) => {
  const found = [];
  const walk = (d) => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, entry.name);
      if (entry.isDirectory()) walk(p);
      else if (/\.(js|mjs|html)$/.test(entry.name)) {
        const text = readFileSync(p, 'utf8');
        // "/api/…" as a path of its own (not "googleapis.com/…/api/" inside an URL with a host).
        for (const m of text.matchAll(/(?<![\w.-])\/api\//g)) found.push(`${relative(dir, p)}: …${text.slice(Math.max(0, m.index - 40), m.index + 30)}…`);
      }
    }
  };
  if (existsSync(dir)) walk(dir);
  return found;
};

const main = async () => {
  const env = await firebaseEnv();
  const missing = REQUIRED.filter((k) => !env[k]);
  if (env.VITE_BACKEND !== 'firebase') fail(`VITE_BACKEND is "${env.VITE_BACKEND ?? ''}", not "firebase" (web/.env.firebase sets it; something overrides it)`);
  if (missing.length > 0 && !env.VITE_FIREBASE_EMULATORS)
    fail(`missing ${missing.join(', ')}: copy web/.env.firebase.local.example to web/.env.firebase.local and fill it from Project settings → Your apps → Web app (docs/firebase.md §4)`);
  // firebase-tools sets GCLOUD_PROJECT for predeploy hooks: the build must talk to the project being deployed to.
  const deploying = process.env.GCLOUD_PROJECT;
  if (deploying && env.VITE_FIREBASE_PROJECT_ID && deploying !== env.VITE_FIREBASE_PROJECT_ID)
    fail(`deploying to "${deploying}" but web/.env.firebase.local names project "${env.VITE_FIREBASE_PROJECT_ID}"`);

  // `--out <dir>`: somewhere else than web/dist-firebase (the tests).
  const outAt = process.argv.indexOf('--out');
  const out = outAt > 0 ? process.argv[outAt + 1] : FIREBASE_DIST;
  // `--manifest`: Vite's manifest too (the bench reads it to know what the console loads first).
  const extra = process.argv.includes('--manifest') ? ['--manifest'] : [];
  const vite = spawnSync(process.execPath, [join(root, 'node_modules/vite/bin/vite.js'), 'build', '--mode', 'firebase', '--outDir', out, '--emptyOutDir', ...extra], {
    cwd: web,
    stdio: 'inherit',
  });
  if (vite.status !== 0) fail('vite build failed');
  const refs = apiReferences(out);
  if (refs.length > 0) fail(`the Firebase build calls the embedded server's /api, which does not exist on Firebase:\n  ${refs.join('\n  ')}`);
  console.log(`[build:firebase] ${relative(root, out)} built for project ${env.VITE_FIREBASE_PROJECT_ID ?? '(emulators)'}; no /api reference`);
};

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
