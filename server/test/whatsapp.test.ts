import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_WHATSAPP, refs, type Attachment, type Message, type Ticket } from '@atende/core';
import type { FakeWhatsApp } from '../src/simulator/fakeGraph.ts';
import { login, run, startServer, type TestServer } from './helpers.ts';
import { hubSignature, postWebhook, untilCommitted, whatsappTextBody } from './support/webhooks.ts';
import { PDF, PNG } from './fixtures.ts';

const SUPORTE = DEMO_WHATSAPP.numbers[1];
const CUSTOMER = '5511987654321';
let server: TestServer;
let fake: FakeWhatsApp;
let ana: string;

const until = <T>(check: () => T | null | undefined | false, timeoutMs?: number) => untilCommitted(server, check, timeoutMs);

const ticketsOf = (channelId: string) => server.app.store.query({ collection: 'tickets', where: [['channelId', '==', channelId]], orderBy: [] });
const messagesOf = (ticketId: string) => server.app.store.query({ collection: 'messages', parentId: ticketId, where: [], orderBy: [['createdAt', 'asc']] });
const signed = (body: string, secret: string = DEMO_WHATSAPP.secrets.appSecret) => hubSignature(body, secret);
const post = (body: string, signature?: string) => postWebhook(server, '/webhooks/whatsapp', body, signature);
const textPayload = (from: string, id: string, text: string, phoneNumberId: string = SUPORTE.phoneNumberId) =>
  whatsappTextBody({ wabaId: DEMO_WHATSAPP.wabaId, phoneNumberId, from, name: 'Carlos', id, text, timestamp: '1764700000' });

const upload = async (bytes: Buffer, name: string, mime: string, ticketId: string): Promise<Attachment> => {
  const form = new FormData();
  form.append('ticketId', ticketId);
  form.append('file', new Blob([bytes], { type: mime }), name);
  const res = await fetch(`${server.url}/api/files`, { method: 'POST', headers: { cookie: ana }, body: form });
  expect(res.status).toBe(200);
  return ((await res.json()) as { attachment: Attachment }).attachment;
};

beforeAll(async () => {
  server = await startServer();
  fake = server.app.whatsappSimulator!;
  ana = await login(server, 'ana@atende.local');
});
afterAll(() => server.close());

describe('GET /webhooks/whatsapp', () => {
  it("echoes the challenge for a channel's verify token, else 403", async () => {
    const ok = await fetch(`${server.url}/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=atende-demo-verify&hub.challenge=1158201444`);
    expect(ok.status).toBe(200);
    expect(await ok.text()).toBe('1158201444');
    const bad = await fetch(`${server.url}/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=nope&hub.challenge=1`);
    expect(bad.status).toBe(403);
  });
});

describe('POST /webhooks/whatsapp', () => {
  it('refuses a missing or wrong signature and creates nothing', async () => {
    const before = ticketsOf('whatsapp-suporte').length;
    const body = textPayload('5511911112222', 'wamid.unsigned', 'Oi');
    expect((await post(body)).status).toBe(401);
    expect((await post(body, signed(body, 'another-secret'))).status).toBe(401);
    expect((await post(body, signed(body + ' '))).status).toBe(401);
    expect(ticketsOf('whatsapp-suporte').length).toBe(before);
    expect((await post('{not json', signed('{not json'))).status).toBe(400);
  });

  it('routes by phone_number_id, creates one message per wamid, and matches the ninth digit', async () => {
    const body = textPayload(CUSTOMER, 'wamid.first', 'Meu pedido não chegou');
    const res = await post(body, signed(body));
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ received: 1 });
    expect((await post(body, signed(body))).status).toBe(200);
    const [ticket] = ticketsOf('whatsapp-suporte');
    expect(ticket).toMatchObject({ status: 'waiting', sectorId: 'suporte', contact: { name: 'Carlos' } });
    expect(messagesOf(ticket!.id).filter((m) => m.direction === 'in')).toHaveLength(1);
    expect(ticketsOf('whatsapp').filter((t) => t.contactId === ticket!.contactId)).toHaveLength(0);
    // The same person without the ninth digit lands in the same ticket.
    const without = textPayload('551187654321', 'wamid.second', 'Alô?');
    await post(without, signed(without));
    expect(ticketsOf('whatsapp-suporte').filter((t) => t.status !== 'closed')).toHaveLength(1);
    expect(messagesOf(ticket!.id).filter((m) => m.direction === 'in').map((m) => m.text)).toEqual(['Meu pedido não chegou', 'Alô?']);
  });
});

describe('replying through the Graph API', () => {
  let ticket: Ticket;
  beforeAll(async () => {
    ticket = ticketsOf('whatsapp-suporte')[0]!;
    await run(server, ana, 'ticket.accept', { ticketId: ticket.id });
  });

  it('sends text quoting the customer, then ticks follow the statuses up to read', async () => {
    const quoted = messagesOf(ticket.id).find((m) => m.text === 'Meu pedido não chegou')!;
    const sent = await run<{ result: { message: Message } }>(server, ana, 'message.send', { ticketId: ticket.id, text: 'Vou verificar, Carlos.', quoteId: quoted.id });
    const id = sent.body.result.message.id;
    const delivered = await until(() => {
      const m = server.app.store.get(refs.message(ticket.id, id));
      return m?.status === 'delivered' ? m : null;
    });
    const request = fake.requests.find((r) => r.method === 'POST' && r.url.endsWith(`/${SUPORTE.phoneNumberId}/messages`) && (r.body as { text?: { body?: string } })?.text?.body === 'Vou verificar, Carlos.');
    expect(request?.body).toMatchObject({ messaging_product: 'whatsapp', to: CUSTOMER, type: 'text', context: { message_id: 'wamid.first' } });
    expect(delivered.channelMessageId).toMatch(/^wamid\./);
    await fake.customerReads(SUPORTE.phoneNumberId, CUSTOMER);
    await until(() => server.app.store.get(refs.message(ticket.id, id))?.status === 'read');
  });

  it('uploads a PDF with POST /{phone-number-id}/media and sends it as a document with its file name', async () => {
    const pdf = await upload(PDF, 'boleto.pdf', 'application/pdf', ticket.id);
    const sent = await run<{ result: { message: Message } }>(server, ana, 'message.send', { ticketId: ticket.id, text: '', attachments: [pdf] });
    await until(() => server.app.store.get(refs.message(ticket.id, sent.body.result.message.id))?.status === 'delivered');
    const out = fake.messages.find((m) => m.direction === 'out' && m.type === 'document');
    expect(out).toMatchObject({ fileName: 'boleto.pdf', customer: CUSTOMER });
    expect(fake.mediaOf(out!.mediaId!)?.bytes.equals(PDF)).toBe(true);
  });

  it("downloads a customer's image in two steps, through the attachment policy", async () => {
    await fake.customerSends({ phoneNumberId: SUPORTE.phoneNumberId, from: CUSTOMER, name: 'Carlos', text: 'a foto', file: { name: 'foto.png', mime: 'image/png', bytes: PNG } });
    const m = await until(() => messagesOf(ticket.id).find((x) => x.direction === 'in' && x.attachments.length > 0));
    expect(m.attachments[0]).toMatchObject({ kind: 'image', mime: 'image/png', size: PNG.length });
    const file = await fetch(`${server.url}/api/files/${ticket.id}/${m.attachments[0]!.id}`, { headers: { cookie: ana } });
    expect(Buffer.from(await file.arrayBuffer()).equals(PNG)).toBe(true);
  });

  it('shows why a send failed: 131047 window closed, 131026 invalid number; 401 flags the channel', async () => {
    fake.failures.push({ http: 400, code: 131026, message: 'Message undeliverable', times: 1 });
    const a = await run<{ result: { message: Message } }>(server, ana, 'message.send', { ticketId: ticket.id, text: 'um' });
    const failedA = await until(() => {
      const m = server.app.store.get(refs.message(ticket.id, a.body.result.message.id));
      return m?.status === 'failed' ? m : null;
    });
    expect(failedA.deliveryFailure).toMatchObject({ code: 'invalid-recipient', providerCode: 131026 });

    fake.failures.push({ http: 401, code: 190, message: 'Invalid OAuth access token', times: 1 });
    const b = await run<{ result: { message: Message } }>(server, ana, 'message.send', { ticketId: ticket.id, text: 'dois' });
    await until(() => server.app.store.get(refs.message(ticket.id, b.body.result.message.id))?.status === 'failed');
    expect(server.app.store.get(refs.channel('whatsapp-suporte'))?.health).toMatchObject({ status: 'attention', failure: { code: 'auth' } });
  });

  it('a rate limit (130429) is retried by itself and the reason shows meanwhile', async () => {
    fake.failures.push({ http: 400, code: 130429, message: 'Rate limit hit', times: 1 });
    const c = await run<{ result: { message: Message } }>(server, ana, 'message.send', { ticketId: ticket.id, text: 'três' });
    const pending = await until(() => {
      const m = server.app.store.get(refs.message(ticket.id, c.body.result.message.id));
      return m?.deliveryFailure ? m : null;
    });
    expect(pending).toMatchObject({ status: 'pending', deliveryFailure: { code: 'rate-limited', providerCode: 130429 } });
    expect(server.app.store.get(refs.message(ticket.id, c.body.result.message.id))?.delivery).toMatchObject({ attempts: 1, lastError: 'rate-limited' });
  });
});
