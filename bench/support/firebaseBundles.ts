import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { repoRoot } from './server.ts';

export interface FirebaseBundle {
  page: string;
  files: { file: string; gzipBytes: number }[];
  gzipKb: number;
}

type Manifest = Record<string, { file: string; imports?: string[]; dynamicImports?: string[]; isEntry?: boolean; src?: string }>;

const gz = (dir: string, file: string) => gzipSync(readFileSync(path.join(dir, file)), { level: 9 }).length;

/**
 * The Firebase build's JS before the first screen, built here exactly as
 * Hosting's predeploy builds it (`npm run build:firebase`, into a temp dir,
 * with a placeholder project):
 * - console (`index.html`): the entry and its static imports, plus what
 *   `main.ts` awaits before mounting: the Firebase driver
 *   (`src/backend/firebase.ts`), Firebase Auth (its session restore) and
 *   the Functions SDK (the restore asks `files.key` for the file links'
 *   key), each with their static imports (from Vite's manifest). Route
 *   chunks and Firestore's SDK (`src/backend/firebaseData.ts`, fetched when
 *   the driver starts, awaited only by listeners) are not counted.
 * - widget (`widget.html`): everything it loads, static and dynamic imports
 *   alike, the English texts excepted (loaded only for English browsers).
 * Each file gzipped at level 9 on its own.
 */
export const firebaseBundles = (): { console: FirebaseBundle | null; widget: FirebaseBundle | null; error?: string } => {
  const out = mkdtempSync(path.join(tmpdir(), 'atende-fb-dist-'));
  const env = {
    ...process.env,
    VITE_FIREBASE_API_KEY: 'bench-key',
    VITE_FIREBASE_AUTH_DOMAIN: 'bench.firebaseapp.com',
    VITE_FIREBASE_PROJECT_ID: 'bench-atende',
    VITE_FIREBASE_APP_ID: '1:1:web:1',
    GCLOUD_PROJECT: '',
  };
  const r = spawnSync(process.execPath, [path.join(repoRoot, 'scripts/build-firebase.mjs'), '--out', out, '--manifest'], { env, encoding: 'utf8', timeout: 300_000 });
  if (r.status !== 0) return { console: null, widget: null, error: (r.stderr || r.stdout).slice(-2000) };
  return measureFirebaseDist(out);
};

/** The counting of `firebaseBundles` on an existing Firebase build with its manifest (`build-firebase.mjs --out <dir> --manifest`). */
export const measureFirebaseDist = (out: string): { console: FirebaseBundle | null; widget: FirebaseBundle | null } => {
  const manifestPath = path.join(out, '.vite', 'manifest.json');
  let consoleBundle: FirebaseBundle | null = null;
  if (existsSync(manifestPath)) {
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as Manifest;
    const files = new Set<string>();
    const visit = (key: string) => {
      const m = manifest[key];
      if (!m || files.has(m.file)) return;
      files.add(m.file);
      for (const i of m.imports ?? []) visit(i);
    };
    visit('index.html');
    const entry = manifest['index.html'];
    // The driver, Auth (the session restore) and Functions (the sign-in asks `files.key` for the file links' key).
    const first = /src\/backend\/firebase\.ts$|@firebase\/(auth|functions)\/|firebase\/(auth|functions)\//;
    for (const d of entry ? collectDynamic(manifest, 'index.html') : [])
      if (first.test(d)) {
        visit(d);
        // Auth and Functions are dynamic imports of the driver's, awaited by the session restore.
        for (const inner of collectDynamic(manifest, d)) if (first.test(inner)) visit(inner);
      }
    const list = [...files].filter((f) => f.endsWith('.js')).map((file) => ({ file, gzipBytes: gz(out, file) }));
    consoleBundle = { page: 'index.html', files: list, gzipKb: list.reduce((s, f) => s + f.gzipBytes, 0) / 1024 };
  }

  const html = readFileSync(path.join(out, 'widget.html'), 'utf8');
  const loaded = new Set<string>();
  const follow = (file: string) => {
    if (loaded.has(file) || !file.endsWith('.js')) return;
    loaded.add(file);
    const code = readFileSync(path.join(out, 'assets', file), 'utf8');
    for (const m of code.matchAll(/["'`]\.\/([\w.-]+\.js)["'`]/g)) if (!m[1]!.startsWith('i18n.en')) follow(m[1]!);
  };
  for (const m of html.matchAll(/\/assets\/([\w.-]+\.js)/g)) follow(m[1]!);
  const widgetFiles = [...loaded].map((f) => ({ file: `assets/${f}`, gzipBytes: gz(path.join(out, 'assets'), f) }));
  return { console: consoleBundle, widget: { page: 'widget.html', files: widgetFiles, gzipKb: widgetFiles.reduce((s, f) => s + f.gzipBytes, 0) / 1024 } };
};

/** Every dynamic import reachable from `key` through static imports (what the page may load next). */
const collectDynamic = (manifest: Manifest, key: string, seen = new Set<string>()): string[] => {
  if (seen.has(key)) return [];
  seen.add(key);
  const m = manifest[key];
  if (!m) return [];
  return [...(m.dynamicImports ?? []), ...(m.imports ?? []).flatMap((i) => collectDynamic(manifest, i, seen))];
};
