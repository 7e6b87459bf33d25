import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { refs, type Message } from '@atende/core';
import { addUser, login, newWaitingTicket, run, startServer, ticketOf, type TestServer } from './helpers.ts';

let server: TestServer;
const agents: { uid: string; cookie: string }[] = [];
const counter = (id: string) => server.app.store.get(refs.counter(id))?.value ?? 0;

beforeAll(async () => {
  server = await startServer();
  const uids = Array.from({ length: 50 }, (_, i) => `agent${String(i).padStart(2, '0')}`);
  await Promise.all(uids.map((uid) => addUser(server, { id: uid, role: 'agent', sectorIds: ['suporte'], name: `Agente ${uid}` })));
  for (const uid of uids) agents.push({ uid, cookie: await login(server, `${uid}@test.local`) });
}, 180_000);
afterAll(() => server.close());

describe('two agents taking the same ticket: one wins, the others are told', () => {
  it('50 concurrent ticket.accept: exactly one 200, 49 × 409 with a clear message, counters consistent', async () => {
    const ticket = await newWaitingTicket(server);
    const waitingBefore = counter('tickets.waiting.sector.suporte');
    const openBefore = counter('tickets.open.sector.suporte');

    const results = await Promise.all(agents.map((a) => run<{ result?: { ticket: { assigneeId: string } }; error?: { code: string; message: string; reason?: string } }>(server, a.cookie, 'ticket.accept', { ticketId: ticket.id })));

    const won = results.filter((r) => r.status === 200);
    const lost = results.filter((r) => r.status === 409);
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(49);
    for (const r of lost) {
      expect(r.body.error?.code).toBe('failed-precondition');
      expect(r.body.error?.message).toMatch(/already taken/);
      // The stable code the SPA translates ("Outra pessoa já está atendendo este cliente") reaches it over HTTP.
      expect(r.body.error?.reason).toBe('ticket.alreadyTaken');
    }
    const winner = won[0]!.body.result!.ticket.assigneeId;
    const stored = ticketOf(server, ticket.id);
    expect(stored).toMatchObject({ status: 'open', assigneeId: winner });

    expect(counter('tickets.waiting.sector.suporte')).toBe(waitingBefore - 1);
    expect(counter('tickets.open.sector.suporte')).toBe(openBefore + 1);
    expect(counter(`tickets.open.assignee.${winner}`)).toBe(1);
    for (const a of agents) if (a.uid !== winner) expect(counter(`tickets.open.assignee.${a.uid}`)).toBe(0);

    const thread = server.app.store.query({ collection: 'messages', parentId: ticket.id, where: [], orderBy: [['createdAt', 'asc']] }) as Message[];
    expect(thread.filter((m) => m.event?.kind === 'accepted')).toHaveLength(1);
  });

  it('counters match the tickets after a burst of mixed commands', async () => {
    const tickets = await Promise.all(Array.from({ length: 10 }, () => newWaitingTicket(server)));
    await Promise.all(
      tickets.flatMap((t, i) => [
        run(server, agents[i]!.cookie, 'ticket.accept', { ticketId: t.id }),
        run(server, agents[i + 10]!.cookie, 'ticket.accept', { ticketId: t.id }),
        run(server, agents[i]!.cookie, 'ticket.close', { ticketId: t.id }),
      ]),
    );
    const all = server.app.store.query({ collection: 'tickets', where: [], orderBy: [] });
    for (const status of ['waiting', 'open', 'closed'] as const) {
      const n = all.filter((t) => t.status === status && t.sectorId === 'suporte').length;
      expect(counter(`tickets.${status}.sector.suporte`), status).toBe(n);
    }
    for (const a of agents) expect(counter(`tickets.open.assignee.${a.uid}`)).toBe(all.filter((t) => t.status === 'open' && t.assigneeId === a.uid).length);
  });
});
