import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_INSTAGRAM, refs, type Ticket } from '@atende/core';
import type { FakeInstagram } from '../src/simulator/instagram/fake.ts';
import { login, run, startServer, type TestServer } from './helpers.ts';
import { hubSignature, postWebhook, untilCommitted } from './support/webhooks.ts';

const CUSTOMER = '1784140000000777';
let server: TestServer;
let fake: FakeInstagram;
let ana: string;

const until = <T>(check: () => T | null | undefined | false, timeoutMs?: number) => untilCommitted(server, check, timeoutMs);

const tickets = () => server.app.store.query({ collection: 'tickets', where: [['channelId', '==', DEMO_INSTAGRAM.channelId]], orderBy: [] });
const messagesOf = (ticketId: string) => server.app.store.query({ collection: 'messages', parentId: ticketId, where: [], orderBy: [['createdAt', 'asc']] });
const post = (body: string, secret: string) => postWebhook(server, '/webhooks/instagram', body, hubSignature(body, secret));

beforeAll(async () => {
  server = await startServer();
  fake = server.app.instagramSimulator!;
  ana = await login(server, 'ana@atende.local');
});
afterAll(() => server.close());

describe('/webhooks/instagram on the embedded server (demo account and simulator)', () => {
  it("answers Meta's handshake with the demo verify token only", async () => {
    const ok = await fetch(`${server.url}/webhooks/instagram?hub.mode=subscribe&hub.verify_token=${DEMO_INSTAGRAM.secrets.verifyToken}&hub.challenge=42abc`);
    expect([ok.status, await ok.text()]).toEqual([200, '42abc']);
    expect((await fetch(`${server.url}/webhooks/instagram?hub.mode=subscribe&hub.verify_token=nope&hub.challenge=1`)).status).toBe(403);
  });

  it('refuses a body not signed with the app secret, writing nothing', async () => {
    const body = JSON.stringify({ object: 'instagram', entry: [{ id: DEMO_INSTAGRAM.accountId, time: 1, messaging: [{ sender: { id: '999' }, recipient: { id: DEMO_INSTAGRAM.accountId }, timestamp: 1, message: { mid: 'm-forged', text: 'forjada' } }] }] });
    expect((await post(body, 'wrong-secret')).status).toBe(401);
    expect(tickets()).toHaveLength(0);
  });

  it('a DM lands in Esperando named by the profile, the reply reaches the customer, an unsent DM is marked deleted', async () => {
    const first = await fake.customerSends({ from: CUSTOMER, name: 'Camila Reis', username: 'camila.reis', text: 'Oi! Vocês entregam em Campinas?' });
    const ticket = await until(() => tickets()[0]);
    expect(ticket).toMatchObject({ status: 'waiting', channelType: 'instagram', sectorId: 'suporte', contact: { name: 'Camila Reis' } });
    expect(messagesOf(ticket.id).find((m) => m.direction === 'in')).toMatchObject({ text: 'Oi! Vocês entregam em Campinas?', channelMessageId: first.id });

    expect((await run(server, ana, 'ticket.accept', { ticketId: ticket.id })).status).toBe(200);
    expect((await run(server, ana, 'message.send', { ticketId: ticket.id, text: 'Entregamos sim, Camila!' })).status).toBe(200);
    const sent = await until(() => messagesOf(ticket.id).find((m) => m.direction === 'out' && m.status === 'sent'), 10_000);
    const out = fake.messages.find((m) => m.direction === 'out' && m.customer === CUSTOMER);
    expect(out).toMatchObject({ text: 'Entregamos sim, Camila!' });
    expect(sent.channelMessageId).toBe(out!.id);
    // Echoes of what the business sent are not new messages.
    const echo = JSON.stringify({ object: 'instagram', entry: [{ id: DEMO_INSTAGRAM.accountId, time: 2, messaging: [{ sender: { id: DEMO_INSTAGRAM.accountId }, recipient: { id: CUSTOMER }, timestamp: 2, message: { mid: out!.id, text: out!.text, is_echo: true } }] }] });
    expect((await post(echo, DEMO_INSTAGRAM.secrets.appSecret)).status).toBe(200);
    expect(messagesOf(ticket.id).filter((m) => m.direction !== 'system')).toHaveLength(2);

    expect(await fake.customerDeletes(first.id)).toBe(true);
    const deleted = await until(() => messagesOf(ticket.id).find((m) => m.channelMessageId === first.id && m.deletedAt));
    expect(deleted.deletedAt).toBeGreaterThan(0);
    expect((server.app.store.get(refs.ticket(ticket.id)) as Ticket).status).toBe('open');
  });
});
