import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Agent, createServer, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LIMITS, backoffMs, refs, type CarryResult, type Message } from '@atende/core';
import { buildApp } from '../src/app.ts';
import { LiveClient, api, login, run, startServer } from './helpers.ts';
import { PNG } from './fixtures.ts';

const dirs: string[] = [];
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'atende-app-'));
  dirs.push(d);
  return d;
};
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('first run', () => {
  it('seeds the demo on an empty data dir, prints its logins, and never seeds an existing one again', async () => {
    const dataDir = tempDir();
    const first = await buildApp({ dataDir, webDist: join(dataDir, 'none') });
    await first.ready();
    expect(first.demoLogins?.map((l) => l.email)).toEqual(['admin@atende.local', 'supervisor@atende.local', 'ana@atende.local', 'bruno@atende.local', 'carla@atende.local']);
    const tickets = first.store.query({ collection: 'tickets', where: [], orderBy: [] }).length;
    expect(tickets).toBeGreaterThan(3);
    await first.close();

    const second = await buildApp({ dataDir, webDist: join(dataDir, 'none') });
    await second.ready();
    expect(second.demoLogins).toBeNull();
    expect(second.store.query({ collection: 'tickets', where: [], orderBy: [] })).toHaveLength(tickets);
    await second.close();
  });

  it('starts empty with only the admin from the environment, who can sign in', async () => {
    const server = await startServer({ seed: 'empty', admin: { email: 'Dona@Empresa.com', password: 'senha-forte-1', name: 'Dona' } });
    try {
      expect(server.app.demoLogins).toBeNull();
      expect(server.app.store.query({ collection: 'users', where: [], orderBy: [] }).map((u) => [u.email, u.role])).toEqual([['dona@empresa.com', 'admin']]);
      expect(server.app.store.query({ collection: 'tickets', where: [], orderBy: [] })).toEqual([]);
      await login(server, 'dona@empresa.com', 'senha-forte-1');
    } finally {
      await server.close();
    }
  });

  it('refuses to start empty without an admin password', async () => {
    const app = await buildApp({ dataDir: tempDir(), seed: 'empty', admin: { email: 'a@b.c', password: '', name: 'A' } }).catch((e: Error) => e);
    expect(app).toBeInstanceOf(Error);
    expect((app as Error).message).toMatch(/ATENDE_ADMIN_PASSWORD/);
  });
});

describe('the SPA', () => {
  it('serves web/dist with fallbacks to the console and the widget, and long caching for hashed assets', async () => {
    const dist = tempDir();
    mkdirSync(join(dist, 'assets'));
    writeFileSync(join(dist, 'index.html'), '<!doctype html><title>console</title>');
    writeFileSync(join(dist, 'widget.html'), '<!doctype html><title>widget</title>');
    writeFileSync(join(dist, 'assets', 'app-3f2a1b.js'), 'console.log(1)');
    const server = await startServer({ webDist: dist });
    try {
      for (const path of ['/', '/tickets/abc', '/admin/users?x=1']) {
        const res = await fetch(server.url + path);
        expect(res.status, path).toBe(200);
        expect(await res.text()).toContain('console');
        expect(res.headers.get('cache-control')).toBe('no-cache');
      }
      // The console may not be framed elsewhere and runs only its own scripts.
      const csp = (await fetch(`${server.url}/`)).headers.get('content-security-policy') ?? '';
      expect(csp).toContain("frame-ancestors 'self'");
      expect(csp).toContain("script-src 'self';");
      expect(csp).toContain("object-src 'none'");
      const widget = await fetch(`${server.url}/widget/site`);
      expect(await widget.text()).toContain('widget');
      // The widget is embedded on customers' sites: it may be framed.
      expect(widget.headers.get('content-security-policy')).toBeNull();
      expect(widget.headers.get('x-frame-options')).toBeNull();
      const asset = await fetch(`${server.url}/assets/app-3f2a1b.js`);
      expect(asset.status).toBe(200);
      expect(asset.headers.get('cache-control')).toMatch(/immutable/);
      await asset.text();
      // Unknown API paths are never answered with the SPA.
      const apiMiss = await api(server, 'GET', '/api/nope');
      expect(apiMiss.status).toBe(401);
      expect(apiMiss.body).toMatchObject({ error: { code: 'unauthenticated' } });
    } finally {
      await server.close();
    }
  });

  it('says to run npm run build when web/dist is missing', async () => {
    const server = await startServer();
    try {
      const res = await fetch(`${server.url}/`);
      expect(res.status).toBe(200);
      expect(await res.text()).toContain('npm run build');
    } finally {
      await server.close();
    }
  });
});

describe('delivery dispatcher (a message is its own outbox entry)', () => {
  it('delivers web-chat messages once; an unreachable provider is retried with the reason shown; retries follow core policy', async () => {
    let now = Date.now();
    // Nothing listens on port 1: every Graph call is a network failure.
    const server = await startServer({ clock: () => now, whatsappSimulator: false, whatsappGraphUrl: 'http://127.0.0.1:1' });
    try {
      const bruno = await login(server, 'bruno@atende.local');
      const [pedro] = server.app.store.query({ collection: 'tickets', where: [['channelId', '==', 'whatsapp'], ['status', '==', 'waiting']], orderBy: [] });
      await run(server, bruno, 'ticket.accept', { ticketId: pedro!.id });
      const sent = await run<{ result: { message: Message } }>(server, bruno, 'message.send', { ticketId: pedro!.id, text: 'Olá Pedro' });
      const messageId = sent.body.result.message.id;
      await server.app.outbox.kick();
      expect(server.app.store.get(refs.message(pedro!.id, messageId))?.delivery).toMatchObject({ attempts: 1, dueAt: now + backoffMs(1), lastError: 'provider-unavailable' });
      expect(server.app.store.get(refs.message(pedro!.id, messageId))).toMatchObject({ status: 'pending', deliveryFailure: { code: 'provider-unavailable' } });

      // A sender that is rate limited twice, then accepts: retried on core's backoff, then sent.
      const answers: CarryResult[] = [
        { kind: 'retry', failure: { code: 'rate-limited', providerCode: 130429, detail: null } },
        { kind: 'retry', failure: { code: 'rate-limited', providerCode: 130429, detail: null } },
        { kind: 'sent', channelMessageId: 'wamid.OK' },
      ];
      server.app.outbox.setCarrier('whatsapp', async (job) =>
        job.message.text === 'De novo' ? answers.shift()! : { kind: 'give-up', failure: { code: 'rejected', providerCode: null, detail: null } },
      );
      const again = await run<{ result: { message: Message } }>(server, bruno, 'message.send', { ticketId: pedro!.id, text: 'De novo' });
      const againId = again.body.result.message.id;
      await server.app.outbox.kick();
      expect(server.app.store.get(refs.message(pedro!.id, againId))?.delivery).toMatchObject({ attempts: 1, dueAt: now + backoffMs(1), lastError: 'rate-limited' });
      expect(server.app.store.get(refs.message(pedro!.id, againId))).toMatchObject({ status: 'pending', deliveryFailure: { code: 'rate-limited' } });
      await server.app.outbox.kick();
      expect(server.app.store.get(refs.message(pedro!.id, againId))?.delivery).toMatchObject({ attempts: 1 });
      now += backoffMs(1);
      await server.app.outbox.kick();
      expect(server.app.store.get(refs.message(pedro!.id, againId))?.delivery).toMatchObject({ attempts: 2, dueAt: now + backoffMs(2) });
      now += backoffMs(2);
      await server.app.outbox.kick();
      expect(server.app.store.get(refs.message(pedro!.id, againId))?.delivery).toMatchObject({ attempts: 3, dueAt: null, lastError: null });
      expect(server.app.store.get(refs.message(pedro!.id, againId))).toMatchObject({ status: 'sent', channelMessageId: 'wamid.OK', deliveryFailure: null });
      expect(answers).toEqual([]);

      // Web chat: delivered, and a second pass changes nothing.
      const ana = await login(server, 'ana@atende.local');
      const [site] = server.app.store.query({ collection: 'tickets', where: [['channelId', '==', 'site'], ['status', '==', 'waiting']], orderBy: [] });
      await run(server, ana, 'ticket.accept', { ticketId: site!.id });
      const reply = await run<{ result: { message: Message } }>(server, ana, 'message.send', { ticketId: site!.id, text: 'Oi!' });
      await server.app.outbox.kick();
      const delivered = server.app.store.get(refs.message(site!.id, reply.body.result.message.id))?.delivery;
      expect(delivered).toMatchObject({ attempts: 1, dueAt: null, lastError: null });
      expect(server.app.store.get(refs.message(site!.id, reply.body.result.message.id))?.status).toBe('delivered');
      now += 60_000;
      await server.app.outbox.kick();
      expect(server.app.store.get(refs.message(site!.id, reply.body.result.message.id))?.delivery).toEqual(delivered);
    } finally {
      await server.close();
    }
  });
});

describe('graceful shutdown', () => {
  it('closes live sockets, lets the running transaction finish, then closes the database', async () => {
    const server = await startServer();
    const cookie = await login(server, 'ana@atende.local');
    const live = await LiveClient.open(server, '/api/live', cookie);
    await live.subscribe('s', 'sectors.all');
    const closedCode = live.closed();
    let release!: () => void;
    const running = server.app.store.transaction(async (tx) => {
      await new Promise<void>((r) => (release = r));
      tx.set(refs.tag('at-shutdown'), { id: 'at-shutdown', name: 'x', color: '#000000', updatedAt: 1 });
    });
    let closed = false;
    const closing = server.app.close().then(() => (closed = true));
    // Sockets go first; the database waits for the transaction still running.
    expect(await closedCode).toBe(1001);
    expect(closed).toBe(false);
    release();
    await running;
    await closing;
    const again = await buildApp({ dataDir: server.dataDir, webDist: join(server.dataDir, 'none') });
    await again.ready();
    expect(again.store.get(refs.tag('at-shutdown'))).not.toBeNull();
    await again.close();
    rmSync(server.dataDir, { recursive: true, force: true });
  });
  it('answers a request still running when it starts closing, then closes its keep-alive connection instead of waiting for it', async () => {
    // A provider that holds its answer until released: the copilot request is in flight when the close begins.
    let asked!: () => void;
    const providerAsked = new Promise<void>((r) => (asked = r));
    let release!: () => void;
    const released = new Promise<void>((r) => (release = r));
    const provider = createServer((_req, res) => {
      asked();
      void released.then(() => res.writeHead(500, { 'content-type': 'application/json' }).end('{}'));
    });
    await new Promise<void>((r) => provider.listen(0, '127.0.0.1', r));
    const server = await startServer({ aiProvider: { baseUrl: `http://127.0.0.1:${(provider.address() as AddressInfo).port}`, apiKey: 'k', model: 'm', timeoutMs: 10_000, retries: 0 } });
    const cookie = await login(server, 'ana@atende.local');
    const [ticket] = server.app.store.query({ collection: 'tickets', where: [['assigneeId', '==', 'ana']], orderBy: [] });
    const agent = new Agent({ keepAlive: true });
    const body = JSON.stringify({ ticketId: ticket!.id });
    const answered = new Promise<number>((resolve, reject) => {
      const req = httpRequest(`${server.url}/api/copilot/summarize`, { method: 'POST', agent, headers: { cookie, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      });
      req.on('error', reject);
      req.end(body);
    });
    await providerAsked;
    const closing = server.app.close();
    release();
    // The provider failed: the offline summary answers, and the client's connection is left idle in its pool.
    expect(await answered).toBe(200);
    // Without closing that idle connection, this waits for the server's keep-alive timeout (72 s) and the test times out.
    await closing;
    expect(server.app.server.listening).toBe(false);
    agent.destroy();
    provider.close();
    rmSync(server.dataDir, { recursive: true, force: true });
  });
});

describe('logs', () => {
  it('never contain a widget bearer token, even when it rides in a URL', async () => {
    const lines: string[] = [];
    const server = await startServer({ logger: { level: 'info', stream: { write: (line: string) => void lines.push(line) } } });
    try {
      const session = await api<{ token: string }>(server, 'POST', '/api/widget/site/session', { body: { name: 'Log' } });
      const token = session.body.token;
      const live = await LiveClient.open(server, `/api/widget/live?token=${encodeURIComponent(token)}`);
      live.close();
      await fetch(`${server.url}/api/widget/files/x/y?token=${encodeURIComponent(token)}`);
      expect(lines.join('\n')).toContain('token=[redacted]');
      expect(lines.join('\n')).not.toContain(token);
    } finally {
      await server.close();
    }
  });
});

describe('scheduler', () => {
  it('runs the automation tick: a quiet ticket in service is auto-closed with the closing message', async () => {
    let now = Date.now();
    const server = await startServer({ clock: () => now });
    try {
      const admin = await login(server, 'admin@atende.local');
      const autoClose = { enabled: true, afterMinutes: 10, closeAgentTickets: true, closeBotTickets: true, warningMinutes: 0, warningMessage: '', closingMessage: 'Encerrado por inatividade.' };
      expect((await run(server, admin, 'settings.update', { autoClose })).status).toBe(200);
      const [roberto] = server.app.store.query({ collection: 'tickets', where: [['status', '==', 'open'], ['assigneeId', '==', 'ana']], orderBy: [] });
      const ana = await login(server, 'ana@atende.local');
      await run(server, ana, 'message.send', { ticketId: roberto!.id, text: 'Conseguiu resolver?' });
      await server.app.scheduler.runNow();
      expect(server.app.store.get(refs.ticket(roberto!.id))?.status).toBe('open');
      now += 11 * 60_000;
      await server.app.scheduler.runNow();
      expect(server.app.store.get(refs.ticket(roberto!.id))).toMatchObject({ status: 'closed', closedBy: null });
      const thread = server.app.store.query({ collection: 'messages', parentId: roberto!.id, where: [], orderBy: [['createdAt', 'asc']] });
      expect(thread.some((m) => m.event?.kind === 'autoClosed')).toBe(true);
      expect(thread.at(-1)).toMatchObject({ text: 'Encerrado por inatividade.', automated: true });
    } finally {
      await server.close();
    }
  });
});

describe('live socket heartbeat', () => {
  it('closes a socket whose session expired, and keeps the others', async () => {
    const server = await startServer({ heartbeatMs: 100 });
    try {
      const expiring = await login(server, 'ana@atende.local');
      const staying = await login(server, 'carla@atende.local');
      const a = await LiveClient.open(server, '/api/live', expiring);
      const b = await LiveClient.open(server, '/api/live', staying);
      const closed = a.closed();
      server.app.db.prepare("UPDATE sessions SET expires_at = 0 WHERE uid = 'ana'").run();
      const twoMoreBeats = new Promise<void>((resolve) => {
        let beats = 0;
        b.ws.on('ping', () => ++beats === 2 && resolve());
      });
      expect(await closed).toBe(4401);
      // Two more heartbeats check every socket again; Carla's session is alive, so hers stays.
      await twoMoreBeats;
      expect(b.ws.readyState).toBe(b.ws.OPEN);
      expect((await b.subscribe('s', 'sectors.all')).type).toBe('snapshot');
      b.close();
    } finally {
      await server.close();
    }
  });
});

describe('abandoned uploads', () => {
  it('removes a customer upload never attached to a message after an hour, and keeps sent ones', async () => {
    let now = Date.now();
    const server = await startServer({ clock: () => now, whatsappSimulator: false, whatsappGraphUrl: 'http://127.0.0.1:1' });
    try {
      const session = await api<{ token: string }>(server, 'POST', '/api/widget/site/session', { body: { name: 'Arquivo' } });
      const upload = async (name: string) => {
        const form = new FormData();
        form.append('file', new Blob([PNG]), name);
        const res = await fetch(`${server.url}/api/widget/files`, { method: 'POST', headers: { authorization: `Bearer ${session.body.token}` }, body: form });
        return ((await res.json()) as { attachment: { id: string } }).attachment;
      };
      const abandoned = await upload('esquecido.png');
      const sent = await upload('enviado.png');
      const message = await api<{ ticketId: string }>(server, 'POST', '/api/widget/messages', {
        body: { text: '', attachments: [{ id: sent.id }], clientMessageId: 'with-file' },
        headers: { authorization: `Bearer ${session.body.token}` },
      });
      const files = () => (server.app.db.prepare('SELECT id, path FROM files').all() as { id: string; path: string }[]);
      const abandonedPath = files().find((f) => f.id === abandoned.id)!.path;
      const sentPath = files().find((f) => f.id === sent.id)!.path;
      now += LIMITS.widget.stagedTtlMs + 60_000;
      await server.app.scheduler.runNow();
      expect(files().map((f) => f.id)).toEqual([sent.id]);
      expect(existsSync(abandonedPath)).toBe(false);
      expect(existsSync(sentPath)).toBe(true);
      expect(server.app.db.prepare('SELECT ticket_id FROM files WHERE id = ?').get(sent.id)).toEqual({ ticket_id: message.body.ticketId });
    } finally {
      await server.close();
    }
  });
});
