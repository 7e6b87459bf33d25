import { expect, test, type APIRequestContext, type Page } from '@playwright/test';
import { agentPage } from './support.ts';

// Issue 13, "not losing work": a draft survives a reload; messages typed while the server cannot be
// reached wait (shown as waiting), survive a reload, and go by themselves, in order, when it answers.

const run = Date.now().toString(36);

async function customerWrites(request: APIRequestContext, name: string, text: string) {
  const session = await request.post('/api/widget/site/session', { data: { name } });
  expect(session.ok()).toBe(true);
  const { token } = (await session.json()) as { token: string };
  const sent = await request.post('/api/widget/messages', {
    headers: { authorization: `Bearer ${token}` },
    data: { text, attachments: [], clientMessageId: `e2e-${Math.random().toString(36).slice(2)}` },
  });
  expect(sent.ok(), await sent.text()).toBe(true);
  return (await sent.json()) as { ticketId: string };
}

const windowOf = (page: Page, contact: string) => page.locator('[data-window]').filter({ has: page.getByRole('region', { name: contact, exact: true }) });

test('a draft survives a reload; messages sent during an outage wait, survive a reload and go in order by themselves', async ({ browser, request }) => {
  test.setTimeout(120_000);
  const name = `Olga Queda ${run}`;
  await customerWrites(request, name, 'Vocês estão aí?');
  const ana = await agentPage(browser, 'ana@atende.local');
  await ana.getByRole('tab', { name: 'Esperando' }).click();
  await ana.getByRole('searchbox', { name: 'Buscar' }).fill(run);
  await ana.getByRole('listitem').filter({ hasText: name }).getByRole('button', { name: 'Atender' }).click();
  const box = windowOf(ana, name).getByRole('textbox', { name: 'Mensagem' });
  await expect(box).toBeEnabled();

  // ── The draft is kept per ticket, across a reload ──
  await box.fill('Um rascunho que não pode sumir');
  await ana.reload();
  await expect(windowOf(ana, name).getByRole('textbox', { name: 'Mensagem' })).toHaveValue('Um rascunho que não pode sumir');
  await windowOf(ana, name).getByRole('textbox', { name: 'Mensagem' }).fill('');

  // ── Outage: the server cannot be reached for sends ──
  await ana.route('**/api/commands/message.send', (route) => route.abort('internetdisconnected'));
  const composer = windowOf(ana, name).getByRole('textbox', { name: 'Mensagem' });
  for (const text of ['Primeira durante a queda', 'Segunda durante a queda']) {
    await composer.fill(text);
    await composer.press('Enter');
  }
  const thread = windowOf(ana, name).getByRole('log');
  await expect(thread.getByTestId('unsent-note')).toHaveCount(2);
  await expect(thread.getByTestId('unsent-note').first()).toHaveText('Sem conexão: será enviada sozinha quando a conexão voltar');
  await expect(ana.getByRole('alert')).toHaveCount(0); // no error toast: nothing was refused
  await ana.screenshot({ path: 'test-results/agent-day-outage.png' });

  // A reload during the outage loses nothing.
  await ana.reload();
  const after = windowOf(ana, name).getByRole('log');
  await expect(after.getByTestId('unsent-note')).toHaveCount(2);

  // The connection returns: both go by themselves, in the order they were written, once each.
  await ana.unroute('**/api/commands/message.send');
  await expect(after.getByTestId('unsent-note')).toHaveCount(0, { timeout: 45_000 });
  const texts = await after.locator('[data-kind]').allInnerTexts();
  const first = texts.findIndex((t) => t.includes('Primeira durante a queda'));
  const second = texts.findIndex((t) => t.includes('Segunda durante a queda'));
  expect(first).toBeGreaterThan(-1);
  expect(second).toBeGreaterThan(first);
  expect(texts.filter((t) => t.includes('Primeira durante a queda'))).toHaveLength(1);
});
