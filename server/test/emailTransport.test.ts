import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { simpleParser } from 'mailparser';
import { buildReply } from '@atende/core/email';
import { MailboxWatcher, sendMail, type RawMail } from '@atende/mail';

import { mailServersUnavailable, startMailServers, type MailServers } from './support/mailServers.ts';

const why = mailServersUnavailable();
if (why) console.log(`[skip] e-mail transport tests: ${why}`);

const SUPPORT = 'suporte@loja.test';
const CUSTOMER = 'joana@cliente.test';
const quiet = { info: () => undefined, warn: () => undefined };

describe.skipIf(why !== null)('e-mail transport against Dovecot and SMTP', () => {
  let servers: MailServers;
  beforeAll(async () => {
    servers = await startMailServers([SUPPORT, CUSTOMER]);
  });
  afterAll(async () => servers?.stop());

  it('reads each unseen mail once, marks it seen only after it was received, and notices new mail', async () => {
    await servers.deliver(SUPPORT, `From: Joana <${CUSTOMER}>\r\nTo: ${SUPPORT}\r\nSubject: primeira\r\nMessage-ID: <m1@cliente.test>\r\n\r\nOi\r\n`);
    const received: string[] = [];
    let failNext = true;
    let seenSecond!: () => void;
    const second = new Promise<void>((r) => (seenSecond = r));
    const watcher = new MailboxWatcher(
      { host: servers.imap.host, port: servers.imap.port, secure: false, user: SUPPORT, password: servers.password },
      async (mail: RawMail) => {
        const parsed = await simpleParser(mail.source);
        if (parsed.subject === 'segunda' && failNext) {
          failNext = false;
          throw new Error('refused once');
        }
        received.push(parsed.subject ?? '');
        if (parsed.subject === 'terceira') seenSecond();
      },
      quiet,
      60_000,
    );
    watcher.start();
    try {
      await expect.poll(() => received, { timeout: 10_000 }).toEqual(['primeira']);
      // A refused mail is marked read (not retried forever); the next one still arrives by IDLE.
      await servers.deliver(SUPPORT, `From: ${CUSTOMER}\r\nTo: ${SUPPORT}\r\nSubject: segunda\r\nMessage-ID: <m2@cliente.test>\r\n\r\nx\r\n`);
      await servers.deliver(SUPPORT, `From: ${CUSTOMER}\r\nTo: ${SUPPORT}\r\nSubject: terceira\r\nMessage-ID: <m3@cliente.test>\r\n\r\ny\r\n`);
      await second;
      await watcher.drain();
      expect(received).toEqual(['primeira', 'terceira']);
    } finally {
      await watcher.stop();
    }
  });

  it('sends a reply the customer reads in their mailbox with its threading headers and attachment', async () => {
    const mail = buildReply({
      mailbox: SUPPORT,
      fromName: 'Loja Teste',
      signature: 'Equipe Suporte',
      ticket: { id: 'tk1', protocol: '20261202-0001', contactEmail: CUSTOMER },
      message: { id: 'msg1', text: 'Olá Joana, segue a nota.', authorName: 'Ana', attachmentIds: [] },
      answering: { messageId: '<m1@cliente.test>', subject: 'primeira', references: [] },
    });
    const outcome = await sendMail({ ...servers.smtp, secure: false, user: '', password: '' }, mail, [
      { filename: 'nota.pdf', contentType: 'application/pdf', content: Buffer.from('%PDF-1.4 teste') },
    ]);
    expect(outcome).toEqual({ kind: 'sent', channelMessageId: '<atende.tk1.msg1@loja.test>' });
    const inbox = await servers.inbox(CUSTOMER);
    const parsed = await simpleParser(inbox.at(-1) ?? '');
    expect(parsed.subject).toBe('Re: primeira [#20261202-0001]');
    expect(parsed.messageId).toBe('<atende.tk1.msg1@loja.test>');
    expect(parsed.inReplyTo).toBe('<m1@cliente.test>');
    expect(parsed.references).toBe('<m1@cliente.test>');
    expect(parsed.replyTo?.text).toBe('suporte+t.tk1@loja.test');
    expect(parsed.text?.trim()).toBe('Olá Joana, segue a nota.\n\n-- \nEquipe Suporte');
    expect(parsed.attachments.map((a) => [a.filename, a.contentType])).toEqual([['nota.pdf', 'application/pdf']]);
  });

  it('gives up on an unknown recipient with the reason, and retries when the server cannot be reached', async () => {
    const base = { mailbox: SUPPORT, fromName: 'Loja', signature: '', answering: null, message: { id: 'm', text: 'oi', authorName: null, attachmentIds: [] } };
    const unknown = await sendMail({ ...servers.smtp, secure: false, user: '', password: '' }, buildReply({ ...base, ticket: { id: 't', protocol: 'p', contactEmail: 'ninguem@cliente.test' } }), []);
    expect(unknown).toMatchObject({ kind: 'give-up', failure: { code: 'invalid-recipient' } });
    expect(unknown.kind === 'give-up' && unknown.failure.detail).toMatch(/ninguem@cliente.test/);
    const down = await sendMail({ host: '127.0.0.1', port: 1, secure: false, user: '', password: '' }, buildReply({ ...base, ticket: { id: 't', protocol: 'p', contactEmail: CUSTOMER } }), []);
    expect(down.kind).toBe('retry');
  });
});
