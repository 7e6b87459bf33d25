import { expect, test } from '@playwright/test';
import { agentPage, findAlone } from './support.ts';

// Issue 4, B5: a quick reply that carries a file. The supervisor attaches a PDF
// in Administração; Ana picks the reply with "/" and the customer gets the
// text with the variables filled and the document with it.

const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n', 'latin1');

test('a supervisor attaches a PDF to a quick reply; an agent sends it with "/" and the customer gets text and document', async ({ browser }) => {
  test.setTimeout(150_000);
  const tag = Date.now().toString(36);
  const shortcut = `e2e-tabela-${tag}`;

  const sup = await agentPage(browser, 'supervisor@atende.local');
  await sup.goto('/admin/respostas-rapidas');
  await sup.getByRole('button', { name: 'Nova resposta' }).click();
  const dialog = sup.getByRole('dialog', { name: 'Nova resposta rápida' });
  await dialog.getByLabel('Atalho').fill(shortcut);
  await dialog.getByRole('textbox', { name: 'Texto' }).fill('Segue a tabela de preços, {{contact.name}}.');
  await expect(dialog.getByRole('button', { name: 'Anexar arquivo' })).toBeVisible();
  await dialog.getByTestId('qr-file-input').setInputFiles({ name: 'tabela-precos.pdf', mimeType: 'application/pdf', buffer: PDF });
  const listed = dialog.getByTestId('qr-attachments').getByRole('link', { name: 'tabela-precos.pdf' });
  await expect(listed).toBeVisible();
  // The preview link serves the stored file.
  const preview = await sup.request.get((await listed.getAttribute('href'))!);
  expect(preview.status()).toBe(200);
  expect(preview.headers()['content-type']).toBe('application/pdf');
  await sup.screenshot({ path: 'test-results/quick-reply-files/01-dialog-with-file.png' });
  await dialog.getByRole('button', { name: 'Salvar' }).click();
  await expect(dialog).toHaveCount(0);
  await expect(sup.getByRole('row').filter({ hasText: `/${shortcut}` })).toBeVisible();

  const customerName = `Cliente Tabela ${tag}`;
  const customer = await (await browser.newContext()).newPage();
  await customer.goto('/widget/site');
  await customer.getByLabel(/^Nome/).fill(customerName);
  await customer.getByRole('button', { name: 'Iniciar conversa' }).click();
  await customer.getByRole('textbox', { name: /mensagem/i }).fill('Quanto custa o plano?');
  await customer.getByRole('button', { name: 'Enviar' }).click();
  await expect(customer.getByText('Quanto custa o plano?')).toBeVisible();

  const ana = await agentPage(browser, 'ana@atende.local');
  await ana.getByRole('tab', { name: 'Esperando' }).click();
  // Earlier specs fill this server's queue (virtualized, oldest first): find this customer by name.
  await findAlone(ana, customerName);
  await ana.getByRole('listitem').filter({ hasText: customerName }).getByRole('button', { name: 'Atender' }).click();
  const box = ana.getByRole('textbox', { name: 'Mensagem' });
  await expect(box).toBeEnabled();
  await box.fill(`/${shortcut}`);
  await expect(ana.getByRole('listbox', { name: 'Respostas rápidas' }).getByRole('option', { name: new RegExp(`/${shortcut}`) })).toBeVisible();
  await box.press('Enter');
  const expanded = `Segue a tabela de preços, ${customerName}.`;
  await expect(box).toHaveValue(expanded);
  // The file sits in the tray like one the agent picked, copied into this ticket.
  await expect(ana.getByText('tabela-precos.pdf')).toBeVisible();
  await expect(ana.getByText(/pronto/)).toBeVisible();
  await ana.screenshot({ path: 'test-results/quick-reply-files/02-composer-tray.png' });
  await box.press('Enter');

  const thread = ana.getByRole('log', { name: `Mensagens com ${customerName}` });
  await expect(thread.getByText(expanded)).toBeVisible();
  await expect(thread.getByRole('link', { name: 'Baixar tabela-precos.pdf' })).toBeVisible();
  await expect(customer.getByText(expanded)).toBeVisible();
  const card = customer.getByRole('link', { name: 'Baixar tabela-precos.pdf' });
  await expect(card).toBeVisible();
  const served = await customer.request.get((await card.getAttribute('href'))!);
  expect(served.status()).toBe(200);
  expect(Buffer.from(await served.body()).equals(PDF)).toBe(true);
  await customer.screenshot({ path: 'test-results/quick-reply-files/03-widget.png' });

  for (const page of [sup, ana, customer]) await page.context().close();
});
