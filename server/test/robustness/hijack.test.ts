import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LiveClient, login, startServer, type TestServer } from '../helpers.ts';

/**
 * Issue 10, item 4: cross-site WebSocket hijacking. The session cookie is
 * SameSite=Lax, and browsers treat another port of the same host as the same
 * site, so a page there opened `/api/live` with the admin's cookie and read the
 * queue. A real Chromium page on another port must not read it; the console's
 * own origin still does.
 */
const CHROMIUM_FLAGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

let server: TestServer;
let attacker: Server;
let attackerUrl: string;
let browser: Browser;

/** Opens the staff socket from the page and reports what it got: the first message, or how it ended. */
const probe = (target: string) => `new Promise((resolve) => {
  const ws = new WebSocket(${JSON.stringify(`${target.replace('http', 'ws')}/api/live`)});
  ws.onopen = () => ws.send(JSON.stringify({ type: 'subscribe', id: 'q', query: 'tickets.waiting', params: { sectorIds: ['suporte'] } }));
  ws.onmessage = (e) => resolve('data:' + e.data);
  ws.onclose = (e) => resolve('closed:' + e.code);
})`;

beforeAll(async () => {
  server = await startServer();
  attacker = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>promo</title><p>Oferta!</p>'));
  await new Promise<void>((done) => attacker.listen(0, '127.0.0.1', done));
  attackerUrl = `http://127.0.0.1:${(attacker.address() as AddressInfo).port}`;
  browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium', args: CHROMIUM_FLAGS });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await new Promise((done) => attacker.close(done));
  await server.close();
});

describe('cross-site WebSocket hijacking', () => {
  it('a Chromium page on another port of the same host cannot read /api/live with the admin’s cookie', { timeout: 60_000 }, async () => {
    const cookie = await login(server, 'admin@atende.local');
    const [name, value] = cookie.split('=') as [string, string];
    const context = await browser.newContext();
    await context.addCookies([{ name, value, url: server.url, httpOnly: true, sameSite: 'Lax' }]);
    const page = await context.newPage();

    await page.goto(attackerUrl);
    const stolen = (await page.evaluate(probe(server.url))) as string;
    expect(stolen).not.toMatch(/^data:/);
    expect(stolen).toMatch(/^closed:/);

    // The same cookie from the console's own origin reads the queue: the check refuses origins, not people.
    await page.goto(`${server.url}/api/health`);
    const own = (await page.evaluate(probe(server.url))) as string;
    expect(own).toMatch(/^data:\{"type":"snapshot","id":"q"/);
    await context.close();
  });

  it('refuses Origin: null and another scheme or port, and accepts the configured public URL only', async () => {
    const cookie = await login(server, 'admin@atende.local');
    const port = new URL(server.url).port;
    for (const origin of ['null', `http://127.0.0.1:${Number(port) + 1}`, `https://127.0.0.1:${port}`, 'http://127.0.0.1', 'http://localhost.evil.example'])
      await expect(LiveClient.open(server, '/api/live', cookie, { origin }), origin).rejects.toThrow(/403/);
    const ok = await LiveClient.open(server, '/api/live', cookie, { origin: server.url });
    ok.close();
    // A login posted from another origin is refused as well.
    const res = await fetch(`${server.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: 'null' },
      body: JSON.stringify({ email: 'admin@atende.local', password: 'atende123' }),
    });
    expect(res.status).toBe(403);
  });

  it('with PUBLIC_URL set, only that origin is accepted, whatever the Host header says', async () => {
    const configured = await startServer({ publicUrl: 'https://atende.example.com' });
    try {
      const cookie = await login(configured, 'admin@atende.local');
      await expect(LiveClient.open(configured, '/api/live', cookie, { origin: configured.url })).rejects.toThrow(/403/);
      await expect(LiveClient.open(configured, '/api/live', cookie, { origin: 'http://atende.example.com' })).rejects.toThrow(/403/);
      const ok = await LiveClient.open(configured, '/api/live', cookie, { origin: 'https://atende.example.com' });
      ok.close();
    } finally {
      await configured.close();
    }
  });
});
