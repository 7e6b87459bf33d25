import { expect, test, type APIRequestContext, type Page } from '@playwright/test';
import { agentPage, searchQueue } from './support.ts';

// Issue 4, B6 and B8–B11 end to end: one agent works five customers' conversations in four
// windows, in both layouts, by mouse and keyboard, and keeps the contact's details in the side panel.

const run = Date.now().toString(36);
const customers = ['Aline', 'Bruna', 'Caio', 'Diego', 'Elisa'].map((first, i) => ({
  name: `${first} Janela ${run}`,
  text: ['Meu pedido não chegou.', 'Quero trocar o plano.', 'A fatura veio em dobro.', 'O app não abre.', 'Preciso da segunda via.'][i]!,
}));

// A real (tiny) PNG: the server checks the type by content.
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==', 'base64');

/** A customer writes through the widget's HTTP API: a new waiting ticket in Suporte (the site channel's sector). */
async function customerWrites(request: APIRequestContext, name: string, text: string, image?: string) {
  const session = await request.post('/api/widget/site/session', { data: { name } });
  expect(session.ok()).toBe(true);
  const { token } = (await session.json()) as { token: string };
  const headers = { authorization: `Bearer ${token}` };
  const attachments = [];
  if (image) {
    const upload = await request.post('/api/widget/files', { headers, multipart: { file: { name: image, mimeType: 'image/png', buffer: PNG } } });
    expect(upload.ok(), await upload.text()).toBe(true);
    attachments.push(((await upload.json()) as { attachment: unknown }).attachment);
  }
  const sent = await request.post('/api/widget/messages', { headers, data: { text, attachments, clientMessageId: `e2e-${Math.random().toString(36).slice(2)}` } });
  expect(sent.ok(), await sent.text()).toBe(true);
  return (await sent.json()) as { ticketId: string; protocol: string };
}

const card = (page: Page, contact: string) => page.getByRole('listitem').filter({ hasText: contact });
const windowOf = (page: Page, contact: string) => page.locator('[data-window]').filter({ has: page.getByRole('region', { name: contact, exact: true }) });
const windows = (page: Page) => page.locator('[data-window]');
const activeWindow = (page: Page) => page.locator('[data-window][data-active="true"]');
const sidePanel = (page: Page) => page.getByRole('complementary', { name: 'Detalhes do contato' });

test('four conversations in Janelas and Colunas, moved by keyboard; a fifth asks; the side panel edits and labels', async ({ browser, request }) => {
  test.setTimeout(180_000);
  const tickets = [];
  for (const [i, c] of customers.entries()) tickets.push(await customerWrites(request, c.name, c.text, i === 0 ? 'foto-do-pedido.png' : undefined));

  const ana = await agentPage(browser, 'ana@atende.local');
  await ana.context().grantPermissions(['clipboard-read', 'clipboard-write']);
  await ana.getByRole('tab', { name: 'Esperando' }).click();
  // Only this run's customers: with --repeat-each the queue also holds earlier runs' tickets (virtualised, below the fold).
  await searchQueue(ana, run, customers[0]!.name); // and the list settled on them before any click

  // ── Four conversations open side by side, in the order they were opened ──
  for (const c of customers.slice(0, 4)) {
    await card(ana, c.name).getByRole('button', { name: 'Espiar' }).click();
    await expect(windowOf(ana, customers[0]!.name)).toBeVisible();
    await expect(activeWindow(ana)).toContainText(c.name);
  }
  await expect(windows(ana)).toHaveCount(4);
  await expect(ana.getByTestId('window-count')).toHaveText('4 de 4');
  for (const c of customers.slice(0, 4)) await expect(windowOf(ana, c.name).getByText(c.text)).toBeVisible();

  // ── Janelas: a 2×2 grid ──
  const janelas = ana.getByRole('button', { name: 'Janelas' });
  const colunas = ana.getByRole('button', { name: 'Colunas' });
  await expect(janelas).toHaveAttribute('aria-pressed', 'true');
  const box = async (i: number) => (await windows(ana).nth(i).boundingBox())!;
  let [b0, b1, b2, b3] = [await box(0), await box(1), await box(2), await box(3)];
  expect(Math.abs(b0.y - b1.y)).toBeLessThan(2);
  expect(b1.x).toBeGreaterThan(b0.x);
  expect(b2.y).toBeGreaterThan(b0.y + b0.height - 2);
  expect(Math.abs(b2.x - b0.x)).toBeLessThan(2);
  expect(Math.abs(b3.y - b2.y)).toBeLessThan(2);
  // At 1280×720 each window is narrow: its actions fold into "Mais ações".
  await expect(windowOf(ana, customers[0]!.name).getByRole('button', { name: 'Mais ações' })).toBeVisible();
  await ana.screenshot({ path: 'test-results/workspace-janelas.png' });

  // ── Colunas: four side by side, full height; the queue steps aside to give them room ──
  await colunas.click();
  await expect(colunas).toHaveAttribute('aria-pressed', 'true');
  await expect(janelas).toHaveAttribute('aria-pressed', 'false');
  // Four columns beside the queue are too narrow: the toolbar offers the room.
  const makeRoom = ana.getByRole('button', { name: 'Mais espaço: esconder a fila' });
  await makeRoom.click();
  await expect(ana.getByRole('tab', { name: 'Esperando' })).toBeHidden();
  await expect(makeRoom).toHaveCount(0);
  await expect(ana.getByRole('button', { name: 'Mostrar a fila', exact: true })).toBeVisible();
  [b0, b1, b2, b3] = [await box(0), await box(1), await box(2), await box(3)];
  for (const b of [b1, b2, b3]) expect(Math.abs(b.y - b0.y)).toBeLessThan(2);
  expect(b0.x).toBeLessThan(b1.x);
  expect(b1.x).toBeLessThan(b2.x);
  expect(b2.x).toBeLessThan(b3.x);
  expect(b0.height).toBeGreaterThan(500);
  await ana.screenshot({ path: 'test-results/workspace-colunas.png' });

  // ── Keyboard: Alt+1…4 and Alt+←/→ move the active window, and the focus with it ──
  await ana.keyboard.press('Alt+1');
  await expect(activeWindow(ana)).toContainText(customers[0]!.name);
  await expect(windows(ana).nth(0)).toHaveAttribute('data-active', 'true');
  await ana.keyboard.press('Alt+ArrowRight');
  await expect(activeWindow(ana)).toContainText(customers[1]!.name);
  await ana.keyboard.press('Alt+ArrowLeft');
  await ana.keyboard.press('Alt+ArrowLeft');
  await expect(activeWindow(ana)).toContainText(customers[3]!.name); // wraps around
  await ana.keyboard.press('Alt+3');
  await expect(activeWindow(ana)).toContainText(customers[2]!.name);
  expect(await ana.evaluate(() => document.activeElement?.closest('[data-window]')?.getAttribute('data-active'))).toBe('true');
  // A click moves it too.
  await windowOf(ana, customers[1]!.name).getByRole('log').click();
  await expect(activeWindow(ana)).toContainText(customers[1]!.name);
  // The shortcuts are written down where the agent can find them.
  await ana.getByRole('button', { name: 'Atalhos' }).click();
  await expect(ana.getByRole('dialog', { name: 'Atalhos' })).toContainText('Fechar a janela ativa');
  await ana.keyboard.press('Escape');

  // ── The preference survives a reload ──
  await ana.reload();
  await expect(ana.getByRole('button', { name: 'Colunas' })).toHaveAttribute('aria-pressed', 'true');
  await ana.getByRole('button', { name: 'Mostrar a fila', exact: true }).click();
  await ana.getByRole('tab', { name: 'Esperando' }).click();
  // Only this run's customers: with --repeat-each the queue also holds earlier runs' tickets (virtualised, below the fold).
  await searchQueue(ana, run, customers[4]!.name); // and the list settled on them before any click
  await ana.getByRole('button', { name: 'Janelas' }).click();
  // …and so do the four windows, in their order, with the same one active.
  await expect(windows(ana)).toHaveCount(4);
  for (const [i, c] of customers.slice(0, 4).entries()) await expect(windows(ana).nth(i)).toContainText(c.name);
  await expect(activeWindow(ana)).toContainText(customers[1]!.name);

  // ── A fifth asks which one to close, listing the four by name ──
  await card(ana, customers[4]!.name).getByRole('button', { name: 'Espiar' }).click();
  const ask = ana.getByRole('dialog', { name: 'Quatro conversas já estão abertas' });
  await expect(ask).toBeVisible();
  await expect(ask).toContainText(customers[4]!.name);
  await expect(ask.getByRole('button', { name: 'Cancelar' })).toBeFocused(); // Enter by habit closes nothing
  for (const c of customers.slice(0, 4)) await expect(ask.getByRole('button', { name: `Fechar ${c.name}` })).toBeVisible();
  await ask.getByRole('button', { name: `Fechar ${customers[2]!.name}` }).click();
  await expect(ask).toHaveCount(0);
  await expect(windows(ana)).toHaveCount(4);
  await expect(windows(ana).nth(2)).toContainText(customers[4]!.name); // it takes the closed window's place
  await expect(windowOf(ana, customers[2]!.name)).toHaveCount(0);
  await expect(activeWindow(ana)).toContainText(customers[4]!.name);
  await expect(ana).toHaveURL(new RegExp(`/atendimentos/${tickets[4]!.ticketId}$`));

  // ── Alt+W closes the active window; the ticket itself stays waiting ──
  await ana.keyboard.press('Alt+w');
  await expect(windows(ana)).toHaveCount(3);
  await expect(windowOf(ana, customers[4]!.name)).toHaveCount(0);
  await expect(card(ana, customers[4]!.name)).toBeVisible();

  // ── Side panel: identity edited from a waiting (peeked) ticket updates the queue card live ──
  // "Editar contato" from a peeked window's menu opens the panel on that contact, ready to type.
  await windowOf(ana, customers[0]!.name).getByRole('button', { name: 'Mais ações' }).click();
  await ana.getByRole('menuitem', { name: 'Editar contato' }).click();
  const panel = sidePanel(ana);
  await expect(panel).toBeVisible();
  await expect(ana.getByRole('button', { name: 'Detalhes do contato' })).toHaveAttribute('aria-pressed', 'true');
  await expect(panel.getByLabel('Nome')).toBeFocused();
  await expect(panel.getByLabel('Nome')).toHaveValue(customers[0]!.name);
  await panel.getByRole('button', { name: 'Cancelar' }).click();
  await expect(panel.getByTestId('side-contact-name')).toHaveText(customers[0]!.name);
  await expect(panel.getByTestId('side-protocol')).toHaveText(tickets[0]!.protocol);
  // The gallery holds the image the customer sent; a click shows it full size.
  await panel.getByRole('button', { name: 'Abrir imagem foto-do-pedido.png' }).click();
  const lightbox = ana.getByRole('dialog', { name: 'foto-do-pedido.png' });
  await expect(lightbox.getByRole('img', { name: 'foto-do-pedido.png' })).toBeVisible();
  await ana.keyboard.press('Escape');
  await expect(lightbox).toHaveCount(0);
  await panel.getByRole('button', { name: 'Copiar protocolo' }).click();
  await expect(panel.getByText('Copiado')).toBeVisible();
  expect(await ana.evaluate(() => navigator.clipboard.readText())).toBe(tickets[0]!.protocol);

  const renamed = `Aline Renomeada ${run}`;
  await panel.getByRole('button', { name: 'Editar contato' }).click();
  await panel.getByLabel('Nome').fill('   ');
  await panel.getByRole('button', { name: 'Salvar' }).click();
  await expect(panel.getByRole('alert')).toBeVisible(); // the server's refusal, under the field
  await panel.getByLabel('Nome').fill(renamed);
  await panel.getByLabel('Telefone').fill('+55 11 98888-7777');
  await panel.getByLabel('Observações').fill('Prefere ser atendida pela manhã.');
  await panel.getByRole('button', { name: 'Salvar' }).click();
  await expect(panel.getByTestId('side-contact-name')).toHaveText(renamed);
  await expect(panel.getByTestId('contact-notes')).toContainText('Prefere ser atendida pela manhã.');
  // Tags on the contact itself, from the admin's list (contact.update), even while the ticket waits.
  await panel.getByLabel('Adicionar etiqueta ao contato').selectOption({ label: 'Reclamação' });
  await expect(panel.getByRole('list', { name: 'Etiquetas do contato' })).toContainText('Reclamação');
  // At 1280×720 the panel took the queue's room rather than cover a conversation: no window lies under it.
  await expect(ana.getByRole('tab', { name: 'Esperando' })).toBeHidden();
  const panelBox = (await panel.boundingBox())!;
  for (let i = 0; i < (await windows(ana).count()); i++) expect((await box(i)).x + (await box(i)).width).toBeLessThanOrEqual(panelBox.x + 1);
  await ana.screenshot({ path: 'test-results/workspace-side-panel-1280.png' });
  // The queue comes back on request (the panel then floats beside the active window); the card changed live.
  await ana.getByRole('button', { name: 'Mostrar a fila', exact: true }).click();
  await expect(card(ana, renamed)).toBeVisible();
  await expect(card(ana, customers[0]!.name)).toHaveCount(0);
  await expect(panel).toContainText('+55 11 98888-7777');

  // ── Ana takes it; tags and classification set from the panel persist after a reload ──
  await windowOf(ana, renamed).getByRole('button', { name: 'Atender' }).click();
  await expect(windowOf(ana, renamed).getByRole('textbox', { name: 'Mensagem' })).toBeEnabled();
  await expect(panel.getByRole('timer')).toHaveText(/^0:\d\d$/);
  await panel.getByLabel('Adicionar etiqueta', { exact: true }).selectOption({ label: 'VIP' });
  await expect(panel.getByRole('list', { name: 'Etiquetas do atendimento' })).toContainText('VIP');
  await panel.getByLabel('Adicionar etiqueta', { exact: true }).selectOption({ label: 'Novo cliente' });
  await expect(panel.getByRole('list', { name: 'Etiquetas do atendimento' })).toContainText('Novo cliente');
  await panel.getByRole('button', { name: 'Remover etiqueta VIP', exact: true }).click();
  await expect(panel.getByRole('list', { name: 'Etiquetas do atendimento' })).not.toContainText('VIP');
  await panel.getByLabel('Classificação').selectOption({ label: 'Problema técnico' });
  await expect(panel.getByLabel('Classificação')).toHaveValue('problema-tecnico');
  // The timer ticks from the shared clock.
  const before = await panel.getByRole('timer').textContent();
  await expect.poll(() => panel.getByRole('timer').textContent(), { timeout: 5_000 }).not.toBe(before);

  await ana.goto(`/atendimentos/${tickets[0]!.ticketId}`);
  const after = sidePanel(ana);
  await expect(after).toBeVisible(); // the panel's state is remembered too
  await expect(after.getByTestId('side-contact-name')).toHaveText(renamed);
  await expect(after.getByRole('list', { name: 'Etiquetas do atendimento' })).toHaveText(/Novo cliente/);
  await expect(after.getByRole('list', { name: 'Etiquetas do atendimento' })).not.toContainText('VIP');
  await expect(after.getByLabel('Classificação')).toHaveValue('problema-tecnico');
  await expect(after.getByRole('list', { name: 'Etiquetas do contato' })).toContainText('Reclamação');
  await expect(after.getByTestId('contact-notes')).toContainText('Prefere ser atendida pela manhã.');
  await ana.screenshot({ path: 'test-results/workspace-side-panel.png' });
});

// Windows are kept per browser: an agent signing in on another one sees no window while serving customers. The empty
// workspace says so and opens them in one click (the demo's Ana, serving Roberto, sees it on her first sign-in).
test('an empty workspace offers the conversations the agent is serving', async ({ browser, request }) => {
  const name = `Fabiana Retorno ${run}`;
  const { ticketId } = await customerWrites(request, name, 'Ainda estou aguardando.');
  const first = await agentPage(browser, 'ana@atende.local');
  expect((await first.request.post('/api/commands/ticket.accept', { data: { ticketId } })).status()).toBe(200);
  await first.context().close();

  const ana = await agentPage(browser, 'ana@atende.local');
  const offer = ana.getByTestId('empty-serving');
  await expect(offer).toContainText(/Você tem \d+ atendimentos? em andamento\./);
  await offer.getByRole('button', { name: /^Abrir (conversa com|as \d+ conversas)/ }).click();
  await expect(ana.locator('[data-window]').filter({ has: ana.getByRole('region', { name, exact: true }) })).toBeVisible();
  await expect(offer).toHaveCount(0);
  await ana.context().close();
});
