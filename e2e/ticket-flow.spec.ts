import { expect, test, type Page } from '@playwright/test';
import { agentPage } from './support.ts';

// Issue 3, end to end: a customer in the web-chat widget and two agents of
// different sectors, each in their own browser context, all at once.
// Ana works in Suporte (the site channel's default sector), Bruno only in Financeiro.

const shot = (page: Page, name: string) => page.screenshot({ path: `test-results/ticket-flow/${name}.png` });

const tab = (page: Page, name: 'Esperando' | 'Em atendimento' | 'Finalizados') =>
  page.getByRole('tab', { name: new RegExp(`^${name}`) });

/** The ticket card of `contact` in the list on screen. */
const card = (page: Page, contact: string) => page.getByRole('listitem').filter({ hasText: contact });

test('a customer ticket travels from the widget through two sectors to Finalizados', async ({ browser }) => {
  test.setTimeout(240_000);
  const customerName = `Cliente E2E ${Date.now().toString(36)}`;

  // ── The customer opens the chat and writes ──
  const customer = await (await browser.newContext()).newPage();
  await customer.goto('/widget/site');
  await customer.getByLabel(/^Nome/).fill(customerName);
  await customer.getByRole('button', { name: 'Iniciar conversa' }).click();
  const composer = customer.getByRole('textbox', { name: /mensagem/i });
  await composer.fill('Olá, minha internet caiu desde ontem.');
  const firstSend = customer.waitForResponse((r) => r.url().endsWith('/api/widget/messages') && r.request().method() === 'POST');
  await customer.getByRole('button', { name: 'Enviar' }).click();
  const first = (await (await firstSend).json()) as { ticketId: string; protocol: string };
  expect(first.ticketId).toBeTruthy();
  await expect(customer.getByText(`Protocolo ${first.protocol}`)).toBeVisible();
  await shot(customer, '01-customer-wrote');

  // ── Ana (Suporte) sees it waiting, with a clock that moves ──
  const ana = await agentPage(browser, 'ana@atende.local');
  await tab(ana, 'Esperando').click();
  const anaCard = card(ana, customerName);
  await expect(anaCard).toBeVisible();
  const waitingClock = anaCard.locator('time').first();
  const clockBefore = await waitingClock.textContent();
  await expect.poll(() => waitingClock.textContent(), { timeout: 75_000, intervals: [1_000] }).not.toBe(clockBefore);
  await shot(ana, '02-ana-sees-waiting');

  // ── Bruno (Financeiro only) does not see it, though his own queue is there ──
  const bruno = await agentPage(browser, 'bruno@atende.local');
  await tab(bruno, 'Esperando').click();
  await expect(card(bruno, 'Pedro Alves')).toBeVisible(); // the seeded Financeiro ticket: his list did load
  await expect(card(bruno, customerName)).toHaveCount(0);
  // Nor may he take it through the API: the server enforces the sector rule.
  const brunoAccept = await bruno.request.post('/api/commands/ticket.accept', { data: { ticketId: first.ticketId } });
  expect(brunoAccept.status()).toBe(403);

  // ── Ana peeks (read-only), then takes it ──
  await anaCard.getByRole('button', { name: 'Espiar' }).click();
  await expect(ana.getByText('Olá, minha internet caiu desde ontem.').last()).toBeVisible();
  await expect(ana.getByRole('textbox', { name: 'Mensagem' })).toHaveCount(0);
  await shot(ana, '03-ana-peeks');
  await ana.getByRole('button', { name: 'Atender' }).first().click();
  await tab(ana, 'Em atendimento').click();
  await expect(card(ana, customerName)).toBeVisible();
  await expect(card(bruno, customerName)).toHaveCount(0);

  // ── Ana replies; the customer sees it live ──
  await card(ana, customerName).click();
  const reply = 'Oi! Sou a Ana, do Suporte. Vou verificar sua conexão.';
  await ana.getByRole('textbox', { name: 'Mensagem' }).fill(reply);
  await ana.getByRole('button', { name: 'Enviar' }).click();
  await expect(customer.getByText(reply)).toBeVisible();
  await shot(customer, '04-customer-sees-reply');

  // ── Ana transfers to Financeiro: it leaves her list and reaches Bruno's ──
  await ana.getByRole('button', { name: 'Transferir' }).click();
  const transfer = ana.getByRole('dialog');
  await transfer.getByRole('combobox', { name: /setor/i }).selectOption({ label: 'Financeiro' });
  await transfer.getByRole('button', { name: 'Transferir' }).click();
  await expect(card(ana, customerName)).toHaveCount(0);
  await tab(ana, 'Esperando').click();
  await expect(card(ana, customerName)).toHaveCount(0);
  await expect(card(bruno, customerName)).toBeVisible();
  await shot(bruno, '05-bruno-sees-transfer');

  // ── Bruno takes it and closes it with a classification ──
  await card(bruno, customerName).getByRole('button', { name: 'Atender' }).click();
  await tab(bruno, 'Em atendimento').click();
  await card(bruno, customerName).click();
  await bruno.getByRole('button', { name: 'Finalizar' }).click();
  const closing = bruno.getByRole('dialog');
  await closing.getByRole('combobox', { name: /classifica/i }).selectOption({ label: 'Dúvida resolvida' });
  await closing.getByRole('button', { name: 'Finalizar' }).click();
  await expect(card(bruno, customerName)).toHaveCount(0);
  await tab(bruno, 'Finalizados').click();
  await expect(card(bruno, customerName)).toBeVisible();
  await shot(bruno, '06-bruno-closed');

  // ── The customer writes again: a new ticket, new protocol, back in Suporte ──
  await expect(customer.getByText(/encerrado/i).first()).toBeVisible();
  const secondSend = customer.waitForResponse((r) => r.url().endsWith('/api/widget/messages') && r.request().method() === 'POST');
  await composer.fill('Voltou a cair, podem ajudar de novo?');
  await customer.getByRole('button', { name: 'Enviar' }).click();
  const second = (await (await secondSend).json()) as { ticketId: string; protocol: string };
  expect(second.ticketId).not.toBe(first.ticketId);
  expect(second.protocol).not.toBe(first.protocol);
  await expect(customer.getByText(`Protocolo ${second.protocol}`)).toBeVisible();
  await tab(ana, 'Esperando').click();
  await expect(card(ana, customerName)).toBeVisible();
  await expect(card(bruno, customerName).filter({ hasText: second.protocol })).toHaveCount(0);
  await shot(ana, '07-ana-sees-new-ticket');
  await shot(customer, '08-customer-new-protocol');
});
