import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_WHATSAPP, refs, templateIdOf, type Message, type Ticket } from '@atende/core';
import type { FakeWhatsApp } from '../src/simulator/fakeGraph.ts';
import { login, run, startServer, type TestServer } from './helpers.ts';
import { hubSignature, postWebhook, untilCommitted, whatsappTextBody } from './support/webhooks.ts';

/**
 * Issue 11, what an agent sends beyond free text on the embedded server:
 * templates synced from the (fake) Graph API, a template when the 24-hour
 * window is closed (free text refused), a failed message sent again, and
 * "Nova conversa" to a number that never wrote.
 */
const SUPORTE = DEMO_WHATSAPP.numbers[1];
const DAY = 24 * 60 * 60 * 1000;
let now = Date.now();
let server: TestServer;
let fake: FakeWhatsApp;
let ana: string;
let admin: string;

const until = <T>(check: () => T | null | undefined | false, timeoutMs?: number) => untilCommitted(server, check, timeoutMs);

const message = (ticketId: string, id: string) => server.app.store.get(refs.message(ticketId, id));
const templatesOf = (channelId: string) => server.app.store.query({ collection: 'templates', where: [['channelId', '==', channelId]], orderBy: [] });

const customerWrites = (from: string, id: string, text: string) => {
  const body = whatsappTextBody({ wabaId: DEMO_WHATSAPP.wabaId, phoneNumberId: SUPORTE.phoneNumberId, from, name: 'Rita', id, text, timestamp: String(Math.floor(now / 1000)) });
  return postWebhook(server, '/webhooks/whatsapp', body, hubSignature(body, DEMO_WHATSAPP.secrets.appSecret));
};

beforeAll(async () => {
  server = await startServer({ clock: () => now });
  fake = server.app.whatsappSimulator!;
  ana = await login(server, 'ana@atende.local');
  admin = await login(server, 'admin@atende.local');
});
afterAll(() => server.close());

describe('template.sync', () => {
  it('an agent may not sync, and no request reaches the provider', async () => {
    const before = fake.requests.filter((r) => r.url.includes('message_templates')).length;
    const res = await run(server, ana, 'template.sync', { channelId: SUPORTE.channelId });
    expect(res.status).toBe(403);
    expect(fake.requests.filter((r) => r.url.includes('message_templates')).length).toBe(before);
  });

  it('an admin syncs every page of the WABA templates; ones the provider dropped go, restrictions stay', async () => {
    const rejected = templateIdOf(SUPORTE.channelId, 'promocao_natal', 'pt_BR');
    await run(server, admin, 'template.restrict', { templateId: templateIdOf(SUPORTE.channelId, 'pedido_enviado', 'pt_BR'), sectorIds: ['financeiro'] });
    fake.templates.push({ id: '999', name: 'boas_vindas', language: 'pt_BR', category: 'UTILITY', status: 'APPROVED', components: [{ type: 'BODY', text: 'Bem-vindo, {{1}}!' }] });
    const removed = fake.templates.findIndex((t) => t.name === 'promocao_natal');
    const [gone] = fake.templates.splice(removed, 1);
    try {
      const res = await run<{ result: { synced: number; removed: number } }>(server, admin, 'template.sync', { channelId: SUPORTE.channelId, templates: [{ providerId: 'x', name: 'forged', language: 'pt_BR', category: 'X', status: 'APPROVED', body: 'hi' }] });
      expect(res.status).toBe(200);
      expect(res.body.result).toEqual({ synced: 5, removed: 1 });
    } finally {
      fake.templates.splice(removed, 0, gone!);
      fake.templates.pop();
    }
    const stored = templatesOf(SUPORTE.channelId);
    expect(stored.map((t) => t.name).sort()).toEqual(['boas_vindas', 'pedido_enviado', 'pesquisa_satisfacao', 'resume_service', 'retomar_atendimento']);
    expect(stored.find((t) => t.name === 'boas_vindas')).toMatchObject({ variables: 1, status: 'APPROVED', language: 'pt_BR', category: 'UTILITY' });
    expect(stored.find((t) => t.name === 'pedido_enviado')?.sectorIds).toEqual(['financeiro']);
    expect(server.app.store.get(refs.template(rejected))).toBeNull();
    // The paged fetch asked for more than one page when the list is longer than a page? The fake pages at 100: one page here.
    expect(fake.requests.some((r) => r.url.includes(`/${DEMO_WHATSAPP.wabaId}/message_templates`))).toBe(true);
  });
});

describe('the 24-hour window', () => {
  let ticket: Ticket;
  const retomar = templateIdOf(SUPORTE.channelId, 'retomar_atendimento', 'pt_BR');

  beforeAll(async () => {
    expect((await customerWrites('5511955551111', 'wamid.rita1', 'Oi, preciso de ajuda')).status).toBe(200);
    ticket = server.app.store.query({ collection: 'tickets', where: [['channelId', '==', SUPORTE.channelId]], orderBy: [] }).find((t) => t.contact.name === 'Rita')!;
    expect((await run(server, ana, 'ticket.accept', { ticketId: ticket.id })).status).toBe(200);
  });

  it('refuses free text once closed, sends a template with its values, and the customer answer reopens it', async () => {
    now += DAY + 60_000;
    const text = await run<{ error: { code: string; message: string } }>(server, ana, 'message.send', { ticketId: ticket.id, text: 'Ainda está aí?' });
    expect(text.status).toBe(409);
    expect(text.body.error.message).toBe('The 24-hour window is closed: send a template');

    const missing = await run(server, ana, 'message.sendTemplate', { ticketId: ticket.id, templateId: retomar, params: ['Rita'] });
    expect(missing.status).toBe(400);
    const sent = await run<{ result: { message: Message } }>(server, ana, 'message.sendTemplate', { ticketId: ticket.id, templateId: retomar, params: ['Rita', 'Ana', ticket.protocol] });
    expect(sent.status).toBe(200);
    expect(sent.body.result.message.text).toBe(`Olá, Rita! Aqui é Ana. Podemos continuar seu atendimento (protocolo ${ticket.protocol})?`);
    const delivered = await until(() => {
      const m = message(ticket.id, sent.body.result.message.id);
      return m && m.status !== 'pending' ? m : null;
    });
    expect(delivered.status).not.toBe('failed');
    const out = fake.messages.filter((m) => m.direction === 'out' && m.customer === '5511955551111').at(-1)!;
    expect(out.raw).toMatchObject({ type: 'template', template: { name: 'retomar_atendimento', language: { code: 'pt_BR' }, components: [{ type: 'body', parameters: [{ text: 'Rita' }, { text: 'Ana' }, { text: ticket.protocol }] }] } });
    // Our template did not open the window; the customer's answer does.
    expect(server.app.store.get(refs.ticket(ticket.id))?.windowFrom).toBe(ticket.windowFrom);
    await customerWrites('5511955551111', 'wamid.rita2', 'Sim!');
    await until(() => (server.app.store.get(refs.ticket(ticket.id))?.windowFrom ?? 0) >= now);
    expect((await run(server, ana, 'message.send', { ticketId: ticket.id, text: 'Ótimo, vamos lá.' })).status).toBe(200);
  });

  it('a template restricted to another sector is refused to an agent', async () => {
    const res = await run<{ error: { message: string } }>(server, ana, 'message.sendTemplate', { ticketId: ticket.id, templateId: templateIdOf(SUPORTE.channelId, 'pedido_enviado', 'pt_BR'), params: ['Rita', '3'] });
    expect(res.status).toBe(403);
    expect(res.body.error.message).toBe('This template is not available to your sector');
  });

  it('a failed message is sent again on request, and only a failed one', async () => {
    fake.failures.push({ http: 503, code: 131000, message: 'Something went wrong', times: 8 });
    // Gives up after the policy's attempts: drive the retries by moving the clock and kicking the outbox.
    const a = await run<{ result: { message: Message } }>(server, ana, 'message.send', { ticketId: ticket.id, text: 'quatro' });
    const id = a.body.result.message.id;
    for (let i = 0; i < 10 && message(ticket.id, id)?.status !== 'failed'; i++) {
      await until(() => (message(ticket.id, id)?.deliveryFailure ? true : null));
      now += 20 * 60_000;
      await server.app.outbox.kick();
    }
    expect(message(ticket.id, id)).toMatchObject({ status: 'failed', deliveryFailure: { code: 'provider-unavailable' } });
    fake.failures.length = 0;
    expect((await run(server, ana, 'message.retry', { ticketId: ticket.id, messageId: id })).status).toBe(200);
    const sent = await until(() => {
      const m = message(ticket.id, id);
      return m && m.status !== 'pending' && m.status !== 'failed' ? m : null;
    });
    expect(sent.deliveryFailure ?? null).toBeNull();
    expect((await run(server, ana, 'message.retry', { ticketId: ticket.id, messageId: id })).status).toBe(409);
  });
});

describe('conversation.start (Nova conversa)', () => {
  const pedido = templateIdOf(SUPORTE.channelId, 'retomar_atendimento', 'pt_BR');

  it('opens a ticket in service for the agent with a sharded protocol and sends the template to the number', async () => {
    const res = await run<{ result: { ticketId: string; protocol: string; messageId: string } }>(server, ana, 'conversation.start', {
      channelId: SUPORTE.channelId,
      phone: '+55 (21) 97777-1234',
      name: 'Joana',
      templateId: pedido,
      params: ['Joana', 'Ana', 'novo'],
    });
    expect(res.status).toBe(200);
    expect(res.body.result.protocol).toMatch(/^\d{8}-\d{5,}$/);
    const ticket = server.app.store.get(refs.ticket(res.body.result.ticketId))!;
    expect(ticket).toMatchObject({ status: 'open', assigneeId: 'ana', sectorId: 'suporte', contact: { name: 'Joana' }, windowFrom: null });
    const thread = server.app.store.query({ collection: 'messages', parentId: ticket.id, where: [], orderBy: [['createdAt', 'asc'], ['id', 'asc']] });
    expect(thread.map((m) => [m.direction, m.event?.kind ?? m.template?.name])).toEqual([['system', 'started'], ['out', 'retomar_atendimento']]);
    await until(() => message(ticket.id, res.body.result.messageId)?.status === 'sent' || message(ticket.id, res.body.result.messageId)?.status === 'delivered');
    expect(fake.messages.some((m) => m.direction === 'out' && m.customer === '5521977771234' && m.type === 'template')).toBe(true);
    // Free text waits for the customer's answer.
    expect((await run(server, ana, 'message.send', { ticketId: ticket.id, text: 'Oi' })).status).toBe(409);
    // The answer lands in the same ticket, even without the ninth digit.
    await customerWrites('552177771234', 'wamid.joana1', 'Oi! Pode falar');
    const after = await until(() => {
      const t = server.app.store.get(refs.ticket(ticket.id));
      return t?.windowFrom ? t : null;
    });
    expect(after.status).toBe('open');
  });

  it('refuses a second conversation while one is live, and a bad number naming the field', async () => {
    const again = await run<{ error: { message: string } }>(server, ana, 'conversation.start', { channelId: SUPORTE.channelId, phone: '5521977771234', templateId: pedido, params: ['a', 'b', 'c'] });
    expect(again.status).toBe(409);
    expect(again.body.error.message).toMatch(/already has a ticket in progress on/);
    const bad = await run<{ error: { issues: { path: string }[] } }>(server, ana, 'conversation.start', { channelId: SUPORTE.channelId, phone: '1234', templateId: pedido, params: ['a', 'b', 'c'] });
    expect(bad.status).toBe(400);
    expect(bad.body.error.issues[0]?.path).toBe('phone');
  });
});
