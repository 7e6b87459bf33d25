import { expect, test, type APIRequestContext } from '@playwright/test';
import { agentPage, placeholderRoom, searchQueue } from './support.ts';

// Issue 13: the workspace at 1280×720 — "Colunas" with the side panel open: no conversation under the panel,
// every conversation keeps its composer and its way to finish (Finalizar, or "Mais ações" when narrow).

const run = Date.now().toString(36);
const names = ['Célia', 'Davi', 'Edu'].map((n) => `${n} Colunas ${run}`);

async function customerWrites(request: APIRequestContext, name: string) {
  const session = await request.post('/api/widget/site/session', { data: { name } });
  expect(session.ok()).toBe(true);
  const { token } = (await session.json()) as { token: string };
  const sent = await request.post('/api/widget/messages', { headers: { authorization: `Bearer ${token}` }, data: { text: 'Preciso de ajuda com meu pedido.', attachments: [], clientMessageId: `e2e-${Math.random().toString(36).slice(2)}` } });
  expect(sent.ok(), await sent.text()).toBe(true);
}

test('Colunas with the side panel open at 1280×720: nothing covered, every window can reply and finish', async ({ browser, request }) => {
  for (const n of names) await customerWrites(request, n);
  const ana = await agentPage(browser, 'ana@atende.local');
  await ana.getByRole('tab', { name: 'Esperando' }).click();
  // The search applies 120 ms after typing and moves the cards: click once the list shows this run's alone.
  await searchQueue(ana, run, names[0]!);
  const list = ana.getByRole('list', { name: 'Lista: Esperando' });
  for (const [i, n] of names.entries()) {
    // The ones taken before must have left Esperando: while one is still there, this card sits a row lower.
    for (const taken of names.slice(0, i)) await expect(list.getByRole('listitem').filter({ hasText: taken })).toHaveCount(0);
    const card = list.getByRole('listitem').filter({ hasText: n });
    await card.getByRole('button', { name: 'Atender', exact: true }).click();
    await expect(ana.locator('[data-window]').filter({ has: ana.getByRole('region', { name: n, exact: true }) })).toBeVisible();
    await ana.getByRole('tab', { name: 'Esperando' }).click();
  }
  const windows = ana.locator('[data-window]');
  await expect(windows).toHaveCount(3);
  await ana.getByRole('button', { name: 'Colunas', exact: true }).click();
  await ana.getByRole('button', { name: 'Detalhes do contato', exact: true }).click();
  const panel = ana.getByRole('complementary', { name: 'Detalhes do contato' });
  await expect(panel).toBeVisible();
  const panelBox = (await panel.boundingBox())!;
  for (let i = 0; i < 3; i++) {
    const w = windows.nth(i);
    const box = (await w.boundingBox())!;
    expect(box.x + box.width, `window ${i + 1} lies under the side panel`).toBeLessThanOrEqual(panelBox.x + 1);
    expect(box.y + box.height).toBeLessThanOrEqual(720);
    await expect(w.getByRole('textbox', { name: 'Mensagem' })).toBeInViewport();
    await expect(w.getByRole('button', { name: /^(Finalizar|Mais ações)$/ }).first()).toBeInViewport();
    // The text box shows its whole placeholder, the short one where the long one does not fit ("Escreva sua mensager").
    expect(await placeholderRoom(w.getByRole('textbox', { name: 'Mensagem' })), `window ${i + 1}'s placeholder is cut`).toBeGreaterThanOrEqual(0);
  }
  // The quick replies' header stays one line in a narrow window: the keys' hint gives way to the title.
  const narrow = windows.nth(2).getByRole('textbox', { name: 'Mensagem' });
  await narrow.fill('/');
  const header = windows.nth(2).getByTestId('quick-replies-header');
  await expect(header).toContainText('Respostas rápidas');
  await expect(header.getByText('Enter insere')).toBeHidden();
  expect((await header.boundingBox())!.height, 'the quick replies header wraps').toBeLessThanOrEqual(32);
  await ana.screenshot({ path: 'test-results/workspace-colunas-quick-replies-1280.png' });
  await narrow.press('Escape');
  await narrow.fill('');
  await ana.screenshot({ path: 'test-results/workspace-colunas-side-panel-1280.png' });
  await ana.setViewportSize({ width: 1920, height: 1080 });
  await expect(panel).toBeVisible();
  await ana.screenshot({ path: 'test-results/workspace-colunas-side-panel-1920.png' });
  await ana.context().close();
});
