/**
 * Harness (1): the embedded server — the real Fastify app on a temporary
 * SQLite data dir, driven through the SPA's own `local` driver over real
 * HTTP and a real WebSocket. Node's fetch keeps no cookies, so each user's
 * driver gets a base URL with the user in it (`http://ana@127.0.0.1:port`)
 * and a small jar keyed by that name carries each session's cookie.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { commandRegistry, executeCommand, SYSTEM, DEMO_PASSWORD } from '@atende/core';
import { buildApp } from '../server/src/app.ts';
import { createLocalBackend } from '../web/src/backend/local.ts';
import type { PresenceHarness } from './presence.ts';
import type { WidgetHarness } from './widget.ts';
import type { WhatsAppHarness } from './whatsapp.ts';
import { createHttpApi } from '../web/src/widget/api.ts';
import { createLive, type SocketLike } from '../web/src/widget/live.ts';

const jar = new Map<string, string>();

const split = (url: string): { user: string | null; url: string } => {
  const u = new URL(url);
  const user = u.username ? decodeURIComponent(u.username) : null;
  u.username = '';
  u.password = '';
  return { user, url: u.toString() };
};

const realFetch = globalThis.fetch;
const jarFetch: typeof fetch = async (input, init) => {
  const { user, url } = split(typeof input === 'string' ? input : input instanceof URL ? input.toString() : input.url);
  const headers = new Headers(init?.headers);
  if (user && jar.has(user)) headers.set('cookie', jar.get(user)!);
  const res = await realFetch(url, { ...init, headers });
  const set = res.headers.getSetCookie();
  if (user && set.length > 0) jar.set(user, set.map((c) => c.split(';')[0]).join('; '));
  return res;
};

class JarWebSocket extends WebSocket {
  constructor(address: string) {
    const { user, url } = split(address);
    super(url, { headers: user && jar.has(user) ? { cookie: jar.get(user)! } : {} });
  }
}

export const embeddedHarness = async (): Promise<PresenceHarness & WidgetHarness & WhatsAppHarness & { app: Awaited<ReturnType<typeof buildApp>>; url: string }> => {
  const dataDir = mkdtempSync(join(tmpdir(), 'atende-conformance-'));
  const app = await buildApp({ dataDir, webDist: join(dataDir, 'no-web-dist'), seed: 'demo' });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.server.address() as { port: number };
  globalThis.fetch = jarFetch;
  const backends: { signOut(): Promise<void> }[] = [];
  return {
    app,
    url: `http://127.0.0.1:${port}`,
    // The demo seed's WhatsApp simulator: the fake Graph API the server's carriers call, and the phone posting to /webhooks/whatsapp.
    phone: app.whatsappSimulator!,
    async signIn(email, password = DEMO_PASSWORD) {
      const name = email.split('@')[0]!;
      const backend = createLocalBackend({ baseUrl: `http://${name}@127.0.0.1:${port}`, WebSocket: JarWebSocket as unknown as typeof globalThis.WebSocket });
      await backend.signIn(email, password);
      backends.push(backend);
      return backend;
    },
    async inbound({ channelId, externalId, name, text }) {
      return (await executeCommand(commandRegistry, app.deps, SYSTEM, 'inbound.receive', {
        channelId,
        externalId,
        contact: { name },
        channelMessageId: `${externalId}-${app.newId()}`,
        text,
      })) as { ticketId: string; protocol?: string };
    },
    // The widget's own transport over real HTTP and a real WebSocket (a visitor's browser).
    widget: () => ({
      ...createHttpApi(`http://127.0.0.1:${port}`),
      connect: (token) => createLive(() => `ws://127.0.0.1:${port}/api/widget/live?token=${encodeURIComponent(token)}`, { createSocket: (u) => new WebSocket(u) as unknown as SocketLike }),
    }),
    sweepPresence: (now) => app.presence.sweep(now),
    async presenceEvents(userId) {
      const events = await app.store.transaction((tx) => tx.query({ collection: 'presenceEvents', where: [['userId', '==', userId]], orderBy: [['at', 'asc']] }));
      return events;
    },
    async close() {
      await Promise.allSettled(backends.map((b) => b.signOut()));
      globalThis.fetch = realFetch;
      await app.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
};
