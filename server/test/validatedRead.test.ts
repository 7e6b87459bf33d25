import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { refs } from '@atende/core';
import { buildApp } from '../src/app.ts';
import { login, run, type TestServer } from './helpers.ts';

/**
 * Issue 9, point 5 (and issue 15's H2 on SQLite): configuration documents are
 * read through their schemas. One edited by hand into a bad shape makes the
 * commands that need it answer with the document and the field, and the rest
 * of the server keeps working.
 */
const dataDir = mkdtempSync(join(tmpdir(), 'atende-validated-'));
const webDist = join(dataDir, 'no-web-dist');
let server: TestServer | null = null;

afterAll(async () => {
  await server?.app.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('documents read through their schemas', () => {
  it('a hand-edited settings document gives a clear error naming its field, and the server stays up', async () => {
    const first = await buildApp({ dataDir, webDist });
    await first.ready();
    await first.close();
    // Someone edits the database by hand: a word where the auto-close needs minutes.
    const db = new Database(join(dataDir, 'atende.db'));
    db.prepare(`UPDATE settings SET data = json_set(data, '$.autoClose.afterMinutes', 'sessenta')`).run();
    db.close();

    const logged: string[] = [];
    const app = await buildApp({ dataDir, webDist, logger: { level: 'error', stream: { write: (line: string) => void logged.push(line) } } });
    await app.listen({ port: 0, host: '127.0.0.1' });
    server = { app, url: `http://127.0.0.1:${(app.server.address() as { port: number }).port}`, dataDir, close: () => app.close() };
    const admin = await login(server, 'admin@atende.local');

    const refused = await run<{ error: { code: string; message: string; issues: { path: string }[] } }>(server, admin, 'settings.update', { name: 'Outra Empresa' });
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('failed-precondition');
    expect(refused.body.error.message).toContain('settings/workspace');
    expect(refused.body.error.issues.map((i) => i.path)).toEqual(['settings/workspace.autoClose.afterMinutes']);
    expect(logged.some((line) => line.includes('malformed document') && line.includes('autoClose.afterMinutes'))).toBe(true);

    // What does not need the settings still works: the sectors catalogue.
    const sector = await run(server, admin, 'sector.save', { id: 'vendas', name: 'Vendas', color: '#aa00aa', overflowSectorId: null });
    expect(sector.status).toBe(200);
  });

  it("a person's hand-broken document is refused by id and left out of the team's queries (routing, presence), reported", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'atende-validated-users-'));
    try {
      const first = await buildApp({ dataDir: dir, webDist });
      await first.ready();
      await first.close();
      const db = new Database(join(dir, 'atende.db'));
      db.prepare(`UPDATE users SET data = json_set(data, '$.name', 42, '$.presence', 'online') WHERE id = 'ana'`).run();
      db.prepare(`UPDATE users SET data = json_set(data, '$.presence', 'online') WHERE id = 'carla'`).run();
      db.close();
      const logged: string[] = [];
      const app = await buildApp({ dataDir: dir, webDist, logger: { level: 'error', stream: { write: (line: string) => void logged.push(line) } } });
      await app.ready();
      try {
        const online = await app.store.transaction((tx) => tx.query({ collection: 'users', where: [['presence', '==', 'online']], orderBy: [], limit: 100 }));
        expect(online.map((u) => u.id)).toContain('carla');
        expect(online.map((u) => u.id)).not.toContain('ana');
        await expect(app.store.transaction((tx) => tx.get(refs.user('ana')))).rejects.toMatchObject({ code: 'failed-precondition', message: expect.stringContaining('users/ana está malformado (name: deve ser string, e é number)') });
        expect(logged.some((line) => line.includes('malformed document') && line.includes('users/ana'))).toBe(true);
      } finally {
        await app.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
