import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Fastify, { type FastifyInstance } from 'fastify';
import multipart from '@fastify/multipart';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createIdGenerator, DEMO_WHATSAPP, seedDemo, type Attachment, type Message, type Ticket } from '@atende/core';
import { PDF, PNG } from '../../server/test/fixtures.ts';
import { FakeWhatsApp, fakeGraphRoutes } from '../../server/src/simulator/fakeGraph.ts';
import { handleCommand, handleWebhook, storeOf, type Deps } from '../src/handlers.ts';
import { drainDeliveries } from './support/deliveries.ts';
import { channelCarriers } from '../src/channels.ts';
import { MemoryAuth } from '../../conformance/firestore.ts';
import { startEmulator, type Emulator } from './support/emulator.ts';
import { storedDocs, storedThread } from './support/stored.ts';

/**
 * Issue 11 on Firebase, against @firestore-emulator/server and the same fake
 * Graph API the embedded server's simulator uses: the `webhooks` function
 * (core's receiveWebhook) turns the fake phone's signed webhook into a
 * ticket, the agent's reply goes out through the outbox trigger with core's
 * HTTP carrier, and the fake's status webhooks move its ticks; template.sync
 * fetches the WABA's templates. Files travel both ways through Storage (an
 * in-memory bucket behind the same `Deps` functions as firebase-admin's).
 */
const SUPORTE = DEMO_WHATSAPP.numbers[1];
const CUSTOMER = '5511933334444';
let emu: Emulator;
let deps: Deps;
let graph: FastifyInstance;
let hook: Server;
let fake: FakeWhatsApp;
const now = () => Date.now();
/** Cloud Storage, in memory: path → bytes and type. */
const bucket = new Map<string, { bytes: Uint8Array; type: string }>();

const command = (uid: string, name: string, input: unknown) => handleCommand(deps, { uid, token: {} }, { name, input }) as Promise<Record<string, unknown>>;
const until = async <T>(read: () => Promise<T | null | undefined | false>, ms = 10_000): Promise<T> => {
  const end = Date.now() + ms;
  for (;;) {
    const v = await read();
    if (v) return v;
    if (Date.now() > end) throw new Error('condition not reached');
    await new Promise((r) => setImmediate(r));
  }
};
/** Runs the delivery of every message not yet delivered (what the `deliver` trigger does in production). */
const drainOutbox = () => drainDeliveries(deps, channelCarriers(deps));

beforeAll(async () => {
  emu = await startEmulator();
  deps = {
    db: emu.db,
    auth: new MemoryAuth(),
    clock: now,
    newId: createIdGenerator(now),
    writeObject: async (path, bytes, type) => void bucket.set(path, { bytes, type }),
    readObject: async (path) => bucket.get(path)?.bytes ?? null,
    copyObject: async (from, to) => {
      const o = bucket.get(from);
      if (o) bucket.set(to, o);
      return o !== undefined;
    },
    deleteObject: async (path) => void bucket.delete(path),
  };
  await seedDemo({ store: storeOf(emu.db), clock: deps.clock, newId: deps.newId });
  // The webhooks function, reached over HTTP by the fake's signed posts.
  hook = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      void handleWebhook(deps, { whatsapp: { appSecret: '', verifyToken: '' } }, { method: req.method ?? 'POST', path: '/whatsapp', query: {}, headers: req.headers, rawBody: Buffer.concat(chunks) }).then(
        (r) => res.writeHead(r.status, { 'content-type': 'application/json' }).end(JSON.stringify(r.body)),
        () => res.writeHead(500).end(),
      );
    });
  });
  await new Promise<void>((r) => hook.listen(0, '127.0.0.1', r));
  graph = Fastify();
  await graph.register(multipart);
  fake = new FakeWhatsApp({
    numbers: DEMO_WHATSAPP.numbers.map((n) => ({ phoneNumberId: n.phoneNumberId, wabaId: DEMO_WHATSAPP.wabaId, accessToken: DEMO_WHATSAPP.secrets.accessToken, display: n.display })),
    appSecret: DEMO_WHATSAPP.secrets.appSecret,
    webhookUrl: () => `http://127.0.0.1:${(hook.address() as AddressInfo).port}/`,
    baseUrl: () => `http://127.0.0.1:${(graph.server.address() as AddressInfo).port}/v23.0`,
    clock: now,
  });
  await graph.register(fakeGraphRoutes(fake), { prefix: '/v23.0' });
  await graph.listen({ port: 0, host: '127.0.0.1' });
  process.env.ATENDE_WHATSAPP_GRAPH_URL = fake.options.baseUrl();
}, 60_000);

afterAll(async () => {
  delete process.env.ATENDE_WHATSAPP_GRAPH_URL;
  await graph?.close();
  await new Promise((r) => hook?.close(r));
  await emu?.stop();
});

describe('WhatsApp on Firebase', () => {
  let ticket: Ticket;

  it("routes the phone's signed webhook by phone_number_id into a waiting ticket", async () => {
    await fake.customerSends({ phoneNumberId: SUPORTE.phoneNumberId, from: CUSTOMER, name: 'Lia', text: 'Oi, meu boleto não abriu' });
    const contact = await until(async () => (await emu.db.collection('contacts').where('phone', '==', `+${CUSTOMER}`).get()).docs[0]);
    ticket = await until(async () => storedDocs<Ticket>(await emu.db.collection('tickets').where('contactId', '==', contact.id).get())[0]);
    expect(ticket).toMatchObject({ channelId: SUPORTE.channelId, status: 'waiting', sectorId: 'suporte' });
    expect(ticket.windowFrom).toBeGreaterThan(0);
  });

  it("sends the agent's reply through the Graph API and follows its statuses", async () => {
    await command('ana', 'ticket.accept', { ticketId: ticket.id });
    const { message } = (await command('ana', 'message.send', { ticketId: ticket.id, text: 'Vou reenviar o boleto, Lia.' })) as { message: Message };
    await drainOutbox();
    expect(fake.messages.some((m) => m.direction === 'out' && m.customer === CUSTOMER && m.text === 'Vou reenviar o boleto, Lia.')).toBe(true);
    await fake.customerReads(SUPORTE.phoneNumberId, CUSTOMER);
    const read = await until(async () => {
      const m = (await storedThread(emu.db, ticket.id)).find((l) => l.id === message.id)!;
      return m.status === 'read' ? m : null;
    });
    expect(read.channelMessageId).toMatch(/^wamid\./);
  });

  it("stores the customer's photo in Storage under the ticket, checked by its bytes", async () => {
    const sent = await fake.customerSends({ phoneNumberId: SUPORTE.phoneNumberId, from: CUSTOMER, name: 'Lia', text: 'O comprovante', file: { name: 'comprovante.png', mime: 'image/png', bytes: PNG } });
    const landed = await until(async () => (await storedThread(emu.db, ticket.id)).find((m) => m.channelMessageId === sent.id));
    expect(landed.text).toBe('O comprovante');
    const [file] = landed.attachments as [Attachment];
    expect(file).toMatchObject({ mime: 'image/png', kind: 'image', size: PNG.length });
    // Two steps with the channel's token (GET /{media-id}, then its URL), then moved under the ticket.
    const stored = await until(async () => bucket.get(`files/${ticket.id}/${file.id}`));
    expect(Buffer.from(stored.bytes).equals(PNG)).toBe(true);
    expect(bucket.has(`files/_incoming/${file.id}`)).toBe(false);
    expect(fake.requests.some((r) => r.method === 'GET' && r.url.endsWith(`/${sent.mediaId}`))).toBe(true);
  });

  it('keeps a file whose bytes are not what the policy allows out of Storage, and says so in the thread', async () => {
    const before = bucket.size;
    const sent = await fake.customerSends({ phoneNumberId: SUPORTE.phoneNumberId, from: CUSTOMER, name: 'Lia', file: { name: 'nota.pdf', mime: 'application/pdf', bytes: Buffer.from([0x4d, 0x5a, 0x90, 0x00, 0x03, 0x00, 0xff, 0xfe]) } });
    const landed = await until(async () => (await storedThread(emu.db, ticket.id)).find((m) => m.channelMessageId === sent.id));
    expect(landed.attachments).toEqual([]);
    expect(landed.text).toContain('Arquivo não recebido');
    expect(bucket.size).toBe(before);
  });

  it("uploads the agent's PDF from Storage to the Graph API and sends it as a document", async () => {
    const attachment: Attachment = { id: deps.newId(), name: 'boleto.pdf', mime: 'application/pdf', size: PDF.length, kind: 'document' };
    bucket.set(`files/${ticket.id}/${attachment.id}`, { bytes: PDF, type: 'application/pdf' });
    await command('ana', 'message.send', { ticketId: ticket.id, text: 'Segue o boleto', attachments: [attachment] });
    await drainOutbox();
    const out = fake.messages.find((m) => m.direction === 'out' && m.customer === CUSTOMER && m.type === 'document');
    expect(out?.fileName).toBe('boleto.pdf');
    expect(Buffer.from(fake.mediaOf(out!.mediaId!)!.bytes).equals(PDF)).toBe(true);
  });

  it('syncs the templates from the WABA for an admin, and refuses an agent', async () => {
    await expect(command('ana', 'template.sync', { channelId: SUPORTE.channelId })).rejects.toMatchObject({ code: 'permission-denied' });
    const r = (await command('admin', 'template.sync', { channelId: SUPORTE.channelId })) as { synced: number };
    expect(r.synced).toBe(fake.templates.length);
    const stored = await emu.db.collection('templates').where('channelId', '==', SUPORTE.channelId).get();
    expect(stored.docs.map((d) => d.data().name).sort()).toEqual(fake.templates.map((t) => t.name).sort());
  });
});
