import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createIdGenerator, DEMO_INSTAGRAM, seedDemo, type Message, type Ticket } from '@atende/core';
import { FakeInstagram, fakeInstagramRoutes } from '../../server/src/simulator/instagram/fake.ts';
import { handleCommand, storeOf, type Deps } from '../src/handlers.ts';
import { drainDeliveries } from './support/deliveries.ts';
import { handleInstagramWebhook } from '../src/instagram.ts';
import { channelCarriers } from '../src/channels.ts';
import { MemoryAuth } from '../../conformance/firestore.ts';
import { startEmulator, type Emulator } from './support/emulator.ts';

/**
 * Instagram on Firebase, both ways, against @firestore-emulator/server and
 * the simulator's fake Instagram Graph API: the customer's signed DM reaches
 * `instagramWebhook`, the agent's answer (text and a file, which Instagram
 * takes only by URL: a signed Storage link) leaves through the outbox
 * trigger's Instagram carrier, and Meta's refusals are classified.
 */
const CUSTOMER = '1784140000000123';
let emu: Emulator;
let deps: Deps;
let graph: FastifyInstance;
let hook: Server;
let fake: FakeInstagram;
/** The fake's clock: moved forward to make Meta see a closed window. */
let fakeOffset = 0;

const command = (uid: string, name: string, input: unknown) => handleCommand(deps, { uid, token: {} }, { name, input }) as Promise<Record<string, unknown>>;
const drainOutbox = () => drainDeliveries(deps, channelCarriers(deps));
const messageOf = async (ticketId: string, id: string) => (await emu.db.doc(`tickets/${ticketId}/messages/${id}`).get()).data() as Message;

beforeAll(async () => {
  emu = await startEmulator();
  deps = {
    db: emu.db,
    auth: new MemoryAuth(),
    clock: Date.now,
    newId: createIdGenerator(),
    signDownload: async (path) => `https://storage.example/${path}?X-Goog-Signature=test`,
  };
  await seedDemo({ store: storeOf(emu.db), clock: deps.clock, newId: deps.newId });
  // The instagramWebhook function, reached over HTTP by the fake's signed posts.
  hook = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      void handleInstagramWebhook(deps, { method: req.method ?? 'POST', path: '/', query: {}, headers: req.headers, rawBody: Buffer.concat(chunks) }).then(
        (r) => res.writeHead(r.status, { 'content-type': 'application/json' }).end(JSON.stringify(r.body)),
        () => res.writeHead(500).end(),
      );
    });
  });
  await new Promise<void>((r) => hook.listen(0, '127.0.0.1', r));
  fake = new FakeInstagram({
    accountId: DEMO_INSTAGRAM.accountId,
    accessToken: DEMO_INSTAGRAM.secrets.accessToken,
    appSecret: DEMO_INSTAGRAM.secrets.appSecret,
    webhookUrl: () => `http://127.0.0.1:${(hook.address() as AddressInfo).port}/`,
    clock: () => Date.now() + fakeOffset,
  });
  graph = Fastify();
  await graph.register(fakeInstagramRoutes(fake), { prefix: '/v23.0' });
  await graph.listen({ port: 0, host: '127.0.0.1' });
  process.env.ATENDE_INSTAGRAM_GRAPH_URL = `http://127.0.0.1:${(graph.server.address() as AddressInfo).port}/v23.0`;
}, 60_000);

afterAll(async () => {
  delete process.env.ATENDE_INSTAGRAM_GRAPH_URL;
  await graph?.close();
  await new Promise((r) => hook?.close(r));
  await emu?.stop();
});

describe('Instagram answers on Firebase', () => {
  let ticket: Ticket;

  it("turns the customer's DM into a waiting Instagram ticket with the profile's name", async () => {
    await fake.customerSends({ from: CUSTOMER, name: 'Rita Souza', username: 'rita.s', text: 'Tem o tênis 38?' });
    const found = await emu.db.collection('tickets').where('channelId', '==', DEMO_INSTAGRAM.channelId).get();
    expect(found.size).toBe(1);
    ticket = found.docs[0]!.data() as Ticket;
    expect(ticket).toMatchObject({ status: 'waiting', channelType: 'instagram' });
    expect(ticket.contact.name).toBe('Rita Souza');
  });

  it("sends the agent's text and file with the Instagram carrier (the file by a signed URL)", async () => {
    await command('ana', 'ticket.accept', { ticketId: ticket.id });
    const photo = { id: 'foto-38', name: 'tenis.jpg', mime: 'image/jpeg', size: 2048, kind: 'image' };
    const { message } = (await command('ana', 'message.send', { ticketId: ticket.id, text: 'Temos sim, Rita!', attachments: [photo] })) as { message: Message };
    await drainOutbox();
    const out = fake.messages.filter((m) => m.direction === 'out' && m.customer === CUSTOMER);
    expect(out.map((m) => [m.text, m.attachment])).toEqual([
      ['', `https://storage.example/files/${ticket.id}/foto-38?X-Goog-Signature=test`],
      ['Temos sim, Rita!', null],
    ]);
    const sentBodies = fake.requests.filter((r) => r.method === 'POST').map((r) => r.body as { message: { attachment?: { type: string } } });
    expect(sentBodies[0]?.message.attachment?.type).toBe('image');
    const stored = await messageOf(ticket.id, message.id);
    expect(stored.status).toBe('sent');
    expect(stored.channelMessageId).toBe(out[1]!.id);
  });

  it("classifies Meta's refusal once the customer's window has closed (window-closed, not retried)", async () => {
    fakeOffset = 25 * 60 * 60 * 1000;
    const { message } = (await command('ana', 'message.send', { ticketId: ticket.id, text: 'Ainda quer o 38?' })) as { message: Message };
    await drainOutbox();
    const stored = await messageOf(ticket.id, message.id);
    expect(stored.status).toBe('failed');
    expect(stored.deliveryFailure).toMatchObject({ code: 'window-closed', providerCode: 2534022 });
    expect(stored.delivery?.doneAt).not.toBeNull();
    fakeOffset = 0;
    // Meta's clock decides: the ticket's window is closed until the customer writes again (core markFailed).
    expect((await emu.db.doc(`tickets/${ticket.id}`).get()).data()?.windowFrom).toBeNull();
    await fake.customerSends({ from: CUSTOMER, name: 'Rita Souza', username: 'rita.s', text: 'Quero sim!' });
    expect((await emu.db.doc(`tickets/${ticket.id}`).get()).data()?.windowFrom).not.toBeNull();
  });

  it('marks the channel for an admin when Meta refuses the token', async () => {
    await emu.db.doc(`channelSecrets/${DEMO_INSTAGRAM.channelId}`).update({ accessToken: 'revoked-token' });
    // Edited behind the functions' back: an instance that cached the secret takes it within its cache's limits
    // (functions/src/configCache.ts, tested in configCache.test.ts); here, as a fresh instance would, at once.
    storeOf(emu.db).configCache?.clear();
    const { message } = (await command('ana', 'message.send', { ticketId: ticket.id, text: 'Oi?' })) as { message: Message };
    await drainOutbox();
    expect((await messageOf(ticket.id, message.id)).deliveryFailure).toMatchObject({ code: 'auth', providerCode: 190 });
    expect((await emu.db.doc(`channels/${DEMO_INSTAGRAM.channelId}`).get()).data()?.health).toMatchObject({ status: 'attention' });
  });
});
