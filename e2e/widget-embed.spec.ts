import { expect, test } from '@playwright/test';

// E2: a company puts one <script> tag on its own page and gets the chat.
test('the embed script adds a launcher that opens the widget in a frame', async ({ page, baseURL }) => {
  await page.setContent(`<!doctype html><html lang="pt-BR"><body><h1>Loja Exemplo</h1>
    <script src="${baseURL}/embed.js" data-channel="site" data-label="Fale conosco"></script></body></html>`);
  const launcher = page.getByRole('button', { name: 'Fale conosco' });
  await expect(launcher).toBeVisible();
  await launcher.click();
  const chat = page.frameLocator('iframe');
  await expect(chat.getByLabel(/^Nome/)).toBeVisible();
  await expect(chat.getByRole('button', { name: 'Iniciar conversa' })).toBeVisible();
  await page.screenshot({ path: 'test-results/widget-embedded.png' });
});
