import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectionNames, commandRegistry, executeCommand, refs, type Actor, type Ticket } from '@atende/core';
import { actorOf } from '../src/plugins/auth.ts';
import { addUser, login, newWaitingTicket, run, startServer, ticketOf, type TestServer } from './helpers.ts';

/**
 * DESIGN §5, cell by cell, on the real server: every command of the ticket
 * flow for an agent, a supervisor and an admin, on tickets of their own
 * sector, of another sector, and assigned to them. Allowed cells succeed;
 * refused cells are 403 and change nothing in the database.
 */
let server: TestServer;
const cookies: Record<string, string> = {};

const as = (uid: string): Actor => actorOf(server.app.store.get(refs.user(uid))!);
const exec = (actor: Actor, name: string, input: unknown) => executeCommand(commandRegistry, server.app.deps, actor, name, input) as Promise<{ ticket: Ticket }>;

/** Every document of every collection: what a refused command must leave untouched. */
const fingerprint = async (): Promise<string> => {
  await server.app.outbox.kick();
  // A WhatsApp send's statuses come back from the simulator as webhooks after the send: let them land first.
  await server.app.whatsappSimulator?.settled();
  // Closing a ticket teaches the copilot after the commit: let that finish, or it lands between two fingerprints.
  await server.app.copilotLearnt();
  return JSON.stringify(collectionNames.map((c) => server.app.db.prepare(`SELECT id, parent_id, data FROM "${c}" ORDER BY parent_id, id`).all()));
};

type Situation = 'waiting-own' | 'waiting-other' | 'open-mine' | 'open-own-sector' | 'open-other-sector' | 'closed-own' | 'closed-other';
type Who = 'agent' | 'supervisor' | 'admin';
const uidOf: Record<Who, string> = { agent: 'ana', supervisor: 'sup1', admin: 'admin' };

/** A fresh ticket in the situation, from the point of view of `who` (whose own sector is suporte). */
const ticketIn = async (situation: Situation, who: Who): Promise<Ticket> => {
  const t = await newWaitingTicket(server); // waiting in suporte
  const toFinanceiro = async () => exec(as('admin'), 'ticket.transfer', { ticketId: t.id, sectorId: 'financeiro' });
  switch (situation) {
    case 'waiting-own':
      return t;
    case 'waiting-other':
      await toFinanceiro();
      break;
    case 'open-mine':
      await exec(as(uidOf[who]), 'ticket.accept', { ticketId: t.id });
      break;
    case 'open-own-sector':
      await exec(as('carla'), 'ticket.accept', { ticketId: t.id });
      break;
    case 'open-other-sector':
      await toFinanceiro();
      await exec(as('bruno'), 'ticket.accept', { ticketId: t.id });
      break;
    case 'closed-own':
      await exec(as('carla'), 'ticket.accept', { ticketId: t.id });
      await exec(as('carla'), 'ticket.close', { ticketId: t.id });
      break;
    case 'closed-other':
      await toFinanceiro();
      await exec(as('bruno'), 'ticket.accept', { ticketId: t.id });
      await exec(as('bruno'), 'ticket.close', { ticketId: t.id });
      break;
  }
  return ticketOf(server, t.id);
};

const inputs: Record<string, (t: Ticket) => Record<string, unknown>> = {
  'ticket.accept': (t) => ({ ticketId: t.id }),
  'message.send': (t) => ({ ticketId: t.id, text: 'Olá! Como posso ajudar?' }),
  'ticket.setTags': (t) => ({ ticketId: t.id, tagIds: ['vip'] }),
  'ticket.classify': (t) => ({ ticketId: t.id, classificationId: 'duvida' }),
  'ticket.close': (t) => ({ ticketId: t.id, classificationId: 'duvida' }),
  'ticket.transfer': (t) => ({ ticketId: t.id, sectorId: t.sectorId === 'suporte' ? 'financeiro' : 'suporte' }),
  'ticket.returnToQueue': (t) => ({ ticketId: t.id }),
  'ticket.reopen': (t) => ({ ticketId: t.id }),
};

const Y = true;
const N = false;
/** [command, situation, agent, supervisor, admin] — the table of DESIGN §5. */
const ticketCells: [string, Situation, boolean, boolean, boolean][] = [
  // take (accept) a waiting ticket: own sectors | own sectors | any
  ['ticket.accept', 'waiting-own', Y, Y, Y],
  ['ticket.accept', 'waiting-other', N, N, Y],
  // send, tag, classify, close, transfer, return to queue: own tickets | tickets of own sectors | any
  ...(['message.send', 'ticket.setTags', 'ticket.classify', 'ticket.close', 'ticket.transfer', 'ticket.returnToQueue'] as const).flatMap(
    (c): [string, Situation, boolean, boolean, boolean][] => [
      [c, 'open-mine', Y, Y, Y],
      [c, 'open-own-sector', N, Y, Y],
      [c, 'open-other-sector', N, N, Y],
    ],
  ),
  // from Esperando an agent may close or transfer tickets of their sectors (A5, C1)
  ['ticket.close', 'waiting-own', Y, Y, Y],
  ['ticket.close', 'waiting-other', N, N, Y],
  ['ticket.transfer', 'waiting-own', Y, Y, Y],
  ['ticket.transfer', 'waiting-other', N, N, Y],
  ['ticket.setTags', 'waiting-other', N, N, Y],
  // reopen a closed ticket: own sectors | own sectors | any
  ['ticket.reopen', 'closed-own', Y, Y, Y],
  ['ticket.reopen', 'closed-other', N, N, Y],
];

/** [command, input, agent, supervisor, admin] for the catalogue and the configuration. */
const configCells: [string, Record<string, unknown>, boolean, boolean, boolean][] = [
  ['quickReply.save', { shortcut: 'teste', text: 'Um texto', sectorIds: [] }, N, Y, Y],
  ['tag.save', { name: 'Urgente', color: '#ff0000' }, N, Y, Y],
  ['classification.save', { name: 'Outro' }, N, Y, Y],
  ['settings.update', { attachments: { maxBytes: 8 * 1024 * 1024, allowedTypes: ['image/*', 'application/pdf'] } }, N, Y, Y],
  ['settings.update', { name: 'Minha Empresa' }, N, N, Y],
  ['sector.save', { name: 'Vendas', color: '#123456', overflowSectorId: null }, N, N, Y],
  ['channel.save', { id: 'site2', type: 'webchat', name: 'Outro chat', defaultSectorId: 'suporte', bot: { enabled: false, greeting: '', menu: [], invalidOption: '' }, active: true }, N, N, Y],
  ['user.setSip', { userId: 'carla', extension: '1003', password: 'segredo' }, N, N, Y],
  ['user.save', { id: 'zeca', name: 'Zeca', email: 'zeca@atende.local', role: 'agent', sectorIds: ['suporte'], seesAllHistory: false, active: true }, N, N, Y],
];

beforeAll(async () => {
  server = await startServer();
  // The scheduler's passes (automation, presence, outbox) write on their own every 30 s; on a loaded machine this
  // file outlasts one, and a pass landing between two fingerprints looked like a refused command's write.
  await server.app.scheduler.stop();
  // Likewise the outbox's dispatcher: a delivery it retries (a demo WhatsApp reply) writes whenever its time comes.
  await server.app.outbox.stop();
  // The demo supervisor is in both sectors; this one supervises Suporte only.
  await addUser(server, { id: 'sup1', role: 'supervisor', sectorIds: ['suporte'], name: 'Sup Suporte', seesAllHistory: true });
  cookies.agent = await login(server, 'ana@atende.local');
  cookies.supervisor = await login(server, 'sup1@test.local');
  cookies.admin = await login(server, 'admin@atende.local');
}, 60_000);
afterAll(() => server.close());

const expectOutcome = async (who: Who, name: string, input: Record<string, unknown>, allowed: boolean) => {
  const before = await fingerprint();
  const res = await run<{ error?: { code: string; message: string } }>(server, cookies[who]!, name, input);
  if (allowed) {
    expect(res.status, `${who} ${name}: ${JSON.stringify(res.body)}`).toBe(200);
  } else {
    expect(res.status, `${who} ${name}: ${JSON.stringify(res.body)}`).toBe(403);
    expect(res.body.error?.code).toBe('permission-denied');
    expect(res.body.error?.message.length).toBeGreaterThan(5);
    expect(await fingerprint(), 'a refused command changed the database').toBe(before);
  }
};

describe('ticket commands', () => {
  for (const [name, situation, agent, supervisor, admin] of ticketCells) {
    for (const [who, allowed] of [['agent', agent], ['supervisor', supervisor], ['admin', admin]] as [Who, boolean][]) {
      it(`${who} ${allowed ? 'may' : 'may not'} ${name} on a ${situation} ticket`, async () => {
        const ticket = await ticketIn(situation, who);
        await expectOutcome(who, name, inputs[name]!(ticket), allowed);
        if (allowed && name === 'ticket.accept') expect(ticketOf(server, ticket.id)).toMatchObject({ status: 'open', assigneeId: uidOf[who] });
        if (allowed && name === 'ticket.reopen') expect(ticketOf(server, ticket.id)).toMatchObject({ status: 'open', assigneeId: uidOf[who] });
        if (allowed && name === 'ticket.close') expect(ticketOf(server, ticket.id).status).toBe('closed');
      });
    }
  }
});

describe('catalogue and configuration commands', () => {
  for (const [name, input, agent, supervisor, admin] of configCells) {
    for (const [who, allowed] of [['agent', agent], ['supervisor', supervisor], ['admin', admin]] as [Who, boolean][]) {
      it(`${who} ${allowed ? 'may' : 'may not'} ${name} ${Object.keys(input).join(',')}`, async () => {
        // Each role saves its own copy: names and shortcuts are unique in a catalogue (issue 13).
        const own = Object.fromEntries(Object.entries(input).map(([k, v]) => [k, (k === 'name' || k === 'shortcut') && typeof v === 'string' ? `${v}-${who}` : v]));
        await expectOutcome(who, name, own, allowed);
      });
    }
  }
});

describe('reading tickets', () => {
  it('an agent cannot mark as read a ticket of another sector; the assignee can always read theirs', async () => {
    const other = await ticketIn('open-other-sector', 'agent');
    await expectOutcome('agent', 'ticket.markRead', { ticketId: other.id }, false);
    const mine = await ticketIn('open-mine', 'agent');
    await exec(as('admin'), 'ticket.transfer', { ticketId: mine.id, sectorId: 'financeiro', assigneeId: 'carla' });
    await expectOutcome('agent', 'ticket.markRead', { ticketId: mine.id }, false);
  });
});
