import { expect, test, type Page } from '@playwright/test';
import { ERROR_TEXTS } from '../core/src/errors/texts.ts';
import { agentPage } from './support.ts';

// Issue 13: "no English on pt-BR screens". The server still writes English messages where it throws; every one has
// a pt-BR text in core's ERROR_TEXTS, and the console must show that. This spec fails if the fixed words of any
// known English server message (3 words or more between its parameters) appear on a screen where the server refused.
const PHRASES = [
  ...new Set(
    Object.values(ERROR_TEXTS)
      .flatMap((e) => e.en.split(/\{\w+\}/))
      .map((s) => s.replace(/^[\s;:,.()]+|[\s;:,.()]+$/g, ''))
      .filter((s) => s.split(/\s+/).length >= 3),
  ),
];

async function expectNoEnglish(page: Page, where: string) {
  const text = await page.locator('body').innerText();
  expect(
    PHRASES.filter((p) => text.includes(p)),
    `English server phrases on ${where}`,
  ).toEqual([]);
}

test('server refusals reach a pt-BR screen in Portuguese: deleting a routed sector, a duplicate sector name', async ({ browser }) => {
  // The list is real: the Atender race's message is in it, so its appearance would fail this spec.
  expect(PHRASES).toContain('Someone else has already taken this ticket');
  expect(PHRASES).toContain('receives tickets from channel');

  const admin = await agentPage(browser, 'admin@atende.local');
  await admin.goto('/admin/setores');
  await admin.getByRole('button', { name: 'Excluir Suporte', exact: true }).click();
  const confirm = admin.getByRole('alertdialog');
  await expect(confirm.getByLabel('Enviar os atendimentos abertos para')).toBeVisible();
  await confirm.getByRole('button', { name: 'Excluir', exact: true }).click();
  await expect(confirm.getByRole('alert')).toHaveText(/^O setor Suporte recebe atendimentos do canal .+: altere o canal antes de excluir$/);
  await expectNoEnglish(admin, 'the sector delete confirmation');
  await admin.screenshot({ path: 'test-results/language-sector-delete-1280.png' });
  await admin.setViewportSize({ width: 1920, height: 1080 });
  await admin.screenshot({ path: 'test-results/language-sector-delete-1920.png' });
  await confirm.getByRole('button', { name: 'Cancelar' }).click();
  await expect(confirm).toHaveCount(0);

  // A second sector named like the first (other case, spaces): refused next to the field, in Portuguese.
  await admin.getByRole('button', { name: 'Novo setor' }).click();
  const dialog = admin.getByRole('dialog');
  await dialog.getByLabel('Nome').fill('  SUPORTE ');
  await dialog.getByRole('button', { name: 'Salvar' }).click();
  await expect(dialog.getByText('Já está em uso')).toBeVisible();
  await expectNoEnglish(admin, 'the sector dialog');
  await dialog.getByRole('button', { name: 'Cancelar' }).click();

  // The automation screen the admin configures auto-close on (looked at, both sizes).
  await admin.goto('/admin/automacao');
  await expect(admin.getByRole('heading', { name: 'Atendimentos abandonados' })).toBeVisible();
  await admin.screenshot({ path: 'test-results/language-automation-1920.png', fullPage: true });
  await admin.setViewportSize({ width: 1280, height: 720 });
  await admin.screenshot({ path: 'test-results/language-automation-1280.png', fullPage: true });
  await admin.context().close();
});

// The browser's own widgets speak pt-BR too, as in our users' browsers: Histórico's date filter reads dia/mês/ano
// (not mm/dd/yyyy; and so time inputs are 24 h). Playwright's `locale` does not reach them: the config's
// LANGUAGE=pt_BR in playwright.config.ts does, with Debian's chromium-l10n installed (.ci/run).
test('date inputs are laid out as in a pt-BR browser: dia/mês/ano', async ({ browser }) => {
  const admin = await agentPage(browser, 'admin@atende.local');
  /** The fields of the first input matching `selector`, in the order the browser lays them out (its accessibility tree). */
  const fieldsOf = async (page: Page, selector: string) => {
    const cdp = await page.context().newCDPSession(page);
    const { root } = await cdp.send('DOM.getDocument');
    const input = await cdp.send('DOM.querySelector', { nodeId: root.nodeId, selector });
    const { nodes } = await cdp.send('Accessibility.queryAXTree', { nodeId: input.nodeId, role: 'spinbutton' });
    await cdp.detach();
    // Chromium names each field twice ("Dia Dia"): its label, then its placeholder.
    return nodes.map((n) => String(n.name?.value ?? '').split(' ')[0]);
  };
  await admin.goto('/historico');
  await expect(admin.getByLabel('Finalizado a partir de')).toBeVisible();
  expect(await fieldsOf(admin, 'input[type="date"]')).toEqual(['Dia', 'Mês', 'Ano']);
});
