// @vitest-environment node
/**
 * The widget's backend is picked at build time: the default (local) bundle
 * must carry no Firebase code and stay within the 30 KB gzip budget
 * (DESIGN §10); the Firebase bundle loads its SDK. Both are built here for
 * real with the widget's own Vite config.
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
  return { loaded, gzip, all };
};

describe('widget bundle per backend', () => {
  it('the local build holds no Firebase code and stays under 30 KB gzip', async () => {
    const local = await buildWidget({});
    expect(local.all).not.toMatch(/firestore|signInAnonymously|httpsCallable/i);
    expect(local.gzip).toBeLessThanOrEqual(30 * 1024);
    console.log(`widget (local): ${(local.gzip / 1024).toFixed(1)} KB gzip`);
  }, 60_000);

  it('the firebase build loads the Firestore listeners and the callable', async () => {
    const firebase = await buildWidget({ VITE_BACKEND: 'firebase', VITE_FIREBASE_PROJECT_ID: 'demo-atende', VITE_FIREBASE_API_KEY: 'demo-key' });
    expect(firebase.all).toMatch(/firestore/i);
    expect(firebase.all).toContain('widget.session');
    console.log(`widget (firebase): ${(firebase.gzip / 1024).toFixed(1)} KB gzip`);
  }, 120_000);
});
