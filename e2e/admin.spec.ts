import { expect, test, type Page } from '@playwright/test';
import { agentPage } from './support.ts';

// Issue 4, Administração end to end (DESIGN §5): a supervisor writes a quick
// reply with variables that an agent then uses with a real customer; the
// supervisor does not get the admin-only sections and the server refuses
// them anyway; an admin forbids PDFs and the server refuses an agent's PDF.

const shot = (page: Page, name: string) => page.screenshot({ path: `test-results/admin/${name}.png` });

const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n', 'latin1');

test('a supervisor writes a quick reply with variables and an agent sends it expanded; admin-only sections stay closed to the supervisor', async ({ browser }) => {
  test.setTimeout(150_000);
  const tag = Date.now().toString(36);
  const shortcut = `e2e-boasvindas-${tag}`;

  // ── The supervisor sees only the sections they may edit ──
  const sup = await agentPage(browser, 'supervisor@atende.local');
  await sup.getByRole('navigation', { name: 'Navegação principal' }).getByRole('link', { name: 'Administração' }).click();
  await expect(sup).toHaveURL(/\/admin\/respostas-rapidas$/);
  const sections = sup.getByRole('navigation', { name: 'Seções da administração' });
  for (const name of ['Respostas rápidas', 'Etiquetas', 'Classificações', 'Anexos']) await expect(sections.getByRole('link', { name })).toBeVisible();
  for (const name of ['Setores', 'Usuários', 'Canais', 'Automação']) await expect(sections.getByRole('link', { name })).toHaveCount(0);
  // Typing the address of an admin-only section does not open it…
  await sup.goto('/admin/setores');
  await expect(sup).not.toHaveURL(/\/admin\/setores/);
  // …and the server refuses the command itself.
  const refused = await sup.request.post('/api/commands/sector.save', { data: { name: 'Setor do supervisor', color: '#2563eb', overflowSectorId: null } });
  expect(refused.status()).toBe(403);

  // ── The supervisor writes the quick reply, variables from the chips ──
  await sup.goto('/admin/respostas-rapidas');
  await sup.getByRole('button', { name: 'Nova resposta' }).click();
  const dialog = sup.getByRole('dialog', { name: 'Nova resposta rápida' });
  const shortcutBox = dialog.getByLabel('Atalho');
  await shortcutBox.fill('boas vindas');
  await expect(dialog.getByText('Use só letras, números, _ e - (sem espaços)')).toBeVisible();
  await shortcutBox.fill(shortcut);
  await expect(dialog.getByText('Use só letras, números, _ e - (sem espaços)')).toHaveCount(0);
  const text = dialog.getByRole('textbox', { name: 'Texto' });
  await text.fill('Olá ');
  const chips = dialog.getByRole('group', { name: 'Inserir variável' });
  await chips.getByRole('button', { name: 'Nome do contato' }).click();
  await sup.keyboard.type(', aqui é ');
  await chips.getByRole('button', { name: 'Nome do atendente' }).click();
  await sup.keyboard.type(' (');
  await chips.getByRole('button', { name: 'Setor' }).click();
  await sup.keyboard.type('). Protocolo ');
  await chips.getByRole('button', { name: 'Protocolo' }).click();
  await sup.keyboard.type('.');
  const template = 'Olá {{contact.name}}, aqui é {{agent.name}} ({{sector.name}}). Protocolo {{ticket.protocol}}.';
  await expect(text).toHaveValue(template);
  await expect(dialog.getByTestId('qr-preview')).toHaveText('Olá Maria Oliveira, aqui é Ana Souza (Suporte). Protocolo 2026-000123.');
  await shot(sup, '01-supervisor-quick-reply-dialog');
  await dialog.getByRole('button', { name: 'Salvar' }).click();
  await expect(dialog).toHaveCount(0);
  const row = sup.getByRole('row').filter({ hasText: `/${shortcut}` });
  await expect(row).toContainText('Todos os setores');
  await shot(sup, '02-supervisor-quick-replies');

  // ── A customer writes; Ana takes the ticket and uses the reply ──
  const customerName = `Cliente Admin ${tag}`;
  const customer = await (await browser.newContext()).newPage();
  await customer.goto('/widget/site');
  await customer.getByLabel(/^Nome/).fill(customerName);
  await customer.getByRole('button', { name: 'Iniciar conversa' }).click();
  await customer.getByRole('textbox', { name: /mensagem/i }).fill('Bom dia, tudo bem?');
  const sent = customer.waitForResponse((r) => r.url().endsWith('/api/widget/messages') && r.request().method() === 'POST');
  await customer.getByRole('button', { name: 'Enviar' }).click();
  const { protocol } = (await (await sent).json()) as { protocol: string };

  const ana = await agentPage(browser, 'ana@atende.local');
  await ana.getByRole('tab', { name: 'Esperando' }).click();
  await ana.getByRole('listitem').filter({ hasText: customerName }).getByRole('button', { name: 'Atender' }).click();
  const box = ana.getByRole('textbox', { name: 'Mensagem' });
  await expect(box).toBeEnabled();
  await box.fill(`/${shortcut}`);
  await expect(ana.getByRole('listbox', { name: 'Respostas rápidas' }).getByRole('option', { name: new RegExp(`/${shortcut}`) })).toBeVisible();
  await box.press('Enter');
  const expanded = `Olá ${customerName}, aqui é Ana Souza (Suporte). Protocolo ${protocol}.`;
  await expect(box).toHaveValue(expanded);
  await box.press('Enter');
  await expect(ana.getByRole('log', { name: `Mensagens com ${customerName}` }).getByText(expanded)).toBeVisible();
  // What reaches the customer is the expanded text, not the template.
  await expect(customer.getByText(expanded)).toBeVisible();
  await expect(customer.getByText('{{')).toHaveCount(0);

  // Cleaning up through the same screen: the delete asks first.
  await row.getByRole('button', { name: `Excluir /${shortcut}` }).click();
  await sup.getByRole('alertdialog').getByRole('button', { name: 'Excluir' }).click();
  await expect(row).toHaveCount(0);
  for (const page of [sup, ana, customer]) await page.context().close();
});

test('an admin forbids PDFs and the server refuses an agent’s PDF upload, saying why', async ({ browser }) => {
  test.setTimeout(120_000);
  const admin = await agentPage(browser, 'admin@atende.local');

  await admin.goto('/admin/anexos');
  const pdf = admin.getByRole('switch', { name: 'PDF' });
  await expect(pdf).toBeChecked();
  const sections = admin.getByRole('navigation', { name: 'Seções da administração' });
  for (const name of ['Setores', 'Usuários', 'Canais', 'Automação']) await expect(sections.getByRole('link', { name })).toBeVisible();
  try {
    await admin.getByText('PDF', { exact: true }).click();
    await expect(pdf).not.toBeChecked();
    await expect(admin.getByText('Alterações não salvas')).toBeVisible();
    await admin.getByRole('button', { name: 'Salvar' }).click();
    await expect(admin.getByText('Alterações salvas')).toBeVisible();
    await expect(admin.getByText('Alterações não salvas')).toHaveCount(0);
    await shot(admin, '03-admin-attachment-policy');

    // Ana's upload of a PDF: the server types it by its bytes and refuses it with the reason.
    const ana = await agentPage(browser, 'ana@atende.local');
    const customerName = `Cliente PDF ${Date.now().toString(36)}`;
    const customer = await (await browser.newContext()).newPage();
    await customer.goto('/widget/site');
    await customer.getByLabel(/^Nome/).fill(customerName);
    await customer.getByRole('button', { name: 'Iniciar conversa' }).click();
    await customer.getByRole('textbox', { name: /mensagem/i }).fill('Pode me mandar a fatura em PDF?');
    const sent = customer.waitForResponse((r) => r.url().endsWith('/api/widget/messages') && r.request().method() === 'POST');
    await customer.getByRole('button', { name: 'Enviar' }).click();
    const { ticketId } = (await (await sent).json()) as { ticketId: string };
    await ana.getByRole('tab', { name: 'Esperando' }).click();
    await ana.getByRole('listitem').filter({ hasText: customerName }).getByRole('button', { name: 'Atender' }).click();
    await expect(ana.getByRole('textbox', { name: 'Mensagem' })).toBeEnabled();

    const upload = await ana.request.post('/api/files', { multipart: { ticketId, file: { name: 'fatura.pdf', mimeType: 'application/pdf', buffer: PDF } } });
    expect(upload.status()).toBe(400);
    const body = (await upload.json()) as { error: { message: string; issues: { path: string; message: string }[] } };
    expect(body.error.message).toMatch(/Tipo de arquivo não permitido \(application\/pdf\)/);
    expect(body.error.issues).toEqual([{ path: 'file', message: 'type application/pdf is not allowed' }]);

    // Through the composer, a PDF whose name claims to be an image passes the browser's check; the server's answer is shown.
    await ana.locator('form input[type=file]').setInputFiles({ name: 'fatura.png', mimeType: 'image/png', buffer: PDF });
    await expect(ana.getByRole('alert').filter({ hasText: /Tipo de arquivo não permitido \(application\/pdf\)/ })).toBeVisible();
    await shot(ana, '04-agent-pdf-refused');
    for (const page of [ana, customer]) await page.context().close();
  } finally {
    // Later specs (media) send PDFs on the same server: put the policy back.
    await admin.goto('/admin/anexos');
    if (!(await admin.getByRole('switch', { name: 'PDF' }).isChecked())) {
      await admin.getByText('PDF', { exact: true }).click();
      await admin.getByRole('button', { name: 'Salvar' }).click();
      await expect(admin.getByText('Alterações salvas')).toBeVisible();
    }
  }
});

test('an admin creates a user with an initial password, and that user signs in', async ({ browser }) => {
  const admin = await agentPage(browser, 'admin@atende.local');
  const email = `diego.${Date.now().toString(36)}@atende.local`;
  await admin.goto('/admin/usuarios');
  await admin.getByRole('button', { name: 'Novo usuário' }).click();
  const dialog = admin.getByRole('dialog', { name: 'Novo usuário' });
  await dialog.getByLabel('Nome').fill('Diego Teste');
  await dialog.getByLabel('E-mail').fill(email);
  await dialog.getByLabel('Financeiro').check();
  await dialog.getByLabel('Senha inicial').fill('curta');
  await dialog.getByRole('button', { name: 'Salvar' }).click();
  await expect(dialog.getByText('Pelo menos 8 caracteres')).toBeVisible();
  await dialog.getByLabel('Senha inicial').fill('senha-do-diego');
  await dialog.getByRole('button', { name: 'Salvar' }).click();
  await expect(dialog).toHaveCount(0);
  await expect(admin.getByRole('row').filter({ hasText: email })).toContainText('Financeiro');
  await shot(admin, '05-admin-users');

  // The same e-mail twice is refused by the server, next to the field.
  await admin.getByRole('button', { name: 'Novo usuário' }).click();
  await dialog.getByLabel('Nome').fill('Outro Diego');
  await dialog.getByLabel('E-mail').fill(email);
  await dialog.getByLabel('Senha inicial').fill('outra-senha-123');
  await dialog.getByRole('button', { name: 'Salvar' }).click();
  await expect(dialog.getByText('Já está em uso')).toBeVisible();
  await dialog.getByRole('button', { name: 'Cancelar' }).click();

  // Diego signs in with the password the admin gave him.
  const page = await (await browser.newContext()).newPage();
  await page.goto('/');
  await page.getByLabel(/e-?mail/i).fill(email);
  await page.getByLabel(/senha/i).fill('senha-do-diego');
  await page.getByRole('button', { name: 'Entrar' }).click();
  await expect(page.getByRole('button', { name: /conta de Diego Teste/ })).toBeVisible();
  await page.context().close();

  // Switched off again (an edit keeps the password): the other specs' transfer lists stay as they were.
  const row = admin.getByRole('row').filter({ hasText: email });
  await row.getByRole('button', { name: 'Editar Diego Teste' }).click();
  await admin.getByRole('dialog', { name: 'Editar usuário' }).getByLabel('Ativo').uncheck();
  await admin.getByRole('dialog', { name: 'Editar usuário' }).getByRole('button', { name: 'Salvar' }).click();
  await expect(row).toContainText('Inativo');
});
