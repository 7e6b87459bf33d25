import { spawn } from 'node:child_process';
import { expect, test, type APIRequestContext, type Page } from '@playwright/test';
import { agentPage, login } from './support.ts';

// Issue 4, Histórico (G1, G2) and the live Supervisão (C3), end to end on the
// real server: tickets come in through the widget API, Ana (Suporte only,
// without seesAllHistory) handles and closes them, then finds them in
// Histórico by classification and by contact name. Financeiro's history stays
// out of her filters and the server refuses it when she asks anyway.

const shot = (page: Page, name: string) => page.screenshot({ path: `test-results/history/${name}.png` });

const command = async (request: APIRequestContext, name: string, input: Record<string, unknown>) => {
  const res = await request.post(`/api/commands/${name}`, { data: input });
  expect(res.status(), `${name}: ${await res.text()}`).toBe(200);
};

/** A customer writes on the site widget: a new waiting ticket in Suporte. */
const customerWrites = async (request: APIRequestContext, name: string, text: string) => {
  const session = await request.post('/api/widget/site/session', { data: { name } });
  expect(session.status()).toBe(200);
  const { token } = (await session.json()) as { token: string };
  const sent = await request.post('/api/widget/messages', { data: { text, clientMessageId: `e2e-${Math.random().toString(36).slice(2)}` }, headers: { authorization: `Bearer ${token}` } });
  expect(sent.status()).toBe(200);
  return (await sent.json()) as { ticketId: string; protocol: string };
};

const row = (page: Page, contact: string) => page.getByRole('button', { name: new RegExp(`^Abrir atendimento de ${contact}`) });
const historyList = (page: Page) => page.getByRole('list', { name: 'Atendimentos finalizados' });

test('Histórico: a closed ticket is found by classification and by contact; another sector stays out of reach', async ({ browser, playwright }) => {
  test.setTimeout(150_000);
  const suffix = Date.now().toString(36);
  const tagged = `Histórico Tagged ${suffix}`;
  const other = `Histórico Outro ${suffix}`;
  const widget = await playwright.request.newContext({ baseURL: test.info().project.use.baseURL });

  const ana = await agentPage(browser, 'ana@atende.local');
  const a = await customerWrites(widget, tagged, 'O aplicativo trava ao abrir.');
  const b = await customerWrites(widget, other, 'Quero saber do meu pedido.');
  await command(ana.request, 'ticket.accept', { ticketId: a.ticketId });
  await command(ana.request, 'message.send', { ticketId: a.ticketId, text: 'Reinstale o aplicativo, por favor.', clientId: `h-${suffix}` });
  await command(ana.request, 'ticket.setTags', { ticketId: a.ticketId, tagIds: ['vip'] });
  await command(ana.request, 'ticket.close', { ticketId: a.ticketId, classificationId: 'problema-tecnico' });
  await command(ana.request, 'ticket.accept', { ticketId: b.ticketId });
  await command(ana.request, 'ticket.close', { ticketId: b.ticketId, classificationId: 'duvida' });

  // ── Ana's Histórico: her sector only ──
  await ana.getByRole('link', { name: /Histórico/ }).first().click();
  await expect(historyList(ana)).toBeVisible();
  await expect(row(ana, tagged)).toBeVisible();
  await expect(row(ana, other)).toBeVisible();
  // Fernanda's ticket was closed in Financeiro (the demo seed): not Ana's history.
  await expect(row(ana, 'Fernanda Rocha')).toHaveCount(0);
  const sector = ana.getByRole('combobox', { name: 'Setor' });
  await expect(sector.getByRole('option')).toHaveText(['Meus setores', 'Suporte']);
  // The row says what happened: classification, tag, agent.
  await expect(row(ana, tagged)).toContainText('Problema técnico');
  await expect(row(ana, tagged)).toContainText('VIP');
  await expect(row(ana, tagged)).toContainText('Ana Souza');
  await expect(row(ana, tagged)).toContainText(`#${a.protocol}`);
  await shot(ana, '01-agent-history');

  // ── By classification ──
  await ana.getByRole('combobox', { name: 'Classificação' }).selectOption({ label: 'Problema técnico' });
  await expect(row(ana, other)).toHaveCount(0);
  await expect(row(ana, tagged)).toBeVisible();
  await expect(ana.getByRole('region', { name: 'Números do resultado' })).toContainText('Problema técnico');

  // ── By contact name (and the classification cleared) ──
  await ana.getByRole('button', { name: 'Limpar filtros' }).click();
  await expect(row(ana, other)).toBeVisible();
  await ana.getByRole('searchbox', { name: 'Contato' }).fill(`tagged ${suffix}`);
  await expect(row(ana, other)).toHaveCount(0);
  await expect(row(ana, tagged)).toBeVisible();

  // ── By tag ──
  await ana.getByRole('searchbox', { name: 'Contato' }).fill('');
  await ana.getByRole('combobox', { name: 'Etiqueta' }).selectOption({ label: 'VIP' });
  await expect(row(ana, other)).toHaveCount(0);
  await expect(row(ana, tagged)).toBeVisible();

  // ── The conversation opens read-only beside the list, with Reabrir ──
  await row(ana, tagged).click();
  await expect(ana.getByText('Reinstale o aplicativo, por favor.').last()).toBeVisible();
  await expect(ana.getByRole('textbox', { name: 'Mensagem' })).toBeDisabled();
  await expect(ana.getByRole('button', { name: 'Reabrir' }).first()).toBeVisible();
  await shot(ana, '02-agent-history-open');

  // ── Forced over the WebSocket: the server refuses another sector's history ──
  const refusals = await ana.evaluate(async () => {
    const ask = (query: string, params: Record<string, unknown>) =>
      new Promise<unknown>((resolve, reject) => {
        const ws = new WebSocket(`${location.origin.replace(/^http/, 'ws')}/api/live`);
        const timer = setTimeout(() => reject(new Error('no answer')), 8_000);
        ws.onopen = () => ws.send(JSON.stringify({ type: 'subscribe', id: 'forced', query, params }));
        ws.onmessage = (m) => {
          const msg = JSON.parse(String(m.data)) as { type: string; id?: string };
          if (msg.id !== 'forced') return;
          clearTimeout(timer);
          ws.close();
          resolve(msg);
        };
      });
    return {
      closed: await ask('tickets.closed', { sectorIds: ['financeiro'] }),
      history: await ask('tickets.history', { sectorIds: ['financeiro'] }),
      unnamed: await ask('tickets.history', {}),
      mine: await ask('tickets.history', { sectorIds: ['suporte'], limit: 5 }),
    };
  });
  expect(refusals.closed).toMatchObject({ type: 'error', error: { code: 'permission-denied', message: expect.stringMatching(/financeiro/) } });
  expect(refusals.history).toMatchObject({ type: 'error', error: { code: 'permission-denied' } });
  expect(refusals.unnamed).toMatchObject({ type: 'error', error: { code: 'permission-denied', message: expect.stringMatching(/name the sectors/) } });
  expect(refusals.mine).toMatchObject({ type: 'snapshot' });

  // ── A supervisor (seesAllHistory) may pick any sector, and sees Financeiro's ticket ──
  const sup = await agentPage(browser, 'supervisor@atende.local');
  await sup.getByRole('link', { name: /Histórico/ }).first().click();
  await expect(sup.getByRole('combobox', { name: 'Setor' }).getByRole('option')).toHaveText(['Todos os setores', 'Financeiro', 'Suporte']);
  await expect(row(sup, 'Fernanda Rocha')).toBeVisible();
  await expect(row(sup, tagged)).toBeVisible();
  await sup.getByRole('combobox', { name: 'Setor' }).selectOption({ label: 'Financeiro' });
  await expect(row(sup, tagged)).toHaveCount(0);
  await expect(row(sup, 'Fernanda Rocha')).toBeVisible();
  await sup.getByRole('combobox', { name: 'Setor' }).selectOption({ label: 'Todos os setores' });
  await expect(row(sup, tagged)).toBeVisible();
  await shot(sup, '03-supervisor-history');

  // ── Reabrir from Histórico: the conversation moves to Atendimentos, live and writable ──
  await ana.getByRole('button', { name: 'Reabrir' }).first().click();
  await expect(ana).toHaveURL(new RegExp(`/atendimentos/${a.ticketId}`));
  await expect(ana.getByRole('textbox', { name: 'Mensagem' })).toBeEnabled();
  await expect(ana.getByText('Reinstale o aplicativo, por favor.').last()).toBeVisible();
  // And it leaves the history, live, for whoever is looking.
  await expect(row(sup, tagged)).toHaveCount(0);
  await widget.dispose();
});

test('Supervisão ao vivo: waiting counts and the oldest wait per sector, agents with their load, quick actions on the queue', async ({ browser, playwright }) => {
  test.setTimeout(120_000);
  const widget = await playwright.request.newContext({ baseURL: test.info().project.use.baseURL });
  const sup = await agentPage(browser, 'supervisor@atende.local');
  await sup.getByRole('link', { name: /Supervisão/ }).first().click();
  const suporte = sup.locator('[data-sector="suporte"]');
  const waiting = suporte.getByTestId('sector-waiting');
  await expect(waiting).toHaveText(/^\d+$/);
  const before = Number(await waiting.textContent());

  // Two new customers: the count moves live, from the counters.
  const name = `Supervisão ${Date.now().toString(36)}`;
  const taken = `Supervisão Ana ${Date.now().toString(36)}`;
  const forAna = await customerWrites(widget, taken, 'Preciso de ajuda com a senha.');
  await customerWrites(widget, name, 'Alguém pode me ajudar?');
  await expect(waiting).toHaveText(String(before + 2));
  await expect(suporte).toContainText(/Mais antigo\s*(agora|\d)/);

  // Agents of my sectors with presence and load: Ana serves at least Roberto (demo seed); she takes one more, live.
  const anaRow = sup.locator('[data-agent="ana"]');
  await expect(anaRow).toContainText('Online');
  await expect(anaRow.getByTestId('agent-load')).toHaveText(/^[1-9]\d*$/);
  const load = Number(await anaRow.getByTestId('agent-load').textContent());
  const ana = await agentPage(browser, 'ana@atende.local');
  await command(ana.request, 'ticket.accept', { ticketId: forAna.ticketId });
  await expect(anaRow.getByTestId('agent-load')).toHaveText(String(load + 1));
  await expect(waiting).toHaveText(String(before + 1));
  await shot(sup, '04-supervision');

  // The queue is oldest first; its quick actions are there: the newest customer is last. The list is
  // virtualized and earlier specs filled this server's queue: scroll to its end, then read the last row.
  const queue = sup.getByRole('list', { name: /Lista/ });
  await queue.evaluate((list) => {
    let node: HTMLElement | null = list as HTMLElement;
    while (node && node.scrollHeight <= node.clientHeight) node = node.parentElement;
    node?.scrollTo(0, node.scrollHeight);
  });
  await expect(queue.getByRole('listitem').last()).toContainText(name);
  const card = queue.getByRole('listitem').filter({ hasText: name });
  await expect(card.getByRole('button', { name: 'Transferir' })).toBeVisible();
  await card.getByRole('button', { name: 'Finalizar' }).click();
  await expect(sup.getByRole('dialog')).toBeVisible();
  await sup.getByRole('dialog').getByRole('button', { name: 'Finalizar' }).click();
  await expect(waiting).toHaveText(String(before));
  await expect(queue.getByRole('listitem').filter({ hasText: name })).toHaveCount(0);
  await widget.dispose();
});

/** The load server (supervision-load.serve.ts): its own data dir, COUNT waiting tickets written through the store. */
async function loadServer(count: number) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'e2e/supervision-load.serve.ts', String(count)], { stdio: ['ignore', 'pipe', 'inherit'] });
  const info = await new Promise<{ url: string }>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (line) resolve(JSON.parse(line) as never);
    });
    child.once('exit', (code) => reject(new Error(`load server exited with ${code}`)));
  });
  return { ...info, stop: () => child.kill('SIGTERM') };
}

test('Supervisão with 10,000 waiting tickets: counts from the counters, a virtualized queue, clocks that tick without long tasks', async ({ browser }) => {
  test.setTimeout(150_000);
  const TOTAL = 10_000;
  const server = await loadServer(TOTAL);
  try {
    const context = await browser.newContext({ baseURL: server.url });
    const sup = await context.newPage();
    await login(sup, 'supervisor@atende.local');
    const opened = Date.now();
    await sup.getByRole('link', { name: /Supervisão/ }).first().click();
    // The demo's three Suporte customers and the load.
    await expect(sup.locator('[data-sector="suporte"]').getByTestId('sector-waiting')).toHaveText(String(TOTAL + 3));
    const queue = sup.getByRole('list', { name: /Lista/ });
    await expect(queue.getByRole('listitem').first()).toBeVisible();
    console.log(`supervision with ${TOTAL} waiting shown in ${Date.now() - opened} ms`);
    // Oldest first: the load's first ticket has waited longest (TOTAL seconds ago).
    await expect(queue.getByRole('listitem').first()).toContainText('Cliente Carga 00000');
    await expect(sup.locator('[data-sector="suporte"]')).toContainText(/Mais antigo\s*\d+ h/);
    expect(await queue.getByRole('listitem').count()).toBeLessThan(40);
    // Financeiro's one waiting customer is newer than the 10,000 rows the queue holds: its wait is still known.
    await expect(sup.locator('[data-sector="financeiro"]').getByTestId('sector-waiting')).toHaveText('1');
    await expect(sup.locator('[data-sector="financeiro"]')).toContainText(/Mais antigo\s*(agora|\d)/);
    // Five seconds of ticking clocks on a screen over 10,000 tickets: no frame blocked for long.
    const longTasks = await sup.evaluate(async () => {
      const seen: number[] = [];
      new PerformanceObserver((list) => seen.push(...list.getEntries().map((e) => Math.round(e.duration)))).observe({ type: 'longtask' });
      await new Promise((r) => setTimeout(r, 5_000));
      return seen;
    });
    console.log(`long tasks while idle: ${JSON.stringify(longTasks)}`);
    expect(longTasks.filter((d) => d > 100)).toEqual([]);
    await shot(sup, '05-supervision-10000');
    await context.close();
  } finally {
    server.stop();
  }
});
