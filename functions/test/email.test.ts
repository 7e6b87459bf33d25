import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import nodemailer from 'nodemailer';
import { simpleParser } from 'mailparser';
import { createIdGenerator, DEMO_EMAIL, refs, seedDemo, type CarryResult, type DeliveryJob, type Message, type Ticket } from '@atende/core';
import { handleCommand, storeOf, type Deps } from '../src/handlers.ts';
import { drainDeliveries } from './support/deliveries.ts';
import { handleEmailInbound, handleEmailPoll } from '../src/email.ts';
import { channelCarriers } from '../src/channels.ts';
import { MemoryAuth } from '../../conformance/firestore.ts';
import { mailServersUnavailable, startMailServers, type MailServers } from '../../server/test/support/mailServers.ts';
import { startEmulator, type Emulator } from './support/emulator.ts';
import { readStored, storedDocs, storedThread } from './support/stored.ts';

/**
 * The e-mail channel on Firebase against real mail servers (Dovecot over
 * IMAP, an SMTP server delivering into Dovecot) and @firestore-emulator/server:
 * the scheduled `emailPoll` reads the mailbox, the outbox trigger answers by
 * SMTP in the customer's thread, `emailInbound` takes forwarded mail with
 * the channel's token. Storage is an in-memory map behind the Deps ports.
 */
const why = mailServersUnavailable();
if (why) console.log(`[skip] e-mail on Firebase: ${why}`);

const SUPPORT = 'suporte@loja.test';
const CUSTOMER = 'joana@cliente.test';
const INBOUND_TOKEN = 'token-de-entrada-fb';
const PDF = Buffer.from('%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n');

describe.skipIf(why !== null)('the e-mail channel on Firebase, against Dovecot and SMTP', () => {
  let mail: MailServers;
  let emu: Emulator;
  let deps: Deps;
  const objects = new Map<string, { type: string; bytes: Uint8Array }>();
  const command = (uid: string, name: string, input: unknown) => handleCommand(deps, { uid, token: {} }, { name, input }) as Promise<Record<string, unknown>>;
  const drainOutbox = () => drainDeliveries(deps, channelCarriers(deps));
  const ticketsOf = async (email: string) =>
    storedDocs<Ticket>(await emu.db.collection('tickets').where('channelId', '==', DEMO_EMAIL.channelId).get()).filter((t) => t.contact.email === email);
  const thread = (ticketId: string) => storedThread(emu.db, ticketId);
  const inbound = (body: string, token: string) =>
    handleEmailInbound(deps, { method: 'POST', path: `/webhooks/email/${DEMO_EMAIL.channelId}`, query: {}, headers: { authorization: `Bearer ${token}` }, rawBody: Buffer.from(body) });

  beforeAll(async () => {
    mail = await startMailServers([SUPPORT, CUSTOMER]);
    emu = await startEmulator();
    deps = {
      db: emu.db,
      auth: new MemoryAuth(),
      clock: Date.now,
      newId: createIdGenerator(),
      readObject: async (path) => objects.get(path)?.bytes ?? null,
      writeObject: async (path, bytes, type) => void objects.set(path, { type, bytes }),
      copyObject: async (from, to) => {
        const o = objects.get(from);
        if (o) objects.set(to, o);
        return o !== undefined;
      },
    };
    await seedDemo({ store: storeOf(deps.db), clock: deps.clock, newId: deps.newId });
    // The mailbox as the Conexão section saves it (written directly: @firestore-emulator/server cannot run
    // channel.connect's query on the nested account.id).
    const now = Date.now();
    await storeOf(deps.db).transaction(async (tx) => {
      const channel = (await tx.get(refs.channel(DEMO_EMAIL.channelId)))!;
      tx.set(refs.channel(channel.id), {
        ...channel,
        account: { id: SUPPORT, businessId: null, display: SUPPORT },
        mail: {
          imap: { host: mail.imap.host, port: mail.imap.port, secure: false, user: SUPPORT },
          smtp: { host: mail.smtp.host, port: mail.smtp.port, secure: false, user: '' },
          fromName: 'Loja Teste',
        },
        updatedAt: now,
      });
      tx.set(refs.channelSecrets(channel.id), { id: channel.id, accessToken: '', appSecret: '', verifyToken: INBOUND_TOKEN, imapPassword: mail.password, smtpPassword: '', updatedAt: now });
    });
  }, 60_000);
  afterAll(async () => {
    await mail?.stop();
    await emu?.stop();
  });

  it('polls the mailbox into a waiting ticket (file in Storage), answers by SMTP in the thread, and threads the answer back', async () => {
    await nodemailer.createTransport({ host: mail.smtp.host, port: mail.smtp.port, secure: false, ignoreTLS: true }).sendMail({
      from: `Joana Silva <${CUSTOMER}>`,
      to: SUPPORT,
      subject: 'Pedido 4521 não chegou',
      messageId: '<pedido-4521@cliente.test>',
      text: 'Olá, meu pedido 4521 não chegou.',
      attachments: [{ filename: 'comprovante.pdf', content: PDF, contentType: 'application/pdf' }],
    });
    expect(await handleEmailPoll(deps)).toEqual({ mailboxes: 1, mails: 1, failed: [] });
    // Read once: the mail is \Seen now, a second poll finds nothing.
    expect((await handleEmailPoll(deps)).mails).toBe(0);
    const [ticket] = (await ticketsOf(CUSTOMER)) as [Ticket];
    expect(ticket).toMatchObject({ status: 'waiting', channelType: 'email', contact: { name: 'Joana Silva', email: CUSTOMER } });
    const [first] = (await thread(ticket.id)).filter((m) => m.direction === 'in') as [Message];
    expect(first).toMatchObject({ text: 'Olá, meu pedido 4521 não chegou.', channelMessageId: '<pedido-4521@cliente.test>', email: { subject: 'Pedido 4521 não chegou' } });
    expect(first.attachments.map((a) => [a.name, a.mime])).toEqual([['comprovante.pdf', 'application/pdf']]);
    expect(Buffer.from(objects.get(`files/${ticket.id}/${first.attachments[0]!.id}`)!.bytes).equals(PDF)).toBe(true);

    await command('ana', 'ticket.accept', { ticketId: ticket.id });
    const { message } = (await command('ana', 'message.send', { ticketId: ticket.id, text: 'Olá Joana, segue o comprovante de volta.', attachments: [first.attachments[0]] })) as { message: Message };
    await drainOutbox();
    const [raw] = await mail.inbox(CUSTOMER);
    const reply = await simpleParser(raw!);
    const latest = (await readStored<Ticket>(emu.db, `tickets/${ticket.id}`))!;
    expect(reply.subject).toBe(`Re: Pedido 4521 não chegou [#${latest.protocol}]`);
    expect(reply.inReplyTo).toBe('<pedido-4521@cliente.test>');
    expect(reply.text).toContain('Olá Joana, segue o comprovante de volta.');
    expect(reply.attachments.map((a) => [a.filename, a.content.equals(PDF)])).toEqual([['comprovante.pdf', true]]);
    expect((await emu.db.doc(`tickets/${ticket.id}/messages/${message.id}`).get()).data()).toMatchObject({ status: 'sent', channelMessageId: reply.messageId });

    // Her answer, forwarded by the provider to the inbound function, joins the same ticket by In-Reply-To.
    const answer = `From: ${CUSTOMER}\r\nTo: ${SUPPORT}\r\nSubject: Re: ${reply.subject}\r\nMessage-ID: <resposta-1@cliente.test>\r\nIn-Reply-To: ${reply.messageId}\r\nReferences: ${reply.messageId}\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nObrigada, recebi.\r\n`;
    expect(await inbound(answer, INBOUND_TOKEN)).toEqual({ status: 200, body: { outcome: 'received' } });
    expect(await ticketsOf(CUSTOMER)).toHaveLength(1);
    expect((await thread(ticket.id)).filter((m) => m.direction === 'in').map((m) => m.text)).toEqual(['Olá, meu pedido 4521 não chegou.', 'Obrigada, recebi.']);
  });

  it('refuses forwarded mail without the channel token, and classifies an SMTP refusal of the recipient', async () => {
    const raw = `From: maria@cliente.test\r\nTo: ${SUPPORT}\r\nSubject: Segunda via\r\nMessage-ID: <x1@cliente.test>\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nPreciso da segunda via.\r\n`;
    expect((await inbound(raw, 'errado')).status).toBe(401);
    expect((await handleEmailInbound(deps, { method: 'POST', path: '/webhooks/email/nao-existe', query: {}, headers: { authorization: `Bearer ${INBOUND_TOKEN}` }, rawBody: Buffer.from(raw) })).status).toBe(401);
    expect(await ticketsOf('maria@cliente.test')).toHaveLength(0);
    expect((await inbound(raw, INBOUND_TOKEN)).status).toBe(200);
    const [ticket] = (await ticketsOf('maria@cliente.test')) as [Ticket];
    await command('ana', 'ticket.accept', { ticketId: ticket.id });
    // The SMTP server knows no mailbox maria@cliente.test: 550, given up as an invalid recipient.
    const { message } = (await command('ana', 'message.send', { ticketId: ticket.id, text: 'Segue a segunda via.' })) as { message: Message };
    await drainOutbox();
    expect((await emu.db.doc(`tickets/${ticket.id}/messages/${message.id}`).get()).data()).toMatchObject({ status: 'failed', deliveryFailure: { code: 'invalid-recipient', providerCode: 550 } });
  });

  it("sends the bot's reply to a forwarded mail right after the commit, not through the trigger", async () => {
    const bot = async (enabled: boolean) =>
      storeOf(deps.db).transaction(async (tx) => {
        const channel = (await tx.get(refs.channel(DEMO_EMAIL.channelId)))!;
        tx.update(refs.channel(channel.id), { bot: { ...channel.bot, enabled } });
      });
    await bot(true);
    try {
      const jobs: DeliveryJob[] = [];
      const carriers = { email: async (job: DeliveryJob): Promise<CarryResult> => (jobs.push(job), { kind: 'sent', channelMessageId: '<menu@loja.test>' }) };
      const raw = `From: bia@cliente.test\r\nTo: ${SUPPORT}\r\nSubject: Oi\r\nMessage-ID: <bot1@cliente.test>\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nBom dia\r\n`;
      const answer = await handleEmailInbound(deps, { method: 'POST', path: `/webhooks/email/${DEMO_EMAIL.channelId}`, query: {}, headers: { authorization: `Bearer ${INBOUND_TOKEN}` }, rawBody: Buffer.from(raw) }, undefined, carriers);
      expect(answer.status).toBe(200);
      expect(jobs.map((j) => [j.message.automated, j.message.delivery?.inline])).toEqual([[true, true]]);
      expect(await readStored<Message>(emu.db, `tickets/${jobs[0]!.message.ticketId}/messages/${jobs[0]!.message.id}`)).toMatchObject({ status: 'sent', delivery: { attempts: 1, dueAt: null } });
    } finally {
      await bot(false);
    }
  });
});
