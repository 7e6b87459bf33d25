import { expect, test, type Page } from '@playwright/test';
import { agentPage, searchQueueBeforeArrival } from './support.ts';

// Issue 3, end to end: a customer in the web-chat widget and two agents of
// different sectors, each in their own browser context, all at once.
// Ana works in Suporte (the site channel's default sector), Bruno only in Financeiro.

const shot = (page: Page, name: string) => page.screenshot({ path: `test-results/ticket-flow/${name}.png` });

const tab = (page: Page, name: 'Esperando' | 'Em atendimento' | 'Finalizados') => page.getByRole('tab', { name });

/** The ticket card of `contact` in the queue list on screen. */
const card = (page: Page, contact: string) => page.getByRole('listitem').filter({ hasText: contact });

/** Waits until a queue tab shows its list (or its empty state): a missing card then means something. */
const queueShown = (page: Page, name: 'Esperando' | 'Em atendimento' | 'Finalizados') =>
  expect(page.getByRole('list', { name: `Lista: ${name}` }).or(page.getByText(/(Ninguém esperando|Você não tem atendimentos|Nenhum atendimento)/).first())).toBeVisible();

/** The open conversation's action bar (Atender, Transferir, Finalizar…). */
const actions = (page: Page) => page.getByRole('toolbar', { name: 'Ações do atendimento' });

const widgetSend = (customer: Page) =>
  customer.waitForResponse((r) => r.url().endsWith('/api/widget/messages') && r.request().method() === 'POST');

test('a customer ticket travels from the widget through two sectors to Finalizados', async ({ browser }) => {
  test.setTimeout(180_000);
  const customerName = `Cliente E2E ${Date.now().toString(36)}`;
  const firstText = 'Olá, minha internet caiu desde ontem.';

  // Both agents are at their queues before the customer arrives: the ticket must reach them live.
  const ana = await agentPage(browser, 'ana@atende.local');
  await tab(ana, 'Esperando').click();
  await queueShown(ana, 'Esperando');
  const bruno = await agentPage(browser, 'bruno@atende.local');
  await tab(bruno, 'Esperando').click();
  await queueShown(bruno, 'Esperando');
  // Earlier specs fill this server's queues (virtualized, oldest first): both look for this customer by name.
  // The search applies 120 ms after typing and moves the cards: each waits until it has, before the customer writes.
  for (const agent of [ana, bruno]) await searchQueueBeforeArrival(agent, customerName);

  // ── The customer opens the chat and writes ──
  const customer = await (await browser.newContext()).newPage();
  await customer.goto('/widget/site');
  await customer.getByLabel(/^Nome/).fill(customerName);
  await customer.getByRole('button', { name: 'Iniciar conversa' }).click();
  const composer = customer.getByRole('textbox', { name: /mensagem/i });
  await composer.fill(firstText);
  const firstSent = widgetSend(customer);
  await customer.getByRole('button', { name: 'Enviar' }).click();
  const first = (await (await firstSent).json()) as { ticketId: string; protocol: string };
  expect(first.ticketId).toBeTruthy();
  await expect(customer.getByTestId('protocol')).toHaveText(`Protocolo ${first.protocol}`);
  await shot(customer, '01-customer-wrote');

  // ── Ana (Suporte) sees it arrive in Esperando, with a clock that moves ──
  const anaCard = card(ana, customerName);
  await expect(anaCard).toBeVisible();
  const clock = anaCard.getByTestId('ticket-clock');
  const clockBefore = await clock.textContent();
  await expect.poll(() => clock.textContent(), { timeout: 20_000, intervals: [1_000] }).not.toBe(clockBefore);
  await shot(ana, '02-ana-sees-waiting');

  // ── Bruno (Financeiro only) does not see it, though it reached Ana's screen through the same hub ──
  await expect(card(bruno, customerName)).toHaveCount(0);
  // Nor may he take it through the API: the server enforces the sector rule.
  const brunoAccept = await bruno.request.post('/api/commands/ticket.accept', { data: { ticketId: first.ticketId } });
  expect(brunoAccept.status()).toBe(403);

  // ── Ana peeks (read-only), then takes it ──
  await anaCard.getByRole('button', { name: 'Espiar' }).click();
  await expect(ana.getByText(firstText).last()).toBeVisible();
  await expect(ana.getByText(`Protocolo ${first.protocol}`)).toBeVisible(); // the same protocol the customer sees
  await expect(ana.getByRole('textbox', { name: 'Mensagem' })).toBeDisabled();
  await shot(ana, '03-ana-peeks');
  await actions(ana).getByRole('button', { name: 'Atender' }).click();
  await expect(ana.getByRole('textbox', { name: 'Mensagem' })).toBeEnabled();
  // At 1280×720 the one open conversation's header keeps its details to two lines (Transferir and Devolver à fila
  // show their icons, named for assistive tech): the thread keeps the room. Four lines measured 118 px.
  await expect(actions(ana).getByRole('button', { name: 'Devolver à fila' })).toHaveAttribute('title', 'Devolver à fila');
  expect((await actions(ana).locator('xpath=ancestor::header[1]').boundingBox())!.height).toBeLessThanOrEqual(90);
  await tab(ana, 'Em atendimento').click();
  await expect(card(ana, customerName)).toBeVisible();

  // ── Ana replies; the customer sees it live ──
  const reply = 'Oi! Sou a Ana, do Suporte. Vou verificar sua conexão.';
  await ana.getByRole('textbox', { name: 'Mensagem' }).fill(reply);
  await ana.getByRole('button', { name: 'Enviar' }).click();
  await expect(customer.getByText(reply)).toBeVisible();
  await shot(customer, '04-customer-sees-reply');

  // ── Ana transfers to Financeiro: it leaves her lists and reaches Bruno's ──
  await actions(ana).getByRole('button', { name: 'Transferir' }).click();
  const transfer = ana.getByRole('dialog', { name: 'Transferir atendimento' });
  await transfer.getByRole('radio', { name: 'Financeiro' }).check();
  await transfer.getByRole('button', { name: 'Transferir' }).click();
  await expect(transfer).toHaveCount(0);
  await expect(card(ana, customerName)).toHaveCount(0);
  await tab(ana, 'Esperando').click();
  await queueShown(ana, 'Esperando');
  await expect(card(ana, customerName)).toHaveCount(0);
  const brunoCard = card(bruno, customerName);
  await expect(brunoCard).toBeVisible();
  await shot(bruno, '05-bruno-sees-transfer');

  // ── Bruno takes it and closes it with a classification ──
  await brunoCard.getByRole('button', { name: 'Atender' }).click();
  await tab(bruno, 'Em atendimento').click();
  await expect(card(bruno, customerName)).toBeVisible();
  await actions(bruno).getByRole('button', { name: 'Finalizar' }).click();
  const closing = bruno.getByRole('dialog', { name: 'Finalizar atendimento' });
  await closing.getByLabel('Classificação').selectOption({ label: 'Dúvida resolvida' });
  await closing.getByRole('button', { name: 'Finalizar' }).click();
  await expect(closing).toHaveCount(0);
  await expect(card(bruno, customerName)).toHaveCount(0);
  await tab(bruno, 'Finalizados').click();
  await expect(card(bruno, customerName)).toBeVisible();
  // The classification was recorded with the closing: the closed ticket shows it.
  await card(bruno, customerName).getByRole('button', { name: `Abrir conversa com ${customerName}` }).click();
  await expect(bruno.getByText(`Protocolo ${first.protocol}`)).toBeVisible();
  await expect(bruno.getByText('Dúvida resolvida')).toBeVisible();
  await shot(bruno, '06-bruno-closed');
  // The customer is told the conversation ended.
  await expect(customer.getByText(/encerrado/i).first()).toBeVisible();

  // ── The customer writes again: a new ticket with a new protocol, back in Suporte ──
  await composer.fill('Voltou a cair, podem ajudar de novo?');
  const secondSent = widgetSend(customer);
  await customer.getByRole('button', { name: 'Enviar' }).click();
  const second = (await (await secondSent).json()) as { ticketId: string; protocol: string };
  expect(second.ticketId).not.toBe(first.ticketId);
  expect(second.protocol).not.toBe(first.protocol);
  await expect(customer.getByTestId('protocol')).toHaveText(`Protocolo ${second.protocol}`);
  const newCard = card(ana, customerName);
  await expect(newCard).toBeVisible();
  await newCard.getByRole('button', { name: 'Espiar' }).click();
  await expect(ana.getByText(`Protocolo ${second.protocol}`)).toBeVisible();
  await tab(bruno, 'Esperando').click();
  await queueShown(bruno, 'Esperando');
  await expect(card(bruno, customerName)).toHaveCount(0);
  await shot(ana, '07-ana-sees-new-ticket');
  await shot(customer, '08-customer-new-protocol');
});
