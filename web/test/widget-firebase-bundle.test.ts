// @vitest-environment node
/**
 * The widget's backend is picked at build time: the default (local) bundle
 * must carry no Firebase code and stay within the 30 KB gzip budget
 * (DESIGN §10); the Firebase bundle talks to Firebase's REST APIs, without
 * the SDK, within 60 KB gzip (issue 15). Both are built here for
 * real with the widget's own Vite config. (`npm run bench` measures the
 * Firebase one as `firebase_widget_js_gzip_kb`, budget 60 KB.)
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, URL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { build } from 'vite';

const config = fileURLToPath(new URL('../vite.widget.config.ts', import.meta.url));
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** Builds the widget with these VITE_ variables; answers what widget.html loads (following imports) and its gzip size. */
const buildWidget = async (vars: Record<string, string>) => {
  const outDir = mkdtempSync(join(tmpdir(), 'atende-widget-'));
  dirs.push(outDir);
  const saved = { ...process.env };
  Object.assign(process.env, vars);
  try {
    await build({ configFile: config, root: fileURLToPath(new URL('..', import.meta.url)), logLevel: 'silent', build: { outDir, emptyOutDir: true } });
  } finally {
    for (const key of Object.keys(vars)) if (saved[key] === undefined) delete process.env[key];
  }
  const html = readFileSync(join(outDir, 'widget.html'), 'utf8');
  const loaded = new Set<string>();
  const visit = (file: string) => {
    if (loaded.has(file)) return;
    loaded.add(file);
    if (!file.endsWith('.js')) return;
    const code = readFileSync(join(outDir, 'assets', file), 'utf8');
    // Static and dynamic imports alike: the English texts excepted, loaded only for English browsers.
    for (const m of code.matchAll(/["'`]\.\/([\w.-]+\.js)["'`]/g)) if (!m[1]!.startsWith('i18n.en')) visit(m[1]!);
  };
  for (const m of html.matchAll(/\/assets\/([\w.-]+\.(?:js|css))/g)) visit(m[1]!);
  const gzip = [...loaded].reduce((sum, f) => sum + gzipSync(readFileSync(join(outDir, 'assets', f))).length, gzipSync(html).length);
  const all = readdirSync(join(outDir, 'assets'))
    .filter((f) => f.endsWith('.js'))
    .map((f) => readFileSync(join(outDir, 'assets', f), 'utf8'))
    .join('\n');
  return { loaded, gzip, all, outDir };
};

describe('widget bundle per backend', () => {
  it('the local build holds no Firebase code and stays under 30 KB gzip', async () => {
    const local = await buildWidget({});
    expect(local.all).not.toMatch(/firestore|signInAnonymously|httpsCallable/i);
    expect(local.gzip).toBeLessThanOrEqual(30 * 1024);
    console.log(`widget (local): ${(local.gzip / 1024).toFixed(1)} KB gzip`);
  }, 60_000);

  it("the firebase build reads Firestore's and Auth's REST APIs and calls the callable without the Firebase SDK, within 60 KB gzip", async () => {
    const firebase = await buildWidget({ VITE_BACKEND: 'firebase', VITE_FIREBASE_PROJECT_ID: 'demo-atende', VITE_FIREBASE_API_KEY: 'demo-key' });
    const loaded = [...firebase.loaded].map((f) => readFileSync(join(firebase.outDir, 'assets', f), 'utf8')).join('\n');
    expect(loaded).toContain(':runQuery');
    expect(loaded).toContain('accounts:signUp');
    expect(loaded).toContain('widget.session');
    // No SDK on the page: Firestore's and Auth's SDKs name these internals.
    expect(loaded).not.toMatch(/onSnapshot|signInAnonymously|httpsCallable|WebChannel/);
    expect(firebase.gzip).toBeLessThanOrEqual(60 * 1024);
    console.log(`widget (firebase): ${(firebase.gzip / 1024).toFixed(1)} KB gzip`);
  }, 120_000);
});
