/**
 * `npm start` runs server/dist/server.mjs, the server bundled with core and
 * mail by server/scripts/build.mjs. What bundling could break: files read
 * beside the sources (migrations, the simulators' pages, the SPA folder) and
 * CommonJS packages loaded from ES modules. Built here from the current
 * sources and started as its own process on a fresh data dir.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));
const dataDir = mkdtempSync(join(tmpdir(), 'atende-bundle-'));
let server: ChildProcess | null = null;
let origin = '';

beforeAll(async () => {
  const { buildServer, SERVER_BUNDLE } = (await import(join(root, 'server/scripts/build.mjs'))) as { buildServer(): Promise<unknown>; SERVER_BUNDLE: string };
  await buildServer();
  server = spawn(process.execPath, [SERVER_BUNDLE], { cwd: root, env: { ...process.env, DATA_DIR: dataDir, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'warn' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  origin = await new Promise<string>((resolve, reject) => {
    const seen = (chunk: Buffer) => {
      output += chunk.toString();
      const url = /Atende is running: (http:\/\/\S+)/.exec(output)?.[1];
      if (url) resolve(url);
    };
    server!.stdout!.on('data', seen);
    server!.stderr!.on('data', seen);
    server!.once('exit', (code) => reject(new Error(`the bundled server exited (${code}) before listening:\n${output}`)));
  });
}, 120_000);

afterAll(async () => {
  if (server && server.exitCode === null) {
    const exited = new Promise((resolve) => server!.once('exit', resolve));
    server.kill('SIGTERM');
    await exited;
  }
  rmSync(dataDir, { recursive: true, force: true });
});

describe('the server bundle npm start runs', () => {
  it('migrates and seeds a fresh data dir, and signs the demo admin in', async () => {
    expect((await fetch(`${origin}/api/health`)).status).toBe(200);
    const login = await fetch(`${origin}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin },
      body: JSON.stringify({ email: 'admin@atende.local', password: 'atende123' }),
    });
    expect(login.status).toBe(200);
    expect(await login.json()).toMatchObject({ user: { email: 'admin@atende.local', role: 'admin' } });
  });

  it('serves the simulators pages it reads beside its sources', async () => {
    for (const path of ['/simulator/whatsapp', '/simulator/instagram']) {
      const res = await fetch(`${origin}${path}`);
      expect(res.status, path).toBe(200);
      expect(await res.text(), path).toMatch(/<html/i);
    }
  });
});
