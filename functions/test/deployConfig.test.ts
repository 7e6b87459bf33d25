/**
 * What `firebase deploy` reads besides the code, checked against the code and
 * docs/firebase.md (nothing here can run `firebase deploy` itself): Hosting's
 * rewrites reach functions that exist, in the region they run in; every secret and
 * parameter the functions declare is one the guide tells the team to set; every
 * deployed function is in the guide's table; the bucket's CORS lets the browsers
 * PUT to the signed URLs `upload.begin` hands out.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const read = (path: string) => readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8');
const index = read('functions/src/index.ts');
const guide = read('docs/firebase.md');
const firebaseJson = JSON.parse(read('firebase.json')) as {
  hosting: { rewrites: { source: string; function?: { functionId: string; region: string } }[] };
  functions: { source: string; predeploy: string[] }[];
};

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

const exported = [...index.matchAll(/^export const (\w+) = /gm)].map((m) => m[1]!);
const secrets = [...index.matchAll(/defineSecret\('(\w+)'\)/g)].map((m) => m[1]!);
const params = [...index.matchAll(/defineString\('(\w+)', \{ default: '([^']*)'/g)].map((m) => ({ name: m[1]!, default: m[2]! }));

describe('the deployment as docs/firebase.md describes it', () => {
  it('rewrites Hosting paths to exported functions, all in the functions\' default region', () => {
    const region = params.find((p) => p.name === 'ATENDE_REGION')!.default;
    const rewrites = firebaseJson.hosting.rewrites.filter((r) => r.function);
    expect(rewrites.length).toBeGreaterThanOrEqual(4);
    for (const r of rewrites) {
      expect(exported, r.source).toContain(r.function!.functionId);
      expect(r.function!.region, r.source).toBe(region);
      // The guide's region change names every rewrite it must touch.
      expect(guide, `docs/firebase.md step 2 names the ${r.function!.functionId} rewrite`).toContain(`\`${r.function!.functionId}\``);
    }
  });

  it('tells the team to set every secret before the first deploy and writes every parameter into functions/.env', () => {
    expect(secrets.length).toBeGreaterThan(0);
    const setLines = [...guide.matchAll(/^firebase functions:secrets:set (\w+)/gm)].map((m) => m[1]);
    for (const s of secrets) expect(setLines, s).toContain(s);
    const envLine = guide.split('\n').find((l) => l.includes('> functions/.env'));
    expect(envLine, 'docs/firebase.md writes functions/.env').toBeDefined();
    for (const p of params) expect(envLine, p.name).toContain(`${p.name}=`);
    // functions/lib is what is uploaded and where the CLI reads .env from: the build copies them there.
    expect(firebaseJson.functions[0]!.source).toBe('functions/lib');
    expect(read('functions/scripts/build.mjs')).toMatch(/copyFile\(join\(root, f\), join\(root, 'lib', f\)\)/);
  });

  it('names every environment variable the functions read (functions/.env, step 2)', () => {
    const sources = readdirSync(new URL('../src/', import.meta.url)).filter((f) => f.endsWith('.ts'));
    const named = new Set(sources.flatMap((f) => [...readFileSync(new URL(`../src/${f}`, import.meta.url), 'utf8').matchAll(/process\.env\.(ATENDE_\w+)/g)].map((m) => m[1]!)));
    expect(named.size).toBeGreaterThan(0);
    for (const name of named) expect(guide, name).toContain(name);
  });

  it('lists every deployed function in the guide\'s table', () => {
    for (const name of exported) expect(guide, name).toMatch(new RegExp(`^\\| \`${name}\` `, 'm'));
  });

  it('lets browsers PUT files to signed Storage URLs (storage.cors.json, applied in step 1.6)', () => {
    const cors = JSON.parse(read('storage.cors.json')) as { origin: string[]; method: string[]; responseHeader: string[] }[];
    const put = cors.find((c) => c.method.includes('PUT'));
    expect(put, 'a CORS entry for PUT').toBeDefined();
    expect(put!.origin.length).toBeGreaterThan(0);
    // The drivers send the declared type, which the signed URL was made for (web/src/backend/firebaseFiles.ts, web/src/widget/firebase.ts).
    expect(put!.responseHeader.map((h) => h.toLowerCase())).toContain('content-type');
    expect(cors.some((c) => c.method.includes('GET'))).toBe(true);
    expect(guide).toContain('--cors-file=storage.cors.json');
  });

  it('npm run deploy:firebase stops before the CLI when a file the guide has you write is missing, naming its step', () => {
    // The script checks the repository it sits in: a copy in a scratch repository, with no firebase CLI on PATH.
    const root = mkdtempSync(join(tmpdir(), 'atende-deploy-'));
    dirs.push(root);
    mkdirSync(join(root, 'scripts'));
    mkdirSync(join(root, 'web'));
    mkdirSync(join(root, 'functions'));
    copyFileSync(fileURLToPath(new URL('../../scripts/deploy-firebase.mjs', import.meta.url)), join(root, 'scripts/deploy-firebase.mjs'));
    const deploy = () =>
      spawnSync(process.execPath, [join(root, 'scripts/deploy-firebase.mjs')], {
        encoding: 'utf8',
        env: { PATH: join(root, 'no-bin'), HOME: root },
      });
    expect(deploy().stderr).toContain('no project chosen');
    writeFileSync(join(root, '.firebaserc'), '{"projects":{"default":"acme-atende"}}');
    expect(deploy().stderr).toContain('web/.env.firebase.local is missing');
    writeFileSync(join(root, 'web/.env.firebase.local'), 'VITE_FIREBASE_PROJECT_ID=acme-atende\n');
    const noEnv = deploy();
    expect(noEnv.status).toBe(1);
    expect(noEnv.stderr).toContain('functions/.env is missing');
    expect(noEnv.stderr).toContain('§2');
    writeFileSync(join(root, 'functions/.env'), 'ATENDE_REGION=southamerica-east1\nATENDE_AI_BASE_URL=\nATENDE_AI_MODEL=\n');
    expect(deploy().stderr).toContain('the Firebase CLI is not installed');
  });
});
