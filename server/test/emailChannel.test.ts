import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import nodemailer from 'nodemailer';
import { simpleParser } from 'mailparser';
import { refs, type Channel, type Message, type Ticket } from '@atende/core';
import { api, login, run, startServer, type TestServer } from './helpers.ts';
import { mailServersUnavailable, startMailServers, type MailServers } from './support/mailServers.ts';

const why = mailServersUnavailable();
if (why) console.log(`[skip] e-mail channel tests: ${why}`);

const SUPPORT = 'suporte@loja.test';
const CUSTOMER = 'joana@cliente.test';
const COLLEAGUE = 'pedro@cliente.test';

describe.skipIf(why !== null)('the e-mail channel on the embedded server, against Dovecot and SMTP', () => {
  let mail: MailServers;
  let server: TestServer;
  const customerSmtp = () => nodemailer.createTransport({ host: mail.smtp.host, port: mail.smtp.port, secure: false, ignoreTLS: true });
  const ticketsOfChannel = () => server.app.store.query({ collection: 'tickets', where: [['channelId', '==', 'email']], orderBy: [['createdAt', 'asc']] });
  const thread = (ticketId: string) => server.app.store.query({ collection: 'messages', parentId: ticketId, where: [], orderBy: [['createdAt', 'asc']] });

  beforeAll(async () => {
    mail = await startMailServers([SUPPORT, CUSTOMER, COLLEAGUE]);
    server = await startServer();
    const now = Date.now();
    const channel: Channel = {
      id: 'email',
      type: 'email',
      name: 'E-mail Suporte',
      defaultSectorId: 'suporte',
      bot: { enabled: false, greeting: '', menu: [], invalidOption: '' },
      active: true,
      account: { id: SUPPORT, businessId: null, display: SUPPORT },
      mail: {
        imap: { host: mail.imap.host, port: mail.imap.port, secure: false, user: SUPPORT },
        smtp: { host: mail.smtp.host, port: mail.smtp.port, secure: false, user: '' },
        fromName: 'Loja Teste',
      },
      updatedAt: now,
    };
    await server.app.store.transaction(async (tx) => {
      const sector = await tx.get(refs.sector('suporte'));
      tx.set(refs.channel('email'), channel);
      tx.set(refs.channelSecrets('email'), { id: 'email', accessToken: '', appSecret: '', verifyToken: 'token-de-entrada', imapPassword: mail.password, smtpPassword: '', updatedAt: now });
      tx.set(refs.sector('suporte'), { ...sector!, signature: 'Equipe de Suporte · Loja Teste' });
    });
  });
  afterAll(async () => {
    await server?.close();
    await mail?.stop();
  });

  it('turns a customer mail into a waiting ticket, the reply into a threaded mail, and the answer back into the same ticket', async () => {
    await customerSmtp().sendMail({
      from: `Joana Silva <${CUSTOMER}>`,
      to: SUPPORT,
      subject: 'Pedido 4521 não chegou',
      messageId: '<pedido-4521@cliente.test>',
      text: 'Olá, meu pedido 4521 não chegou.\n\n-- \nJoana',
      attachments: [{ filename: 'comprovante.pdf', content: Buffer.from('%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n'), contentType: 'application/pdf' }],
    });
    await expect.poll(() => ticketsOfChannel().length, { timeout: 15_000 }).toBe(1);
    const [ticket] = ticketsOfChannel() as [Ticket];
    expect(ticket).toMatchObject({ status: 'waiting', sectorId: 'suporte', channelType: 'email', contact: { name: 'Joana Silva', email: CUSTOMER } });
    const [first] = thread(ticket.id).filter((m) => m.direction === 'in') as [Message];
    expect(first).toMatchObject({ text: 'Olá, meu pedido 4521 não chegou.', channelMessageId: '<pedido-4521@cliente.test>' });
    expect(first.email).toMatchObject({ subject: 'Pedido 4521 não chegou', quoted: '-- \nJoana' });
    expect(first.attachments.map((a) => [a.name, a.mime])).toEqual([['comprovante.pdf', 'application/pdf']]);
    // The customer's file is served with the ticket.
    const ana = await login(server, 'ana@atende.local');
    expect((await api(server, 'GET', `/api/files/${ticket.id}/${first.attachments[0]!.id}`, { cookie: ana })).status).toBe(200);

    expect((await run(server, ana, 'ticket.accept', { ticketId: ticket.id })).status).toBe(200);
    expect((await run(server, ana, 'message.send', { ticketId: ticket.id, text: 'Olá Joana, já localizei o pedido.' })).status).toBe(200);
    await expect.poll(async () => (await mail.inbox(CUSTOMER)).length, { timeout: 15_000 }).toBe(1);
    const reply = await simpleParser((await mail.inbox(CUSTOMER))[0]!);
    const latest = server.app.store.get(refs.ticket(ticket.id))!;
    expect(reply.subject).toBe(`Re: Pedido 4521 não chegou [#${latest.protocol}]`);
    expect(reply.inReplyTo).toBe('<pedido-4521@cliente.test>');
    expect(reply.references).toBe('<pedido-4521@cliente.test>');
    expect(reply.from?.text).toBe(`"Ana Souza · Loja Teste" <${SUPPORT}>`);
    expect(reply.text?.trim()).toBe('Olá Joana, já localizei o pedido.\n\n-- \nEquipe de Suporte · Loja Teste');
    await expect.poll(() => thread(ticket.id).find((m) => m.direction === 'out' && !m.automated)?.status, { timeout: 5_000 }).toBe('sent');

    // A colleague answers the thread from another address: the headers bring it into the same ticket.
    await customerSmtp().sendMail({
      from: COLLEAGUE,
      to: reply.replyTo!.text,
      subject: `Re: ${reply.subject}`,
      inReplyTo: reply.messageId!,
      references: [reply.messageId!],
      text: 'Sou o Pedro, marido da Joana: pode entregar na portaria.\n\nEm ter., 2 de dez. de 2026, Ana <suporte@loja.test> escreveu:\n> Olá Joana, já localizei o pedido.',
    });
    await expect.poll(() => thread(ticket.id).filter((m) => m.direction === 'in').length, { timeout: 15_000 }).toBe(2);
    expect(ticketsOfChannel()).toHaveLength(1);
    const second = thread(ticket.id).filter((m) => m.direction === 'in')[1]!;
    expect(second.text).toBe('Sou o Pedro, marido da Joana: pode entregar na portaria.');
    expect(second.email?.quoted).toMatch(/^Em ter\., 2 de dez\./);
  });

  it('takes mail forwarded to the inbound endpoint with the channel token, refuses a wrong one, and ignores auto-replies', async () => {
    const raw = (from: string, id: string, extra = '') =>
      `From: ${from}\r\nTo: ${SUPPORT}\r\nSubject: Segunda via\r\nMessage-ID: <${id}>\r\n${extra}Content-Type: text/plain; charset=utf-8\r\n\r\nPreciso da segunda via do boleto.\r\n`;
    const post = (body: string, token: string) =>
      api(server, 'POST', '/webhooks/email/email', { raw: body, headers: { 'content-type': 'message/rfc822', authorization: `Bearer ${token}` } });
    expect((await post(raw('maria@cliente.test', 'x1@cliente.test'), 'errado')).status).toBe(401);
    expect(ticketsOfChannel().filter((t) => t.contact.email === 'maria@cliente.test')).toHaveLength(0);
    expect((await post(raw('maria@cliente.test', 'x1@cliente.test'), 'token-de-entrada')).body).toEqual({ outcome: 'received' });
    // The same mail forwarded twice is one message.
    expect((await post(raw('maria@cliente.test', 'x1@cliente.test'), 'token-de-entrada')).status).toBe(200);
    const maria = ticketsOfChannel().filter((t) => t.contact.email === 'maria@cliente.test');
    expect(maria).toHaveLength(1);
    expect(thread(maria[0]!.id).filter((m) => m.direction === 'in')).toHaveLength(1);
    const auto = await post(raw('ferias@cliente.test', 'x2@cliente.test', 'Auto-Submitted: auto-replied\r\n'), 'token-de-entrada');
    expect(auto).toMatchObject({ status: 202, body: { outcome: 'ignored' } });
    expect(ticketsOfChannel().filter((t) => t.contact.email === 'ferias@cliente.test')).toHaveLength(0);
  });
});
