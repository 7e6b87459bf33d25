import { expect, test, type APIRequestContext, type Page } from '@playwright/test';
import { agentPage, placeholderRoom, searchQueue } from './support.ts';

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
  // The search applies 120 ms after typing and moves the cards: click once the list shows this run's alone.
  await (await searchQueue(ana, run, name)).getByRole('button', { name: 'Atender' }).click();
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

test('"N novos" brings arrivals below the fold into view; the agent picks the order; "Não respondidos" keeps only the ones waiting for a reply', async ({ browser, request }) => {
  test.setTimeout(120_000);
  const tag = `${Date.now().toString(36)}n`; // per attempt: --repeat-each shares one server
  const ana = await agentPage(browser, 'ana@atende.local');
  await ana.getByRole('tab', { name: 'Esperando' }).click();
  // Enough waiting tickets that the newest lands below the fold (oldest first, the default).
  for (let i = 0; i < 9; i++) await customerWrites(request, `Fila ${i} ${tag}`, `Mensagem ${i}`);
  const list = ana.getByRole('list', { name: /Esperando/ });
  const pill = ana.getByTestId('queue-arrivals');
  // They arrived while the list was on screen: those out of sight are news until they have been seen.
  await expect(pill).toBeVisible();
  // The list as it is when the console opens is not news; the next arrival is.
  await ana.reload();
  await expect(list.getByRole('listitem').first()).toBeVisible();
  await expect(pill).toHaveCount(0);
  await customerWrites(request, `Recém-chegada ${tag}`, 'Acabei de chegar');
  await expect(pill).toHaveText('1 novo');
  await expect(pill).toHaveAccessibleName('Mostrar 1 atendimento novo');
  await ana.screenshot({ path: 'test-results/agent-day-arrivals.png' });
  await pill.click();
  await expect(list.getByRole('listitem').filter({ hasText: `Recém-chegada ${tag}` })).toBeInViewport();
  await expect(pill).toHaveCount(0);

  // Newest first: the arrival is at the top.
  await ana.getByTestId('waiting-order').selectOption({ label: 'Mais recentes primeiro' });
  await expect(list.getByRole('listitem').first()).toContainText(`Recém-chegada ${tag}`);
  await ana.reload();
  await expect(ana.getByTestId('waiting-order')).toHaveValue('newest'); // kept in this browser
  await ana.getByTestId('waiting-order').selectOption({ label: 'Mais antigos primeiro' });

  // ── "Não respondidos": Ana takes two; she answers one ──
  await searchQueue(ana, tag, `Fila 0 ${tag}`);
  for (const n of ['Fila 0', 'Fila 1']) {
    await ana.getByRole('tab', { name: 'Esperando' }).click(); // taking one shows Em atendimento
    // The one taken before must have left Esperando: while it is still there, the next card sits one row lower.
    await expect(list.getByRole('listitem').filter({ hasText: `Fila 0 ${tag}` })).toHaveCount(n === 'Fila 0' ? 1 : 0);
    await list.getByRole('listitem').filter({ hasText: `${n} ${tag}` }).getByRole('button', { name: 'Atender' }).click();
    await expect(windowOf(ana, `${n} ${tag}`).getByRole('textbox', { name: 'Mensagem' })).toBeEnabled();
  }
  const answered = windowOf(ana, `Fila 0 ${tag}`).getByRole('textbox', { name: 'Mensagem' });
  await expect(answered).toBeEnabled();
  // Two windows side by side at 1280: Enviar shows just its icon (named for assistive tech), and the text box
  // keeps room for its whole placeholder ("Escreva sua mensag" before).
  const send = windowOf(ana, `Fila 0 ${tag}`).getByRole('button', { name: 'Enviar' });
  await expect(send).toHaveAttribute('title', 'Enviar');
  expect((await send.boundingBox())!.width).toBeLessThanOrEqual(48);
  expect(await placeholderRoom(answered)).toBeGreaterThanOrEqual(0);
  await answered.fill('Já estou vendo isso para você.');
  await answered.press('Enter');
  await ana.getByRole('tab', { name: 'Em atendimento' }).click();
  const mine = ana.getByRole('list', { name: /Em atendimento/ });
  await expect(mine.getByRole('listitem')).toHaveCount(2);
  await expect(mine.getByRole('listitem').filter({ hasText: `Fila 0 ${tag}` })).toContainText('Já estou vendo isso');
  const filter = ana.getByRole('button', { name: 'Não respondidos' });
  await filter.click();
  await expect(filter).toHaveAttribute('aria-pressed', 'true');
  await expect(mine.getByRole('listitem')).toHaveCount(1);
  await expect(mine.getByRole('listitem')).toContainText(`Fila 1 ${tag}`);
  await ana.screenshot({ path: 'test-results/agent-day-unanswered.png' });
});
