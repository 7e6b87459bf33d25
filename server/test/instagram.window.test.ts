import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_INSTAGRAM, refs, type Attachment, type Message, type Ticket } from '@atende/core';
import type { FakeInstagram } from '../src/simulator/instagram/fake.ts';
import { PNG } from './fixtures.ts';
import { login, run, startServer, type TestServer } from './helpers.ts';
import { untilCommitted } from './support/webhooks.ts';

/**
 * Instagram's reply window on the embedded server (core's rule: 24 hours
 * after the customer's last DM, seven days with the human-agent tag; only
 * the customer can reopen it) and an agent's file, which Instagram takes
 * only by URL: a short-lived signed link to the customer's file route.
 */
const HOUR = 60 * 60 * 1000;
let now = Date.now();
let server: TestServer;
let fake: FakeInstagram;
let ana: string;

const until = <T>(check: () => T | null | undefined | false, timeoutMs?: number) => untilCommitted(server, check, timeoutMs);
const ticketOfCustomer = (customer: string) =>
  server.app.store.query({ collection: 'tickets', where: [['channelId', '==', DEMO_INSTAGRAM.channelId]], orderBy: [] }).find((t) => t.contactId && server.app.store.get(refs.contact(t.contactId))?.identityKeys.includes(`${DEMO_INSTAGRAM.channelId}:${customer}`));
const send = (ticketId: string, text: string, attachments: Attachment[] = []) =>
  run<{ result: { message: Message }; error: { code: string; message: string; reason: string } }>(server, ana, 'message.send', { ticketId, text, attachments });
const setTag = (on: boolean) =>
  server.app.store.transaction(async (tx) => {
    const channel = (await tx.get(refs.channel(DEMO_INSTAGRAM.channelId)))!;
    tx.set(refs.channel(channel.id), { ...channel, humanAgentTag: on, updatedAt: now });
  });

beforeAll(async () => {
  server = await startServer({ clock: () => now });
  fake = server.app.instagramSimulator!;
  ana = await login(server, 'ana@atende.local');
});
afterAll(() => server.close());

describe("Instagram's reply window and files on the embedded server", () => {
  let ticket: Ticket;

  it("sends an agent's image as a signed link the provider can fetch, and the text after it", async () => {
    await fake.customerSends({ from: '1784140000000555', name: 'Bia Lima', text: 'Tem foto do modelo azul?' });
    ticket = await until(() => ticketOfCustomer('1784140000000555'));
    expect((await run(server, ana, 'ticket.accept', { ticketId: ticket.id })).status).toBe(200);
    const form = new FormData();
    form.append('ticketId', ticket.id);
    form.append('file', new Blob([PNG], { type: 'image/png' }), 'azul.png');
    const upload = await fetch(`${server.url}/api/files`, { method: 'POST', headers: { cookie: ana }, body: form });
    const { attachment } = (await upload.json()) as { attachment: Attachment };
    const sent = await send(ticket.id, 'Olha ele aqui!', [attachment]);
    expect(sent.status).toBe(200);
    await until(() => server.app.store.get(refs.message(ticket.id, sent.body.result.message.id))?.status === 'sent', 10_000);
    const out = fake.messages.filter((m) => m.direction === 'out' && m.customer === '1784140000000555');
    expect(out.map((m) => m.text)).toEqual(['', 'Olha ele aqui!']);
    const link = out[0]!.attachment!;
    expect(link).toMatch(new RegExp(`^${server.url}/api/widget/files/${ticket.id}/${attachment.id}\\?key=`));
    // What Meta does with it: fetch the bytes, without any session.
    const fetched = await fetch(link);
    expect(fetched.status).toBe(200);
    expect(Buffer.from(await fetched.arrayBuffer()).equals(PNG)).toBe(true);
    // The key opens only this customer's conversation.
    expect((await fetch(link.replace(ticket.id, 'outro-ticket'))).status).toBe(404);
  });

  it('refuses free text 24 hours after the customer wrote, in Portuguese, until the customer writes again', async () => {
    now += 24 * HOUR + 60_000;
    const refused = await send(ticket.id, 'Ainda tem interesse?');
    expect(refused.status).toBe(409);
    expect(refused.body.error).toMatchObject({ code: 'failed-precondition', reason: 'channel.instagramWindowClosed' });
    await fake.customerSends({ from: '1784140000000555', text: 'Tenho sim!' });
    await until(() => server.app.store.get(refs.ticket(ticket.id))!.windowFrom === now);
    expect((await send(ticket.id, 'Ótimo, Bia!')).status).toBe(200);
  });

  it('with the human-agent tag, answers up to seven days later, tagged HUMAN_AGENT, and not after', async () => {
    now += 3 * 24 * HOUR;
    expect((await send(ticket.id, 'Sem a tag')).status).toBe(409);
    await setTag(true);
    const tagged = await send(ticket.id, 'Voltei com novidades, Bia.');
    expect(tagged.status).toBe(200);
    await until(() => server.app.store.get(refs.message(ticket.id, tagged.body.result.message.id))?.status === 'sent', 10_000);
    const request = fake.requests.filter((r) => r.method === 'POST').at(-1)!.body as { tag?: string; messaging_type?: string };
    expect(request).toMatchObject({ messaging_type: 'MESSAGE_TAG', tag: 'HUMAN_AGENT' });
    now += 4 * 24 * HOUR;
    expect((await send(ticket.id, 'Oito dias depois')).status).toBe(409);
    await setTag(false);
  });

  it('"Nova conversa" cannot start an Instagram conversation: core refuses it, whatever the screen offers', async () => {
    const started = await run<{ error: { code: string; reason: string } }>(server, ana, 'conversation.start', {
      channelId: DEMO_INSTAGRAM.channelId,
      phone: '5511987654321',
      name: 'Alguém',
      templateId: 'instagram.qualquer.pt_BR',
      params: [],
    });
    expect(started.status).toBe(409);
    expect(started.body.error).toMatchObject({ code: 'failed-precondition', reason: 'channel.startWhatsAppOnly' });
  });
});
