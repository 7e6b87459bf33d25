#!/usr/bin/env node
// `npm run deploy:firebase [-- --only hosting]`: `firebase deploy` with the checks
// a first deploy trips on made up front. Hosting's predeploy (firebase.json)
// builds web/dist-firebase (scripts/build-firebase.mjs) and the functions'
// predeploy bundles functions/lib, so a plain `firebase deploy` is just as safe
// once functions/.env exists (docs/firebase.md §2).
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const fail = (message) => {
  console.error(`[deploy:firebase] ${message}`);
  process.exit(1);
};

if (!existsSync(join(root, '.firebaserc')) && !process.argv.includes('--project'))
  fail('no project chosen: firebase use --add (docs/firebase.md §2), or pass -- --project <id>');
if (!existsSync(join(root, 'web/.env.firebase.local')) && !process.env.VITE_FIREBASE_PROJECT_ID)
  fail('web/.env.firebase.local is missing: copy web/.env.firebase.local.example and fill it (docs/firebase.md §4)');
// The functions' parameters (ATENDE_REGION, the copilot's provider): without them the CLI stops to ask, or fails when
// it cannot ask. The functions build copies functions/.env* into functions/lib, where the CLI reads them.
const envFiles = (dir) => (existsSync(dir) ? readdirSync(dir).filter((f) => f === '.env' || f.startsWith('.env.')) : []);
if (envFiles(join(root, 'functions')).length === 0 && envFiles(join(root, 'functions/lib')).length === 0)
  fail("functions/.env is missing: write the functions' parameters (ATENDE_REGION, ATENDE_AI_BASE_URL, ATENDE_AI_MODEL; docs/firebase.md §2)");
const cli = spawnSync('firebase', ['--version'], { encoding: 'utf8' });
if (cli.error || cli.status !== 0) fail('the Firebase CLI is not installed: npm i -g firebase-tools, then firebase login (docs/firebase.md §2)');

const deploy = spawnSync('firebase', ['deploy', ...process.argv.slice(2)], { cwd: root, stdio: 'inherit' });
process.exit(deploy.status ?? 1);
