import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { refs, type Ticket } from '@atende/core';
import { LiveClient, api, login, newWaitingTicket, run, startServer, ticketOf, type TestServer } from './helpers.ts';

let server: TestServer;
let ana: string;
let carla: string;
let admin: string;
const open: LiveClient[] = [];
const connect = async (cookie?: string, path = '/api/live') => {
  const c = await LiveClient.open(server, path, cookie);
  open.push(c);
  return c;
};

beforeAll(async () => {
  server = await startServer();
  [ana, carla, admin] = await Promise.all([login(server, 'ana@atende.local'), login(server, 'carla@atende.local'), login(server, 'admin@atende.local')]);
});
afterAll(async () => {
  for (const c of open) c.close();
  await server.close();
});

const ids = (docs: Record<string, unknown>[]) => docs.map((d) => d.id);
const waitingInSuporte = () =>
  server.app.store.query({ collection: 'tickets', where: [['status', '==', 'waiting'], ['sectorId', 'in', ['suporte']]], orderBy: [['queuedAt', 'asc']], limit: 2000 });

describe('live queries over a real WebSocket', () => {
  it('refuses the upgrade without a session', async () => {
    await expect(LiveClient.open(server, '/api/live')).rejects.toThrow(/401/);
  });

  it('sends a snapshot, then the changes a command from another session makes', async () => {
    const live = await connect(ana);
    const snap = await live.subscribe('w', 'tickets.waiting', { sectorIds: ['suporte'] });
    expect(snap.type).toBe('snapshot');
    expect(ids(snap.docs)).toEqual(ids(waitingInSuporte()));

    const created = await newWaitingTicket(server);
    const added = await live.changes('w', (m) => m.changes.some((c) => c.type === 'added' && c.doc.id === created.id));
    expect(added.changes.find((c) => c.doc.id === created.id)?.doc).toMatchObject({ status: 'waiting', sectorId: 'suporte' });

    expect((await run(server, carla, 'ticket.accept', { ticketId: created.id })).status).toBe(200);
    const removed = await live.changes('w', (m) => m.changes.some((c) => c.type === 'removed' && c.doc.id === created.id));
    expect(removed.changes).toHaveLength(1);
  });

  it('a ticket transferred out of my sectors leaves my Esperando live', async () => {
    const ticket = await newWaitingTicket(server);
    const live = await connect(ana);
    const snap = await live.subscribe('w', 'tickets.waiting', { sectorIds: ['suporte'] });
    expect(ids(snap.docs)).toContain(ticket.id);
    expect((await run(server, admin, 'ticket.transfer', { ticketId: ticket.id, sectorId: 'financeiro' })).status).toBe(200);
    await live.changes('w', (m) => m.changes.some((c) => c.type === 'removed' && c.doc.id === ticket.id));
  });

  it("resolves sectorIds 'visible' for each session: the same parameters give each agent their own sectors", async () => {
    const ticket = await newWaitingTicket(server);
    expect((await run(server, admin, 'ticket.transfer', { ticketId: ticket.id, sectorId: 'financeiro' })).status).toBe(200);
    const bruno = await login(server, 'bruno@atende.local');
    const [anas, brunos] = await Promise.all([connect(ana), connect(bruno)]);
    const forAna = await anas.subscribe('v', 'tickets.waiting', { sectorIds: 'visible' });
    const forBruno = await brunos.subscribe('v', 'tickets.waiting', { sectorIds: 'visible' });
    expect(ids(forAna.docs)).toEqual(ids(waitingInSuporte()));
    expect(ids(forAna.docs)).not.toContain(ticket.id);
    expect(ids(forBruno.docs)).toContain(ticket.id);
    expect(forBruno.docs.every((d) => d.sectorId === 'financeiro')).toBe(true);
  });

  it('refuses a subscription with a sector I am not in, and the socket keeps working', async () => {
    const live = await connect(ana);
    const refused = await live.subscribe('x', 'tickets.waiting', { sectorIds: ['financeiro'] });
    expect(refused).toMatchObject({ type: 'error', id: 'x', error: { code: 'permission-denied' } });
    const everything = await live.subscribe('y', 'tickets.waiting', {});
    expect(everything).toMatchObject({ type: 'error', error: { code: 'permission-denied' } });
    const unknown = await live.subscribe('z', 'tickets.everything', {});
    expect(unknown).toMatchObject({ type: 'error', error: { code: 'invalid-argument' } });
    const badParams = await live.subscribe('p', 'tickets.waiting', { sectorIds: 'suporte' });
    expect(badParams).toMatchObject({ type: 'error', error: { code: 'invalid-argument', issues: [{ path: 'sectorIds' }] } });
    live.ws.send('{not json');
    await live.next((m) => m.type === 'error' && m.id === null);
    const ok = await live.subscribe('ok', 'tickets.waiting', { sectorIds: ['suporte'] });
    expect(ok.type).toBe('snapshot');
    live.send({ type: 'ping' });
    await live.next((m) => m.type === 'pong');
  });

  it('a dropped socket reconnecting gets a fresh snapshot equal to the server state', async () => {
    const first = await connect(ana);
    await first.subscribe('w', 'tickets.waiting', { sectorIds: ['suporte'] });
    first.ws.terminate();
    // Things happen while the client is away.
    const missed = await newWaitingTicket(server);
    const [gone] = waitingInSuporte().filter((t) => t.id !== missed.id);
    await run(server, carla, 'ticket.accept', { ticketId: gone!.id });
    const second = await connect(ana);
    const snap = await second.subscribe<Ticket>('w', 'tickets.waiting', { sectorIds: ['suporte'] });
    expect(snap.docs).toEqual(waitingInSuporte());
    expect(ids(snap.docs)).toContain(missed.id);
    expect(ids(snap.docs)).not.toContain(gone!.id);
  });

  it('keeps a limited window full: a removal pulls in the next document from the database', async () => {
    while (waitingInSuporte().length < 4) await newWaitingTicket(server);
    const live = await connect(ana);
    const snap = await live.subscribe<Ticket>('w2', 'tickets.waiting', { sectorIds: ['suporte'], limit: 2 });
    const all = waitingInSuporte();
    expect(ids(snap.docs)).toEqual(ids(all.slice(0, 2)));
    await run(server, carla, 'ticket.accept', { ticketId: all[0]!.id });
    const change = await live.changes('w2');
    expect(change.changes.map((c) => [c.type, c.doc.id])).toEqual([
      ['removed', all[0]!.id],
      ['added', all[2]!.id],
    ]);
  });

  it('a thread subscription ends with permission-denied when the ticket moves where I cannot see it', async () => {
    const t = await newWaitingTicket(server);
    await run(server, ana, 'ticket.accept', { ticketId: t.id });
    const live = await connect(ana);
    const thread = await live.subscribe<{ text: string }>('m', 'messages.ofTicket', { ticketId: t.id });
    expect(thread.docs.length).toBeGreaterThan(0);
    const doc = await live.subscribe('t', 'ticket', { id: t.id });
    expect(doc.type).toBe('snapshot');

    await run(server, ana, 'message.send', { ticketId: t.id, text: 'Já verifico!', clientId: 'c-1' });
    const sent = await live.changes('m', (m) => m.changes.some((c) => c.type === 'added' && c.doc.text === 'Já verifico!'));
    // A web-chat reply is written delivered by message.send itself: one change, no later `modified` for its delivery.
    expect(sent.changes[0]?.doc).toMatchObject({ direction: 'out', authorId: 'ana', status: 'delivered' });

    await run(server, admin, 'ticket.transfer', { ticketId: t.id, sectorId: 'financeiro', assigneeId: 'bruno' });
    await live.next((m) => m.type === 'error' && m.id === 'm' && m.error.code === 'permission-denied');
    await live.next((m) => m.type === 'error' && m.id === 't' && m.error.code === 'permission-denied');
    await live.changes('t', (m) => m.changes[0]?.type === 'removed');
    // Later messages of that ticket do not reach me: a message on a ticket I still see, sent after it, arrives
    // on the same socket, in commit order — once it is here, the secret would have been too.
    const mine = await newWaitingTicket(server);
    await run(server, ana, 'ticket.accept', { ticketId: mine.id });
    await live.subscribe('sentinel', 'messages.ofTicket', { ticketId: mine.id });
    await run(server, admin, 'message.send', { ticketId: t.id, text: 'segredo' });
    await run(server, ana, 'message.send', { ticketId: mine.id, text: 'sentinela', clientId: 'c-sentinel' });
    await live.changes('sentinel', (m) => m.changes.some((c) => c.type === 'added' && (c.doc as { text?: string }).text === 'sentinela'));
    expect(JSON.stringify(live.messages)).not.toContain('segredo');
    // Nor did a second change of the web-chat reply come before it.
    expect(live.messages.some((m) => m.type === 'changes' && m.id === 'm' && m.changes.some((c) => c.type === 'modified' && c.doc.text === 'Já verifico!'))).toBe(false);
    // And I cannot subscribe again.
    expect(await live.subscribe('m2', 'messages.ofTicket', { ticketId: t.id })).toMatchObject({ type: 'error', error: { code: 'permission-denied' } });
  });

  it('shares one evaluation between sockets subscribed to the same query', async () => {
    const before = server.app.hub.stats().evaluations;
    const a = await connect(carla);
    const b = await connect(admin);
    await a.subscribe('s', 'sectors.all');
    await b.subscribe('s2', 'sectors.all');
    expect(server.app.hub.stats().evaluations).toBe(before + 1);
    await run(server, admin, 'sector.save', { id: 'vendas', name: 'Vendas', color: '#aa00aa', overflowSectorId: null });
    const [ca, cb] = await Promise.all([a.changes('s'), b.changes('s2')]);
    expect(ca.changes).toEqual(cb.changes);
    expect(ca.changes[0]).toMatchObject({ type: 'added', doc: { id: 'vendas' } });
  });

  it('pushes tab counters as commands move tickets', async () => {
    const live = await connect(ana);
    const counterId = 'tickets.waiting.sector.suporte';
    const snap = await live.subscribe<{ value: number }>('c', 'counters', { ids: [counterId] });
    const value = snap.docs[0]?.value ?? 0;
    expect(value).toBe(waitingInSuporte().length);
    await newWaitingTicket(server);
    const change = await live.changes('c');
    expect(change.changes[0]?.doc).toMatchObject({ id: counterId, value: value + 1 });
  });

  it('closes the sockets of a session that logs out', async () => {
    const cookie = await login(server, 'bruno@atende.local');
    const live = await connect(cookie);
    await live.subscribe('s', 'sectors.all');
    const closed = live.closed();
    await api(server, 'POST', '/api/auth/logout', { cookie });
    expect(await closed).toBe(4401);
  });

  it('ends the sessions of a user who loses a sector, so old permissions do not linger (issue 10, item 7)', async () => {
    const cookie = await login(server, 'carla@atende.local');
    const live = await connect(cookie);
    await live.subscribe('w', 'tickets.waiting', { sectorIds: ['financeiro'] });
    const closed = live.closed();
    const carlaDoc = server.app.store.get(refs.user('carla'))!;
    await run(server, admin, 'user.save', { ...carlaDoc, sectorIds: ['suporte'], presence: undefined, updatedAt: undefined });
    expect(await closed).toBe(4401);
    await expect(connect(cookie)).rejects.toThrow(/401/);
    const again = await connect(await login(server, 'carla@atende.local'));
    expect(await again.subscribe('w', 'tickets.waiting', { sectorIds: ['financeiro'] })).toMatchObject({ type: 'error', error: { code: 'permission-denied' } });
  });

  it('checks the ticket in the live feed stays consistent with the database after many changes', async () => {
    const live = await connect(admin);
    const snap = await live.subscribe<Ticket>('all', 'tickets.open', { limit: 3 });
    let view = snap.docs;
    const apply = (changes: { type: string; doc: Record<string, unknown> }[]) => {
      const byId = new Map(view.map((d) => [d.id, d]));
      for (const c of changes) c.type === 'removed' ? byId.delete(c.doc.id as string) : byId.set(c.doc.id as string, c.doc as Ticket);
      view = [...byId.values()];
    };
    for (let i = 0; i < 5; i++) {
      const t = await newWaitingTicket(server);
      await run(server, admin, 'ticket.accept', { ticketId: t.id });
      apply((await live.changes('all')).changes);
      if (i % 2 === 0) {
        await run(server, admin, 'ticket.close', { ticketId: t.id });
        apply((await live.changes('all')).changes);
      }
    }
    const expected = server.app.store.query({ collection: 'tickets', where: [['status', '==', 'open']], orderBy: [['lastMessageAt', 'desc']], limit: 3 });
    expect(new Set(ids(view))).toEqual(new Set(ids(expected)));
    expect(ticketOf(server, expected[0]!.id).status).toBe('open');
  });
});
