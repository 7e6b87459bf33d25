import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { command, LOAD_GENERATOR_LIMITS, login, newDataDir, openVisitor, removeDataDir, sendWidget, sleep, spawnServer, Live, type ServerProc } from './harness.ts';

/**
 * DESIGN §6: a client that reconnects gets fresh snapshots, so nothing is
 * missed. A client applies snapshots and changes the way the SPA does; its
 * socket is cut (no close frame) while agents and customers keep changing
 * things; it reconnects and resubscribes; once the traffic stops, what it
 * holds must equal what a brand-new client is given.
 */
const dataDir = newDataDir();
let server: ServerProc;
let admin: string;
let ana: string;

beforeAll(async () => {
  server = await spawnServer(dataDir, { env: { ATENDE_LIMITS: LOAD_GENERATOR_LIMITS } });
  admin = await login(server.url, 'admin@atende.local');
  ana = await login(server.url, 'ana@atende.local');
}, 60_000);
afterAll(async () => {
  await server.kill9();
  removeDataDir(dataDir);
});

const subscriptions = (ticketId: string): [string, string, Record<string, unknown>][] => [
  ['waiting', 'tickets.waiting', { limit: 10_000 }],
  ['open', 'tickets.open', { limit: 10_000 }],
  ['closed', 'tickets.closed', { limit: 500 }],
  ['counters', 'counters', { ids: ['tickets.waiting.sector.suporte', 'tickets.open.sector.suporte', 'tickets.closed.sector.suporte', 'tickets.open.assignee.ana'] }],
  ['thread', 'messages.ofTicket', { ticketId, limit: 500 }],
  ['ticket', 'ticket', { id: ticketId }],
];

const subscribeAll = async (live: Live, ticketId: string) => {
  for (const [id, query, params] of subscriptions(ticketId)) await live.subscribe(id, query, params);
};

/** Customers write, Ana takes, answers, returns and closes tickets: every kind of change, for `ms`. */
const traffic = async (url: string, ticketId: string, token: string, ms: number) => {
  const until = Date.now() + ms;
  const visitors = await Promise.all(Array.from({ length: 4 }, (_, i) => openVisitor(url, `Reconexão ${i}`)));
  let n = 0;
  const customers = visitors.map(async (v, i) => {
    while (Date.now() < until) {
      const res = await sendWidget(url, v.token, `mensagem ${++n}`, `rc-${i}-${n}`);
      if (res.status !== 200) throw new Error(`widget send: ${res.status}`);
      await sleep(15);
    }
  });
  const watched = (async () => {
    while (Date.now() < until) {
      await sendWidget(url, token, `no ticket observado ${++n}`, `rc-w-${n}`);
      await sleep(25);
    }
  })();
  const agent = (async () => {
    let step = 0;
    while (Date.now() < until) {
      const queue = await Promise.all(visitors.map((v) => sendWidget(url, v.token, 'oi de novo', `rc-again-${v.contactId}-${step}`)));
      const target = queue[step % queue.length]!.body.ticketId;
      const accepted = await command(url, ana, 'ticket.accept', { ticketId: target });
      if (accepted.status === 200) {
        await command(url, ana, 'message.send', { ticketId: target, text: `resposta ${step}` });
        await command(url, ana, step % 3 === 0 ? 'ticket.close' : 'ticket.returnToQueue', { ticketId: target });
      }
      step++;
      await sleep(30);
    }
  })();
  await Promise.all([...customers, watched, agent]);
};

const expectSameState = async (client: Live, ticketId: string) => {
  await client.settle(500);
  const fresh = await Live.open(server.url, '/api/live', admin);
  await subscribeAll(fresh, ticketId);
  for (const [id] of subscriptions(ticketId)) expect(client.docs(id), `subscription ${id}`).toEqual(fresh.docs(id));
  fresh.close();
};

describe('reconnect', () => {
  it('a socket cut while changes keep happening ends, after reconnecting, with exactly the server state', async () => {
    const watchedVisitor = await openVisitor(server.url, 'Observado');
    const ticketId = (await sendWidget(server.url, watchedVisitor.token, 'olá', 'rc-first')).body.ticketId;
    let client = await Live.open(server.url, '/api/live', admin);
    await subscribeAll(client, ticketId);
    const running = traffic(server.url, ticketId, watchedVisitor.token, 3000);
    for (const cutAt of [600, 1500]) {
      await sleep(cutAt === 600 ? 600 : 500);
      const before = client.docs('waiting').length;
      client.cut();
      await client.closed;
      // Changes go on while it is away.
      await sleep(300);
      client = await Live.open(server.url, '/api/live', admin);
      await subscribeAll(client, ticketId);
      expect(before).toBeGreaterThan(0);
    }
    await running;
    await expectSameState(client, ticketId);
    // It did follow live changes after the last reconnect, not only the snapshot.
    expect(client.docs('thread').length).toBeGreaterThan(2);
    client.close();
  }, 60_000);

  it('a client whose server was killed -9 and restarted resubscribes to the same state', async () => {
    const v = await openVisitor(server.url, 'Queda');
    const ticketId = (await sendWidget(server.url, v.token, 'olá', 'crash-rc-first')).body.ticketId;
    let client = await Live.open(server.url, '/api/live', admin);
    await subscribeAll(client, ticketId);
    const running = traffic(server.url, ticketId, v.token, 800).catch(() => undefined);
    await sleep(400);
    const port = Number(new URL(server.url).port);
    await server.kill9();
    await running;
    await client.closed;
    server = await spawnServer(dataDir, { port, env: { ATENDE_LIMITS: LOAD_GENERATOR_LIMITS } });
    client = await Live.open(server.url, '/api/live', admin);
    await subscribeAll(client, ticketId);
    // More changes on the new process, seen live.
    await traffic(server.url, ticketId, v.token, 800);
    await expectSameState(client, ticketId);
    client.close();
  }, 60_000);
});
