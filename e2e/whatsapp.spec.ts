import { expect, test, type APIRequestContext, type Page } from '@playwright/test';
import { agentPage, findAlone, queueCard } from './support.ts';

// Issue 11 end to end on the embedded server with its WhatsApp simulator (fake Graph API):
// a customer writes from the simulator's phone, the agent answers in the console, the fake
// Graph API receives the reply and the ticks follow its statuses up to "read"; once the
// 24-hour window has passed (the browser's clock moved on), free text is off and the agent
// sends an approved template that the phone receives.

const SUPORTE_NUMBER = '100000000000002';

interface PhoneMessage {
  direction: 'in' | 'out';
  type: string;
  text: string;
  status: string;
}

const phoneThread = async (request: APIRequestContext, customer: string): Promise<PhoneMessage[]> => {
  const res = await request.get(`/simulator/whatsapp/api/thread?number=${SUPORTE_NUMBER}&customer=${customer}`);
  expect(res.ok()).toBe(true);
  return ((await res.json()) as { messages: PhoneMessage[] }).messages;
};

const card = queueCard;

const thread = (page: Page, contact: string) => page.getByRole('log', { name: new RegExp(contact) });
const tick = (page: Page, contact: string, status: 'Enviada' | 'Entregue' | 'Lida') => thread(page, contact).getByRole('img', { name: status, exact: true });

test('a WhatsApp customer is answered from the console, with ticks, and a template after the window', async ({ browser, request }) => {
  test.setTimeout(120_000);
  const suffix = `${Date.now()}`.slice(-7);
  const customer = `55119${suffix.padStart(8, '7')}`;
  const name = `Cliente WA ${suffix}`;

  // Ana (Suporte) is online before the customer writes: the ticket reaches her queue live.
  const ana = await agentPage(browser, 'ana@atende.local');
  await ana.getByRole('tab', { name: 'Esperando' }).click();

  const sent = await request.post('/simulator/whatsapp/api/send', { data: { number: SUPORTE_NUMBER, customer, name, text: 'Olá! Meu pedido não chegou.' } });
  expect(sent.ok()).toBe(true);

  // Earlier specs leave many customers waiting on this server: Ana finds this one by name.
  await findAlone(ana, name);
  await card(ana, name).getByRole('button', { name: 'Atender', exact: true }).click();
  await expect(thread(ana, name).getByText('Olá! Meu pedido não chegou.', { exact: true })).toBeVisible();
  await expect(ana.getByTestId('reply-window')).toContainText('restantes');
  // In a narrow window (four columns beside the queue at 1280) the bar stays one line: "Janela: 23 h 59 min" and "Modelo".
  const bar = ana.getByTestId('reply-window');
  await expect(bar.getByRole('button', { name: 'Enviar modelo', exact: true })).toBeVisible();
  await expect(bar.getByTestId('reply-window-short')).toBeHidden();
  await ana.setViewportSize({ width: 780, height: 720 });
  await expect(bar.getByTestId('reply-window-short')).toBeVisible();
  await expect(bar.getByRole('button', { name: 'Modelo', exact: true })).toBeVisible();
  expect((await bar.boundingBox())!.height, 'the reply window bar wraps').toBeLessThanOrEqual(32);
  await ana.screenshot({ path: 'test-results/whatsapp-window-narrow.png' });
  await ana.setViewportSize({ width: 1280, height: 720 });

  const reply = 'Oi! Vou verificar seu pedido agora.';
  const composer = ana.getByRole('textbox', { name: 'Mensagem', exact: true });
  await composer.fill(reply);
  await composer.press('Enter');

  // The fake Graph API got it, and the statuses it sent back reach the agent as ticks.
  await expect.poll(async () => (await phoneThread(request, customer)).filter((m) => m.direction === 'out').map((m) => m.text)).toContain(reply);
  await expect(tick(ana, name, 'Entregue')).toBeVisible();
  expect((await request.post('/simulator/whatsapp/api/read', { data: { number: SUPORTE_NUMBER, customer } })).ok()).toBe(true);
  await expect(tick(ana, name, 'Lida')).toBeVisible();

  // A day and a bit later in the agent's browser: the window has closed.
  await ana.clock.install({ time: Date.now() + 25 * 60 * 60 * 1000 });
  await ana.clock.runFor(2_000);
  const closed = ana.getByTestId('reply-window');
  await expect(closed).toHaveAttribute('data-closed', 'true');
  await expect(composer).toBeDisabled();
  // Nothing to type into a composer that cannot send: the copilot's suggested replies are gone too.
  await expect(ana.getByRole('group', { name: 'Sugestões do copiloto' })).toHaveCount(0);
  await expect(card(ana, name).getByTestId('window-closed-badge')).toBeVisible();

  await closed.getByRole('button', { name: 'Enviar modelo', exact: true }).click();
  const dialog = ana.getByRole('dialog', { name: 'Enviar modelo' });
  const select = dialog.getByTestId('template-select');
  await select.selectOption({ label: 'retomar_atendimento · pt-BR · Utilidade' });
  await expect(dialog.getByRole('textbox', { name: 'Variável 1', exact: true })).toHaveValue(name);
  await dialog.getByRole('textbox', { name: 'Variável 2', exact: true }).fill('Ana');
  await dialog.getByRole('textbox', { name: 'Variável 3', exact: true }).fill('123');
  await expect(dialog.getByTestId('template-preview')).toHaveText(`Olá, ${name}! Aqui é Ana. Podemos continuar seu atendimento (protocolo 123)?`);
  await dialog.getByRole('button', { name: 'Enviar modelo', exact: true }).click();
  await expect(dialog).toBeHidden();

  await expect.poll(async () => (await phoneThread(request, customer)).filter((m) => m.direction === 'out').map((m) => m.type)).toContain('template');
  await expect(thread(ana, name).getByText('Modelo retomar_atendimento', { exact: true })).toBeVisible();
  await ana.context().close();
});

test('a reply the provider reports failed (131047, from the simulator) shows the red "!" on its card and the reason in Portuguese', async ({ browser, request }) => {
  const suffix = `${Date.now()}`.slice(-7);
  const customer = `55118${suffix.padStart(8, '6')}`;
  const name = `Cliente Falha ${suffix}`;
  const ana = await agentPage(browser, 'ana@atende.local');
  await ana.getByRole('tab', { name: 'Esperando' }).click();
  expect((await request.post('/simulator/whatsapp/api/send', { data: { number: SUPORTE_NUMBER, customer, name, text: 'Meu boleto não abre.' } })).ok()).toBe(true);
  // The phone's "Respostas da empresa": Meta accepts the business's replies, then reports them failed.
  expect((await request.post('/simulator/whatsapp/api/outcome', { data: { customer, outcome: 'window' } })).ok()).toBe(true);

  await findAlone(ana, name);
  await card(ana, name).getByRole('button', { name: 'Atender', exact: true }).click();
  const composer = ana.getByRole('textbox', { name: 'Mensagem', exact: true });
  await composer.fill('Vou gerar um novo boleto.');
  await composer.press('Enter');

  await expect(thread(ana, name).getByText('Não entregue: a janela de 24 horas está fechada. Envie um modelo.')).toBeVisible();
  await expect(card(ana, name).getByRole('img', { name: 'A última mensagem não foi entregue' })).toBeVisible();
  // Meta's clock decides: the window shows closed and free text is off, though ours counted a day left.
  await expect(ana.getByTestId('reply-window')).toHaveAttribute('data-closed', 'true');
  await expect(composer).toBeDisabled();
  await expect(ana.getByTestId('reply-window').getByRole('button', { name: 'Enviar modelo', exact: true })).toBeVisible();
  // The bar says WhatsApp closed it: the customer did write, so not "ainda não respondeu".
  await expect(ana.getByTestId('reply-window')).toContainText('O WhatsApp recusou uma resposta: para ele, a janela já tinha fechado.');
  await expect(ana.getByTestId('reply-window')).not.toContainText('ainda não respondeu');
  await ana.screenshot({ path: 'test-results/whatsapp-reply-failed.png' });
  await ana.setViewportSize({ width: 1920, height: 1080 });
  await expect(ana.getByTestId('reply-window')).toBeVisible();
  await ana.screenshot({ path: 'test-results/whatsapp-reply-failed-1920.png' });
  expect((await request.post('/simulator/whatsapp/api/outcome', { data: { customer, outcome: 'deliver' } })).ok()).toBe(true);
  await ana.context().close();
});
