import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SESSION_COOKIE, refs } from '@atende/core';
import { LiveClient, addUser, api, login, startServer, type TestServer } from './helpers.ts';

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(() => server.close());

describe('login', () => {
  it('signs in a demo user with an HttpOnly, SameSite=Lax session cookie and returns the user', async () => {
    const res = await fetch(`${server.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'ANA@atende.local ', password: 'atende123' }),
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { user: { id: string; role: string } };
    expect(body.user).toMatchObject({ id: 'ana', role: 'agent' });
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith(`${SESSION_COOKIE}=`))!;
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    expect(cookie).not.toMatch(/Secure/i); // plain http here
  });

  it('stores only hashes: no password or session token in the database', async () => {
    const cookie = await login(server, 'bruno@atende.local');
    const token = decodeURIComponent(cookie.split('=')[1]!);
    const dump = JSON.stringify([
      server.app.db.prepare('SELECT * FROM credentials').all(),
      server.app.db.prepare('SELECT * FROM sessions').all(),
    ]);
    expect(dump).not.toContain('atende123');
    expect(dump).not.toContain(token);
    expect(dump).toContain('scrypt$');
  });

  it('refuses a wrong password with 401 and a readable message', async () => {
    const res = await api(server, 'POST', '/api/auth/login', { body: { email: 'carla@atende.local', password: 'nope' } });
    expect(res.status).toBe(401);
    expect(res.body).toMatchObject({ error: { code: 'unauthenticated' } });
    expect(res.headers.getSetCookie()).toEqual([]);
  });

  it('refuses an unknown e-mail the same way as a wrong password', async () => {
    const res = await api(server, 'POST', '/api/auth/login', { body: { email: 'ghost@atende.local', password: 'atende123' } });
    expect(res.status).toBe(401);
  });

  it('slows down repeated failures for one e-mail with 429, even for the right password, whatever address they come from', async () => {
    await addUser(server, { id: 'limited', role: 'agent', sectorIds: ['suporte'] });
    for (let i = 0; i < 5; i++) {
      const res = await api(server, 'POST', '/api/auth/login', { body: { email: 'limited@test.local', password: `wrong-${i}` }, headers: { 'x-forwarded-for': `203.0.113.${i}` } });
      expect(res.status).toBe(401);
    }
    const blocked = await api<{ error: { code: string; message: string } }>(server, 'POST', '/api/auth/login', {
      body: { email: 'limited@test.local', password: 'atende123' },
    });
    expect(blocked.status).toBe(429);
    expect(blocked.body.error.code).toBe('resource-exhausted');
    expect(blocked.body.error.message).toMatch(/Aguarde \d+ s/);
    // Another account from the same address is not locked out.
    expect((await api(server, 'POST', '/api/auth/login', { body: { email: 'carla@atende.local', password: 'atende123' } })).status).toBe(200);
  });

  it('does not let an inactive user sign in, and ends what their cookie could do', async () => {
    await addUser(server, { id: 'leaver', role: 'agent', sectorIds: ['suporte'] });
    const cookie = await login(server, 'leaver@test.local');
    expect((await api(server, 'GET', '/api/auth/me', { cookie })).status).toBe(200);
    const user = server.app.store.get(refs.user('leaver'))!;
    await server.app.store.transaction(async (tx) => tx.set(refs.user('leaver'), { ...user, active: false }));
    expect((await api(server, 'GET', '/api/auth/me', { cookie })).status).toBe(401);
    expect((await api(server, 'POST', '/api/auth/login', { body: { email: 'leaver@test.local', password: 'atende123' } })).status).toBe(401);
  });

  it('validates the login body', async () => {
    const res = await api<{ error: { issues: { path: string }[] } }>(server, 'POST', '/api/auth/login', { body: { email: 'ana@atende.local' } });
    expect(res.status).toBe(400);
    expect(res.body.error.issues.map((i) => i.path)).toContain('password');
  });
});

describe('session', () => {
  it('me returns the signed-in user', async () => {
    const cookie = await login(server, 'supervisor@atende.local');
    const res = await api<{ user: { id: string; sectorIds: string[] } }>(server, 'GET', '/api/auth/me', { cookie });
    expect(res.status).toBe(200);
    expect(res.body.user).toMatchObject({ id: 'supervisor', sectorIds: ['suporte', 'financeiro'] });
  });

  it('me without a cookie is 401', async () => {
    expect((await api(server, 'GET', '/api/auth/me')).status).toBe(401);
  });

  it('the SPA\'s page-load question answers "nobody" without an error, and the user when signed in', async () => {
    expect(await api(server, 'GET', '/api/auth/session')).toMatchObject({ status: 200, body: { user: null } });
    expect(await api(server, 'GET', '/api/auth/session', { cookie: 'atende_session=not-a-session' })).toMatchObject({ status: 200, body: { user: null } });
    const cookie = await login(server, 'ana@atende.local');
    expect(await api(server, 'GET', '/api/auth/session', { cookie })).toMatchObject({ status: 200, body: { user: { id: 'ana', role: 'agent' } } });
  });

  it('a tampered or invented cookie is 401', async () => {
    const cookie = await login(server, 'ana@atende.local');
    const [name, value] = cookie.split('=') as [string, string];
    const flipped = value.slice(0, -1) + (value.endsWith('A') ? 'B' : 'A');
    expect((await api(server, 'GET', '/api/auth/me', { cookie: `${name}=${flipped}` })).status).toBe(401);
    expect((await api(server, 'GET', '/api/auth/me', { cookie: `${name}=not-a-session` })).status).toBe(401);
  });

  it('an expired session is 401', async () => {
    const cookie = await login(server, 'ana@atende.local');
    server.app.db.prepare('UPDATE sessions SET expires_at = 0').run();
    expect((await api(server, 'GET', '/api/auth/me', { cookie })).status).toBe(401);
  });

  it('logout ends the session: the same cookie no longer works, and the cookie is cleared', async () => {
    const cookie = await login(server, 'ana@atende.local');
    const out = await api(server, 'POST', '/api/auth/logout', { cookie });
    expect(out.status).toBe(204);
    expect(out.headers.getSetCookie().join(';')).toMatch(new RegExp(`${SESSION_COOKIE}=;`));
    expect((await api(server, 'GET', '/api/auth/me', { cookie })).status).toBe(401);
    expect((await api(server, 'POST', '/api/commands/presence.set', { cookie, body: { presence: 'online' } })).status).toBe(401);
  });

  it('health and the widget API need no session', async () => {
    expect((await api(server, 'GET', '/api/health')).body).toEqual({ ok: true });
    expect((await api(server, 'GET', '/api/widget/site')).status).toBe(200);
  });

  it('lets an admin set the password of a user they created, who can then sign in', async () => {
    const admin = await login(server, 'admin@atende.local');
    const created = await api(server, 'POST', '/api/commands/user.save', {
      cookie: admin,
      body: { id: 'newbie', name: 'Nova Pessoa', email: 'newbie@atende.local', role: 'agent', sectorIds: ['suporte'], seesAllHistory: false, active: true },
    });
    expect(created.status).toBe(200);
    expect((await api(server, 'POST', '/api/auth/password', { cookie: admin, body: { uid: 'newbie', password: 'segredo-123' } })).status).toBe(204);
    await login(server, 'newbie@atende.local', 'segredo-123');
    const agent = await login(server, 'ana@atende.local');
    expect((await api(server, 'POST', '/api/auth/password', { cookie: agent, body: { uid: 'newbie', password: 'hijack-123' } })).status).toBe(403);
  });

  it('changing one’s own password needs the current one and signs out the other sessions', async () => {
    await addUser(server, { id: 'changer', role: 'agent', sectorIds: ['suporte'] });
    const here = await login(server, 'changer@test.local');
    const elsewhere = await login(server, 'changer@test.local');
    const wrong = await api<{ error: { issues: { path: string }[] } }>(server, 'POST', '/api/auth/password', { cookie: here, body: { password: 'nova-senha-1', currentPassword: 'errada' } });
    expect(wrong.status).toBe(403);
    expect(wrong.body.error.issues[0]?.path).toBe('currentPassword');
    expect((await api(server, 'POST', '/api/auth/password', { cookie: here, body: { password: 'curta', currentPassword: 'atende123' } })).status).toBe(400);
    expect((await api(server, 'POST', '/api/auth/password', { cookie: here, body: { password: 'nova-senha-1', currentPassword: 'atende123' } })).status).toBe(204);
    expect((await api(server, 'GET', '/api/auth/me', { cookie: here })).status).toBe(200);
    expect((await api(server, 'GET', '/api/auth/me', { cookie: elsewhere })).status).toBe(401);
    await login(server, 'changer@test.local', 'nova-senha-1');
    expect((await api(server, 'POST', '/api/auth/login', { body: { email: 'changer@test.local', password: 'atende123' } })).status).toBe(401);
  });

  it('refuses staff API calls and sockets opened by pages of another host', async () => {
    const cookie = await login(server, 'ana@atende.local');
    const evil = await api<{ error: { code: string } }>(server, 'POST', '/api/commands/presence.set', { cookie, body: { presence: 'online' }, headers: { origin: 'https://evil.example' } });
    expect(evil.status).toBe(403);
    await expect(LiveClient.open(server, '/api/live', cookie, { origin: 'https://evil.example' })).rejects.toThrow(/403/);
    // Another port of the same host is another origin (issue 10, item 4); the console's own origin and requests without an Origin are fine.
    expect((await api(server, 'POST', '/api/commands/presence.set', { cookie, body: { presence: 'online' }, headers: { origin: 'http://localhost:5173' } })).status).toBe(403);
    expect((await api(server, 'POST', '/api/commands/presence.set', { cookie, body: { presence: 'online' }, headers: { origin: server.url } })).status).toBe(200);
    expect((await api(server, 'POST', '/api/commands/presence.set', { cookie, body: { presence: 'online' } })).status).toBe(200);
    const live = await LiveClient.open(server, '/api/live', cookie, { origin: server.url });
    live.close();
  });
});
