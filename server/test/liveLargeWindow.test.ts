import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';
import { refs, type QuerySpec, type Ticket } from '@atende/core';
import { actorOf } from '../src/auth/sessions.ts';
import { OUTLINE_WINDOW } from '../src/live/outline.ts';
import { LiveClient, login, newWaitingTicket, startServer, type TestServer } from './helpers.ts';

/** More tickets than the window holds: it is full, so a ticket leaving it pulls the next one in from the database. */
const TICKETS = OUTLINE_WINDOW + 60;
const LIMIT = OUTLINE_WINDOW + 20;
const SPEC: QuerySpec = { collection: 'tickets', where: [['status', '==', 'waiting']], orderBy: [['queuedAt', 'asc']], limit: LIMIT };

/**
 * A window larger than OUTLINE_WINDOW (Esperando's whole queue): the hub
 * keeps outlines and sends the snapshot as the stored bytes, in parts the
 * socket gathers into one frame. A client must read exactly what core's
 * query gives, whole documents in every change, over plain and compressing
 * sockets alike.
 */
describe('a live window larger than OUTLINE_WINDOW', () => {
  let server: TestServer;
  let admin: string;
  let deflating: WebSocketServer;
  const open: LiveClient[] = [];

  beforeAll(async () => {
    server = await startServer();
    admin = await login(server, 'admin@atende.local');
    const model = await newWaitingTicket(server);
    // Copies of a real waiting ticket (its text has accents: multi-byte UTF-8), with ties on queuedAt broken by id.
    await server.app.store.transaction(async (tx) => {
      for (let i = 0; i < TICKETS; i++) {
        const id = `big-${String(i).padStart(5, '0')}`;
        tx.create(refs.ticket(id), { ...model, id, queuedAt: (model.queuedAt ?? 0) + 1000 + (i % 400), unread: i % 7 } as Ticket);
      }
    });
    deflating = await new Promise<WebSocketServer>((ready) => {
      const wss: WebSocketServer = new WebSocketServer({ port: 0, host: '127.0.0.1', perMessageDeflate: { threshold: 0 } }, () => ready(wss));
    });
    const actor = actorOf(server.app.store.get(refs.user('admin'))!);
    deflating.on('connection', (ws) => server.app.hub.attach(ws, actor, { sessionHash: null, owner: null }));
  });
  afterAll(async () => {
    for (const c of open) c.close();
    await new Promise<void>((done) => deflating.close(() => done()));
    await server.close();
  });

  const connect = async (deflate: boolean) => {
    const c = deflate
      ? await LiveClient.open({ ...server, url: `http://127.0.0.1:${(deflating.address() as AddressInfo).port}` }, '')
      : await LiveClient.open(server, '/api/live', admin);
    open.push(c);
    return c;
  };

  it('sends the snapshot core’s query gives, to a plain socket and to a compressing one', async () => {
    const [plain, deflated] = [await connect(false), await connect(true)];
    expect(deflated.ws.extensions).toMatch(/permessage-deflate/);
    const expected = server.app.store.query(SPEC);
    expect(expected).toHaveLength(LIMIT);
    expect((await plain.subscribe('q', 'tickets.waiting', { limit: LIMIT })).docs).toEqual(expected);
    // The second subscriber joins the same evaluation, which holds outlines: it is sent the stored documents too.
    expect((await deflated.subscribe('q2', 'tickets.waiting', { limit: LIMIT })).docs).toEqual(expected);
    expect(server.app.hub.stats().evaluations).toBeGreaterThanOrEqual(1);
  });

  it('sends whole documents in its changes: a ticket leaving the full window, the next one it pulls in, a field the outline does not keep', async () => {
    const live = await connect(false);
    const held = (await live.subscribe('w', 'tickets.waiting', { limit: LIMIT })).docs as Ticket[];
    const leaving = held[3]!;
    const next = server.app.store.query({ ...SPEC, limit: LIMIT + 1 }).at(-1)!;
    expect(held.map((t) => t.id)).not.toContain(next.id);
    await server.app.store.transaction(async (tx) => tx.set(refs.ticket(leaving.id), { ...leaving, status: 'open', assigneeId: 'ana', updatedAt: leaving.updatedAt + 1 }));
    const moved = await live.changes('w', (m) => m.changes.some((c) => c.doc.id === leaving.id));
    expect(moved.changes).toEqual(expect.arrayContaining([{ type: 'removed', doc: leaving }, { type: 'added', doc: next }]));
    expect(moved.changes).toHaveLength(2);

    const changed = held[10]!;
    const after = { ...changed, unread: changed.unread + 5, lastMessage: { ...changed.lastMessage!, text: 'nova mensagem é aqui' }, updatedAt: changed.updatedAt + 1 };
    await server.app.store.transaction(async (tx) => tx.set(refs.ticket(changed.id), after));
    expect((await live.changes('w', (m) => m.changes.some((c) => c.doc.id === changed.id))).changes).toEqual([{ type: 'modified', doc: after }]);
    // What the window shows now is what a fresh query shows.
    const fresh = await connect(false);
    expect((await fresh.subscribe('again', 'tickets.waiting', { limit: LIMIT })).docs).toEqual(server.app.store.query(SPEC));
  });
});
