import { expect, test, type Page } from '@playwright/test';
import { SMTPServer } from 'smtp-server';
import { simpleParser, type ParsedMail } from 'mailparser';
import { agentPage, searchQueueBeforeArrival } from './support.ts';

// Issue 16 end to end: an e-mail (through the inbound endpoint) and an Instagram DM (through the
// simulator's customer page) land in Esperando with their channel icons; Ana answers both; the answer
// to the mail leaves by SMTP as a threaded reply, the DM answer reaches the fake Instagram Graph API.

const run = Date.now().toString(36);
const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n', 'latin1');
const mailCustomer = { name: `Rita Correio ${run}`, address: `rita.${run}@cliente.test` };
const igCustomer = { id: `1784${Date.now()}`.slice(0, 16), name: `Igor Direct ${run}` };
const subject = `Troca do pedido ${run}`;
const messageId = `<pedido-${run}@cliente.test>`;

const card = (page: Page, contact: string) => page.getByRole('listitem').filter({ hasText: contact });
const windowOf = (page: Page, contact: string) => page.locator('[data-window]').filter({ has: page.getByRole('region', { name: contact, exact: true }) });

test('an e-mail and an Instagram DM arrive in Esperando with their icons, and both answers leave', async ({ browser, request }) => {
  test.setTimeout(180_000);
  // ── The customer's mail server: a local SMTP relay that keeps what it receives ──
  const received: ParsedMail[] = [];
  const smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, _session, done) {
      simpleParser(stream)
        .then((mail) => {
          received.push(mail);
          done();
        })
        .catch(done);
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
  const smtpPort = (smtp.server.address() as { port: number }).port;
  try {
    // ── The admin points the demo e-mail channel at it (Administração → Canais → E-mail → Conexão) ──
    const admin = await agentPage(browser, 'admin@atende.local');
    await admin.goto('/admin/canais');
    await admin.getByRole('button', { name: 'Editar E-mail', exact: true }).click();
    const connection = admin.getByTestId('channel-connection');
    await expect(connection.getByLabel('Endereço da caixa')).toHaveValue('contato@atende.local');
    await connection.locator('#smtp-host').fill('127.0.0.1');
    await connection.locator('#smtp-port').fill(String(smtpPort));
    await connection.getByRole('button', { name: 'Salvar conexão' }).click();
    await expect(connection.getByRole('status')).toHaveText('Conexão salva');
    await admin.context().close();

    // Ana is at her queue before the customers write (otherwise Suporte overflows).
    const ana = await agentPage(browser, 'ana@atende.local');
    await ana.getByRole('tab', { name: 'Esperando' }).click();
    // The search applies 120 ms after typing and moves the cards: it has applied before anyone writes.
    await searchQueueBeforeArrival(ana, run);

    // ── The mail arrives through the inbound endpoint (a provider forwarding the raw message) ──
    const raw = [
      `From: ${mailCustomer.name} <${mailCustomer.address}>`,
      'To: contato@atende.local',
      `Subject: ${subject}`,
      `Message-ID: ${messageId}`,
      `Date: ${new Date().toUTCString()}`,
      'MIME-Version: 1.0',
      'Content-Type: text/plain; charset=utf-8',
      'Content-Transfer-Encoding: 8bit',
      '',
      'Olá! Quero trocar o tamanho do tênis.',
      '',
      'Em seg., a loja escreveu:',
      '> Seu pedido foi enviado.',
      '',
    ].join('\r\n');
    const inbound = await request.post('/webhooks/email/email', { headers: { authorization: 'Bearer atende-demo-inbound', 'content-type': 'message/rfc822' }, data: Buffer.from(raw) });
    expect(inbound.status(), await inbound.text()).toBe(200);

    // ── The DM comes from the customer's Instagram (the simulator's page) ──
    const phone = await browser.newPage();
    await phone.goto(`/simulator/instagram?customer=${igCustomer.id}&name=${encodeURIComponent(igCustomer.name)}&username=igor.${run}`);
    await phone.getByRole('textbox', { name: 'Mensagem' }).fill('Oi! Tem o modelo azul no 42?');
    await phone.getByRole('button', { name: 'Enviar' }).click();

    // ── Both wait in Esperando, each with its channel's icon ──
    await expect(card(ana, mailCustomer.name).getByRole('img', { name: 'E-mail', exact: true })).toBeVisible();
    await expect(card(ana, igCustomer.name).getByRole('img', { name: 'Instagram', exact: true })).toBeVisible();
    await ana.screenshot({ path: 'test-results/channels-queue.png' });

    // ── Ana answers the mail: the thread shows its subject, the quoted history stays folded ──
    await card(ana, mailCustomer.name).getByRole('button', { name: 'Espiar' }).click();
    const mailWindow = windowOf(ana, mailCustomer.name);
    await expect(mailWindow.getByTestId('mail-subject')).toContainText(subject);
    await expect(mailWindow.getByTestId('mail-quoted')).toHaveCount(0);
    await mailWindow.getByRole('button', { name: 'Mostrar texto citado' }).click();
    await expect(mailWindow.getByTestId('mail-quoted')).toContainText('Seu pedido foi enviado.');
    await mailWindow.getByRole('toolbar', { name: 'Ações do atendimento' }).getByRole('button', { name: 'Atender' }).click();
    const mailReply = `Claro, Rita! Já separei o 38 (${run}).`;
    await mailWindow.getByRole('textbox', { name: 'Mensagem' }).fill(mailReply);
    await mailWindow.getByRole('button', { name: 'Enviar' }).click();

    // ── …and the DM ──
    await ana.getByRole('tab', { name: 'Esperando' }).click();
    // The mail Ana took must have left Esperando: while it is still there, the DM's card sits a row lower.
    await expect(ana.getByRole('list', { name: 'Lista: Esperando' }).getByRole('listitem').filter({ hasText: mailCustomer.name })).toHaveCount(0);
    await card(ana, igCustomer.name).getByRole('button', { name: 'Espiar' }).click();
    const igWindow = windowOf(ana, igCustomer.name);
    await expect(igWindow.getByText('Oi! Tem o modelo azul no 42?')).toBeVisible();
    await igWindow.getByRole('toolbar', { name: 'Ações do atendimento' }).getByRole('button', { name: 'Atender' }).click();
    const dmReply = `Temos sim, Igor! (${run})`;
    await igWindow.getByRole('textbox', { name: 'Mensagem' }).fill(dmReply);
    await igWindow.getByRole('button', { name: 'Enviar' }).click();
    // Instagram's reply window, like WhatsApp's but with no template to fall back on.
    await expect(igWindow.getByTestId('reply-window')).toContainText(/Janela de 24 h: .+ restantes/);
    await expect(igWindow.getByRole('button', { name: 'Enviar modelo' })).toHaveCount(0);
    // A file goes to Instagram as a link it can fetch.
    await igWindow.locator('form input[type=file]').setInputFiles({ name: `catalogo-${run}.pdf`, mimeType: 'application/pdf', buffer: PDF });
    await expect(igWindow.getByText(/pronto/)).toBeVisible();
    await igWindow.getByRole('button', { name: 'Enviar', exact: true }).click();
    await expect(igWindow.getByRole('link', { name: `Baixar catalogo-${run}.pdf` })).toBeVisible();
    await ana.screenshot({ path: 'test-results/channels-answered.png' });

    // ── The answers leave: the customer's mailbox gets a threaded reply, Instagram shows the DM ──
    await expect.poll(() => received.find((m) => m.text?.includes(mailReply)) ?? null, { timeout: 20_000 }).not.toBeNull();
    const mail = received.find((m) => m.text?.includes(mailReply))!;
    expect(mail.subject).toMatch(new RegExp(`^Re: ${subject} \\[#\\d{8}-\\d{5,}\\]$`));
    expect(mail.inReplyTo).toBe(messageId);
    expect(mail.to && !Array.isArray(mail.to) ? mail.to.value[0]?.address : null).toBe(mailCustomer.address);
    await expect(phone.getByRole('listitem', { name: `Empresa: ${dmReply}` })).toBeVisible({ timeout: 20_000 });
    const attachment = phone.getByRole('link', { name: 'Anexo da empresa' });
    await expect(attachment).toBeVisible({ timeout: 20_000 });
    // What Instagram does with the link: fetch the file, without any session.
    const fetched = await request.get((await attachment.getAttribute('href'))!);
    expect(fetched.status()).toBe(200);
    expect((await fetched.body()).equals(PDF)).toBe(true);
    await ana.context().close();
    await phone.close();
  } finally {
    await new Promise<void>((resolve) => smtp.close(() => resolve()));
  }
});
