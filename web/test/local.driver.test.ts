// @vitest-environment node
import type { AddressInfo } from 'node:net';
import { createServer, type Server } from 'node:http';
import type { ClientMessage, QueryName } from '@atende/core';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket, { WebSocketServer } from 'ws';
import { errorFromResponse, createLocalBackend } from '@/backend/local';
import { BackendError, type LiveEvent } from '@/backend';

/** A stand-in for the server's live endpoint: answers every subscribe with a snapshot numbered by connection. */
const liveServer = async () => {
  // Plain HTTP (logout) just succeeds.
  const http: Server = createServer((_req, res) => res.writeHead(204).end());
  const wss = new WebSocketServer({ server: http, path: '/api/live' });
  const received: ClientMessage[][] = [];
  const sockets: WebSocket[] = [];
  wss.on('connection', (ws) => {
    const n = received.push([]) - 1;
    sockets.push(ws);
    ws.on('message', (raw) => {
      const m = JSON.parse(String(raw)) as ClientMessage;
      received[n]!.push(m);
      if (m.type === 'subscribe') {
        if (m.query === 'forbidden') ws.send(JSON.stringify({ type: 'error', id: m.id, error: { code: 'permission-denied', message: 'you are not in sector x', issues: [] } }));
        else ws.send(JSON.stringify({ type: 'snapshot', id: m.id, docs: [{ id: `doc-from-connection-${n}` }] }));
      }
      if (m.type === 'ping') ws.send(JSON.stringify({ type: 'pong' }));
    });
  });
  await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
  const { port } = http.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    received,
    sockets,
    close: () => new Promise<void>((r) => {
      for (const s of wss.clients) s.terminate();
      wss.close();
      http.closeAllConnections();
      http.close(() => r());
    }),
  };
};

const until = async (check: () => boolean, ms = 5000) => {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
};

let server: Awaited<ReturnType<typeof liveServer>> | null = null;
afterEach(async () => {
  await server?.close();
  server = null;
});

describe('local driver', () => {
  it('multiplexes subscriptions on one socket and resubscribes everything after a drop', async () => {
    server = await liveServer();
    const backend = createLocalBackend({ baseUrl: server.baseUrl, WebSocket: WebSocket as unknown as typeof globalThis.WebSocket });
    const events: LiveEvent<{ id: string }>[] = [];
    const connection: boolean[] = [];
    backend.onConnection((c) => connection.push(c));
    backend.subscribe('tickets.waiting', { sectorIds: ['suporte'] }, (e) => events.push(e as LiveEvent<{ id: string }>));
    const stop = backend.subscribe('tickets.mine', {}, () => undefined);
    await until(() => events.length === 1);
    expect(server.received).toHaveLength(1);
    expect(server.received[0]!.filter((m) => m.type === 'subscribe').map((m) => m.type === 'subscribe' && m.query)).toEqual(['tickets.waiting', 'tickets.mine']);

    stop();
    await until(() => server!.received[0]!.some((m) => m.type === 'unsubscribe'));

    server.sockets[0]!.terminate();
    await until(() => events.length === 2, 8000);
    expect(connection).toEqual([true, false, true]);
    // Only what is still wanted is sent again, and the fresh snapshot comes from the new connection.
    expect(server.received[1]!.filter((m) => m.type === 'subscribe')).toEqual([{ type: 'subscribe', id: expect.any(String), query: 'tickets.waiting', params: { sectorIds: ['suporte'] } }]);
    expect(events[1]).toEqual({ type: 'snapshot', docs: [{ id: 'doc-from-connection-1' }] });
    await backend.signOut().catch(() => undefined);
  });

  it('hands a refused subscription its error and forgets it', async () => {
    server = await liveServer();
    const backend = createLocalBackend({ baseUrl: server.baseUrl, WebSocket: WebSocket as unknown as typeof globalThis.WebSocket });
    const events: LiveEvent<unknown>[] = [];
    backend.subscribe('forbidden' as QueryName, {}, (e) => events.push(e));
    await until(() => events.length === 1);
    const [event] = events;
    expect(event?.type).toBe('error');
    expect(event?.type === 'error' && event.error).toMatchObject({ code: 'permission-denied', message: 'you are not in sector x' });
    await backend.signOut().catch(() => undefined);
  });

  it('maps an error body to a BackendError with code, message, field issues and status', async () => {
    const body = { error: { code: 'invalid-argument', message: 'ticketId: must not be empty', issues: [{ path: 'ticketId', message: 'must not be empty' }] } };
    const e = await errorFromResponse(new Response(JSON.stringify(body), { status: 400, headers: { 'content-type': 'application/json' } }));
    expect(e).toBeInstanceOf(BackendError);
    expect({ code: e.code, message: e.message, issues: e.issues, status: e.status }).toEqual({ ...body.error, status: 400 });
    const bare = await errorFromResponse(new Response('Too Many', { status: 429 }));
    expect([bare.code, bare.status]).toEqual(['resource-exhausted', 429]);
  });
});
