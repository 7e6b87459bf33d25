// @vitest-environment node
/**
 * `npm run build:firebase` (scripts/build-firebase.mjs), Hosting's predeploy:
 * builds the console and the widget for Firebase, refuses a build without a
 * project or for another project than the deploy's, and fails when the
 * output calls the embedded server's /api.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, URL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
// @ts-expect-error -- a plain ESM script without types
import { apiReferences } from '../../scripts/build-firebase.mjs';

const script = fileURLToPath(new URL('../../scripts/build-firebase.mjs', import.meta.url));
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'atende-fbbuild-'));
  dirs.push(d);
  return d;
};

/** Runs the script with only these Firebase variables (none inherited from the caller). */
const run = (vars: Record<string, string>, out: string) => {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('VITE_') && k !== 'GCLOUD_PROJECT'));
  return spawnSync(process.execPath, [script, '--out', out], { env: { ...env, ...vars }, encoding: 'utf8' });
};

const PROJECT = { VITE_FIREBASE_API_KEY: 'k', VITE_FIREBASE_AUTH_DOMAIN: 'acme.firebaseapp.com', VITE_FIREBASE_PROJECT_ID: 'acme-atende', VITE_FIREBASE_APP_ID: '1:2:web:3' };

describe('build:firebase', () => {
  it('builds both pages for Firebase with no /api reference and the project inlined', () => {
    const out = tempDir();
    const r = run(PROJECT, out);
    expect(r.status, r.stderr).toBe(0);
    expect(existsSync(join(out, 'index.html'))).toBe(true);
    expect(existsSync(join(out, 'widget.html'))).toBe(true);
    expect(apiReferences(out)).toEqual([]);
    expect(r.stdout).toContain('built for project acme-atende');
  }, 180_000);

  it('refuses to build without the project settings, naming what is missing', () => {
    if (existsSync(fileURLToPath(new URL('../.env.firebase.local', import.meta.url)))) {
      console.log('skipped: web/.env.firebase.local exists on this machine, so the settings are never missing here');
      return;
    }
    const r = run({}, tempDir());
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('VITE_FIREBASE_PROJECT_ID');
  });

  it('refuses to build for another project than the one being deployed to', () => {
    const r = run({ ...PROJECT, GCLOUD_PROJECT: 'other-project' }, tempDir());
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('deploying to "other-project"');
  });

  it('finds a path under /api/ and ignores /api/ inside another host\'s URL', () => {
    const d = tempDir();
    mkdirSync(join(d, 'assets'));
    writeFileSync(join(d, 'assets', 'a.js'), 'fetch(`/api/commands/${n}`);const u="https://www.googleapis.com/api/x";import"./api-x1.js"');
    writeFileSync(join(d, 'assets', 'b.js'), 'const g="https://apis.google.com/js/api.js"');
    const found = apiReferences(d) as string[];
    expect(found).toHaveLength(1);
    expect(found[0]).toContain('assets/a.js');
    expect(readFileSync(join(d, 'assets', 'a.js'), 'utf8')).toContain('/api/commands');
  });
});
