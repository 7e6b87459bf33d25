import { readFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { agentPage } from './support.ts';

// Issue 14 end to end: a customer rates 5 in the widget after Finalizar; the supervisor's
// Relatórios shows the CSAT move live (no reload), and the tables export as CSV.
test('a 5 in the widget moves the CSAT in Relatórios live; tables download as CSV', async ({ browser }) => {
  test.setTimeout(120_000);
  const supervisor = await agentPage(browser, 'supervisor@atende.local');
  await supervisor.goto('/relatorios');
  await supervisor.locator('[data-preset="today"]').click();
  const csatToday = supervisor.locator('[data-live="csatToday"] [data-value]');
  const csatKpi = supervisor.locator('[data-kpi="csat"]');
  await expect(csatKpi).toBeVisible();
  // The demo's closed ticket of today was surveyed but not rated yet.
  await expect(csatToday).toHaveText('—');
  await expect(csatKpi.locator('[data-value]')).toHaveText('—');

  // Other specs share this server and may have closed tickets for Ana today: count from here.
  const servedBefore = Number((await anaRowOfCsv(supervisor)).split(';')[1]);

  // ── A customer talks to Ana, who finalises; the survey shows as buttons ──
  const customer = await (await browser.newContext()).newPage();
  await customer.goto('/widget/site');
  await customer.getByLabel(/^Nome/).fill('Cliente Avaliação');
  await customer.getByRole('button', { name: 'Iniciar conversa' }).click();
  await customer.getByRole('textbox', { name: /mensagem/i }).fill('Preciso de ajuda com meu pedido.');
  const sent = customer.waitForResponse((r) => r.url().endsWith('/api/widget/messages') && r.request().method() === 'POST');
  await customer.getByRole('button', { name: 'Enviar' }).click();
  const { ticketId } = (await (await sent).json()) as { ticketId: string };
  const ana = await agentPage(browser, 'ana@atende.local');
  expect((await ana.request.post('/api/commands/ticket.accept', { data: { ticketId } })).status()).toBe(200);
  expect((await ana.request.post('/api/commands/message.send', { data: { ticketId, text: 'Resolvido!' } })).status()).toBe(200);
  expect((await ana.request.post('/api/commands/ticket.close', { data: { ticketId } })).status()).toBe(200);
  const survey = customer.getByTestId('survey');
  await expect(survey).toBeVisible();
  await survey.getByRole('textbox').fill('Muito rápido');
  await survey.getByRole('button', { name: 'Nota 5 de 5' }).click();
  await expect(customer.getByText('5 - Muito rápido')).toBeVisible();
  await expect(survey).toHaveCount(0);
  await expect(customer.getByText('Obrigado pela avaliação!')).toBeVisible();

  // ── The supervisor's screen moves by itself ──
  await expect(csatToday).toHaveText('100,0 %');
  await expect(csatKpi.locator('[data-value]')).toHaveText('100,0 %');
  await expect(csatKpi).toContainText('1 medidos');

  // ── CSV of the agents' table ──
  const anaRow = await anaRowOfCsv(supervisor);
  // Ana closed one more ticket and got the one rating of the day: 100 % CSAT.
  expect(Number(anaRow.split(';')[1])).toBe(servedBefore + 1);
  expect(anaRow.split(';')[4]).toBe('100');
  expect(anaRow.split(';')[5]).toBe('1');
});

/** Downloads the agents' table as CSV and returns Ana's row. */
async function anaRowOfCsv(supervisor: Page): Promise<string> {
  const [download] = await Promise.all([supervisor.waitForEvent('download'), supervisor.locator('[data-csv^="atendentes-"]').click()]);
  expect(download.suggestedFilename()).toMatch(/^atendentes-\d{4}-\d{2}-\d{2}_\d{4}-\d{2}-\d{2}\.csv$/);
  const csv = readFileSync((await download.path())!, 'utf8').replace(/^\ufeff/, '');
  const [header, ...rows] = csv.trim().split('\r\n');
  expect(header).toBe('Atendente;Atendidos;TMR1;TMA;CSAT;Avaliações;Tempo online;Tempo em pausa;Carga agora');
  const anaRow = rows.find((r) => r.startsWith('Ana Souza;'));
  expect(anaRow, csv).toBeTruthy();
  return anaRow!;
}

// At 1280×720 the twelve-column tables (by sector, by channel) fit: SLA resolução is not cut off behind a scroll.
test('at 1280×720 every Relatórios table shows all its columns', async ({ browser }) => {
  const supervisor = await agentPage(browser, 'supervisor@atende.local');
  await supervisor.setViewportSize({ width: 1280, height: 720 });
  await supervisor.goto('/relatorios');
  const byChannel = supervisor.getByRole('region', { name: 'Por canal' });
  await expect(byChannel.getByRole('columnheader', { name: 'SLA resolução' })).toBeAttached();
  await expect(byChannel.getByRole('row')).not.toHaveCount(1);
  const tables = supervisor.locator('section[aria-label] table');
  expect(await tables.count()).toBeGreaterThanOrEqual(5);
  for (const table of await tables.all()) {
    const overflow = await table.evaluate((t) => ({ name: t.closest('section')!.getAttribute('aria-label'), hidden: t.parentElement!.scrollWidth - t.parentElement!.clientWidth }));
    expect(overflow.hidden, `${overflow.name} hides ${overflow.hidden} px of columns`).toBeLessThanOrEqual(0);
  }
  // Only the report scrolls, never the page: a wheel over the header must not slide the console up onto blank page.
  await expect(supervisor.getByRole('figure').filter({ hasText: 'Chegadas por dia da semana e hora' })).toBeAttached();
  expect(await supervisor.evaluate(() => document.scrollingElement!.scrollHeight - innerHeight)).toBeLessThanOrEqual(0);
  await supervisor.context().close();
});
