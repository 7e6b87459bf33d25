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

// The same widget opened by a link on a wide screen is a chat column in the middle, not a form across the page;
// inside the 380 px frame it still fills the frame.
test('the widget opened as a page on a 1920 px screen is a centred chat column', async ({ page, baseURL }) => {
  await page.setViewportSize({ width: 1920, height: 1080 });
  await page.goto('/widget/site');
  const start = page.getByRole('button', { name: 'Iniciar conversa' });
  await expect(start).toBeVisible();
  const box = (await start.boundingBox())!;
  expect(box.width).toBeLessThanOrEqual(600);
  expect(Math.abs(box.x + box.width / 2 - 960)).toBeLessThanOrEqual(2);
  await page.screenshot({ path: 'test-results/widget-page-1920.png' });

  await page.setContent(`<!doctype html><html lang="pt-BR"><body><script src="${baseURL}/embed.js" data-channel="site"></script></body></html>`);
  await page.locator('.atende-launcher').click();
  const framed = page.frameLocator('iframe').getByRole('button', { name: 'Iniciar conversa' });
  await expect(framed).toBeVisible();
  const frame = (await page.locator('iframe').boundingBox())!;
  expect((await framed.boundingBox())!.width).toBeGreaterThan(frame.width - 80);
});
