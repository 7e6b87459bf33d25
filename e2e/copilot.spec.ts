import { expect, test, type Page } from '@playwright/test';
import { agentPage, findAlone, queueCard } from './support.ts';

// Issue 12, end to end: a customer writes in the widget; Ana opens the ticket
// and sees the copilot's suggested replies, puts one in the composer with a
// click (nothing is sent), rewrites her draft with the AI (the e2e server's
// provider is a local fake speaking the OpenAI protocol, e2e/fake-ai.mjs) and
// undoes it; she transfers to Financeiro and Bruno, who takes it, reads the
// transfer summary first, and a suggested transfer opens the dialog pre-filled.

const shot = (page: Page, name: string) => page.screenshot({ path: `test-results/copilot/${name}.png` });
const card = queueCard;

test('an agent uses suggestions and the AI rewrite; the receiving agent reads the summary of a transfer', async ({ browser }) => {
  test.setTimeout(120_000);
  const customerName = `Cliente Copiloto ${Date.now().toString(36)}`;
  const complaint = 'Minha internet caiu e o modem não liga de jeito nenhum';

  const ana = await agentPage(browser, 'ana@atende.local');
  const bruno = await agentPage(browser, 'bruno@atende.local');

  // ── The customer writes ──
  const customer = await (await browser.newContext()).newPage();
  await customer.goto('/widget/site');
  await customer.getByLabel(/^Nome/).fill(customerName);
  await customer.getByRole('button', { name: 'Iniciar conversa' }).click();
  await customer.getByRole('textbox', { name: /mensagem/i }).fill(complaint);
  const sent = customer.waitForResponse((r) => r.url().endsWith('/api/widget/messages') && r.request().method() === 'POST');
  await customer.getByRole('button', { name: 'Enviar' }).click();
  expect((await sent).ok()).toBe(true);

  // ── Ana takes it: suggestions appear above the composer ──
  await ana.getByRole('tab', { name: 'Esperando' }).click();
  // Earlier specs fill this server's queue (virtualized, oldest first): find this customer by name.
  await findAlone(ana, customerName);
  await card(ana, customerName).getByRole('button', { name: 'Atender', exact: true }).click();
  const pane = ana.getByRole('region', { name: customerName, exact: true });
  const suggestions = pane.getByRole('group', { name: 'Sugestões do copiloto', exact: true });
  await expect(suggestions).toBeVisible();
  const restart = suggestions.getByRole('button').filter({ hasText: 'desligue o aparelho' });
  await expect(restart).toBeVisible();
  await expect(restart).toContainText('resposta rápida /reiniciar');
  // With a provider (the e2e's fake OpenAI-protocol server), a reply written by AI streams in first, marked as such.
  const written = suggestions.getByTestId('copilot-generated');
  await expect(written).toContainText('Vou verificar isso para você agora mesmo.');
  await expect(written).toContainText('gerada por IA');
  await expect(written).toBeEnabled();
  await shot(ana, '01-suggestions');

  // One click fills the composer; nothing is sent.
  const box = pane.getByRole('textbox', { name: 'Mensagem' });
  await restart.click();
  await expect(box).toHaveValue('Por favor, desligue o aparelho por 30 segundos e ligue de novo. Me avise se resolveu.');
  await expect(pane.locator('[data-kind="out"]')).toHaveCount(0);

  // ── Rewrite the draft (more formal), streamed from the provider, then undo ──
  await box.fill('vou verificar seu modem');
  await pane.getByRole('toolbar', { name: 'Ferramentas do copiloto' }).getByRole('button', { name: 'Reescrever' }).click();
  await ana.getByRole('menuitem', { name: 'Mais formal', exact: true }).click();
  await expect(box).toHaveValue('Prezado(a) cliente, vou verificar seu modem');
  const original = pane.getByTestId('copilot-original');
  await expect(original).toContainText('vou verificar seu modem');
  await shot(ana, '02-rewritten');
  await original.getByRole('button', { name: 'Desfazer' }).click();
  await expect(box).toHaveValue('vou verificar seu modem');

  // ── A summary on demand ──
  await pane.getByTestId('copilot-summarize').click();
  const summary = pane.getByRole('region', { name: 'Resumo da conversa', exact: true });
  await expect(summary).toContainText('Resumo da IA');
  await summary.getByRole('button', { name: 'Fechar resumo' }).click();
  await expect(summary).toHaveCount(0);

  // ── Ana transfers to Financeiro; Bruno takes it and reads the transfer summary first ──
  await pane.getByRole('toolbar', { name: 'Ações do atendimento' }).getByRole('button', { name: 'Transferir' }).click();
  const transfer = ana.getByRole('dialog', { name: 'Transferir atendimento' });
  await transfer.getByRole('radio', { name: 'Financeiro' }).check();
  await transfer.getByRole('button', { name: 'Transferir' }).click();
  await expect(transfer).toHaveCount(0);

  await bruno.getByRole('tab', { name: 'Esperando' }).click();
  await card(bruno, customerName).getByRole('button', { name: 'Atender', exact: true }).click();
  const brunoPane = bruno.getByRole('region', { name: customerName, exact: true });
  const handover = brunoPane.getByRole('region', { name: 'Resumo da transferência', exact: true });
  await expect(handover).toContainText('modem não liga');
  await shot(bruno, '03-transfer-summary');

  // The words point back to Suporte: the suggested transfer opens the usual dialog with Suporte chosen (nothing happens until he confirms).
  await brunoPane.getByRole('group', { name: 'Ações sugeridas', exact: true }).getByRole('button', { name: /Transferir para Suporte/ }).click();
  const back = bruno.getByRole('dialog', { name: 'Transferir atendimento' });
  await expect(back.getByRole('radio', { name: 'Suporte' })).toBeChecked();
  await back.getByRole('button', { name: 'Cancelar' }).click();
  await expect(back).toHaveCount(0);
});
