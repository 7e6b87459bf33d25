import type { Sector, Settings } from '@atende/core';
import { flushPromises, mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { defineComponent, h, ref } from 'vue';
import AdminAttachmentPolicyForm from '@/components/admin/AdminAttachmentPolicyForm.vue';
import AdminQuickReplyDialog from '@/components/admin/AdminQuickReplyDialog.vue';
import AdminUserDialog from '@/components/admin/AdminUserDialog.vue';
import { formOf, policyOf, withoutFamily } from '@/components/admin/attachmentFamilies';
import { BackendError, useBackend } from '@/backend';
import { i18n } from '@/i18n';
import '@/i18n/admin';
import { useCatalogStore } from '@/stores/catalog';
import { FakeBackend } from './fixtures';

const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
// The demo workspace's policy (core/src/seed.ts).
const seedPolicy: Settings['attachments'] = {
  maxBytes: 16 * 1024 * 1024,
  allowedTypes: ['image/*', 'audio/*', 'video/*', 'application/pdf', 'text/plain', 'application/zip', DOCX, XLSX],
};

let fake: FakeBackend;
const sector = (id: string, name: string): Sector => ({ id, name, color: '#2563eb', overflowSectorId: null, updatedAt: 1 });

const setup = () => {
  const pinia = createPinia();
  setActivePinia(pinia);
  fake = new FakeBackend();
  useBackend(fake);
  useCatalogStore().apply('sectors', { type: 'snapshot', docs: [sector('suporte', 'Suporte'), sector('financeiro', 'Financeiro')] });
  return pinia;
};

const byText = (selector: string, text: string) => [...document.body.querySelectorAll<HTMLElement>(selector)].find((e) => e.textContent?.trim() === text)!;
const type = async (el: HTMLInputElement | HTMLTextAreaElement, value: string) => {
  el.value = value;
  el.dispatchEvent(new Event('input'));
  await flushPromises();
};

beforeEach(() => {
  document.body.innerHTML = '';
});

/** Mounts a dialog with `v-model:open`, open; returns the `open` ref the dialog writes back to. */
const hostDialog = async (dialog: typeof AdminQuickReplyDialog | typeof AdminUserDialog, props: Record<string, unknown>, before = () => {}) => {
  const pinia = setup();
  before();
  const open = ref(true);
  const Host = defineComponent({ setup: () => () => h(dialog as never, { ...props, open: open.value, 'onUpdate:open': (v: boolean) => (open.value = v) }) });
  mount(Host, { global: { plugins: [pinia, i18n] }, attachTo: document.body });
  await flushPromises();
  return open;
};

describe('quick reply editor', () => {
  const openEditor = async () => {
    const open = await hostDialog(AdminQuickReplyDialog, { reply: null });
    return {
      open,
      shortcut: document.getElementById('qr-shortcut') as HTMLInputElement,
      text: document.getElementById('qr-text') as HTMLTextAreaElement,
      preview: () => document.body.querySelector('[data-testid="qr-preview"]')?.textContent,
    };
  };

  it('inserts a variable chip at the cursor and previews the text expanded', async () => {
    const { text, preview } = await openEditor();
    await type(text, 'Olá , tudo bem? Protocolo: ');
    text.setSelectionRange(4, 4);
    byText('button', 'Nome do contato').click();
    await flushPromises();
    expect(text.value).toBe('Olá {{contact.name}}, tudo bem? Protocolo: ');
    // The cursor lands after the inserted variable, so the next chip follows it.
    expect(text.selectionStart).toBe('Olá {{contact.name}}'.length);
    text.setSelectionRange(text.value.length, text.value.length);
    byText('button', 'Protocolo').click();
    await flushPromises();
    expect(text.value).toBe('Olá {{contact.name}}, tudo bem? Protocolo: {{ticket.protocol}}');
    expect(preview()).toBe('Olá Maria Oliveira, tudo bem? Protocolo: 2026-000123');
  });

  it('replaces a selection with the variable', async () => {
    const { text, preview } = await openEditor();
    await type(text, 'Aqui é FULANO do setor X');
    text.setSelectionRange(7, 13);
    byText('button', 'Nome do atendente').click();
    await flushPromises();
    expect(text.value).toBe('Aqui é {{agent.name}} do setor X');
    expect(preview()).toBe('Aqui é Ana Souza do setor X');
  });

  it('says what is wrong with a shortcut while it is typed and sends nothing until it is fixed', async () => {
    const { shortcut, text, open } = await openEditor();
    await type(shortcut, 'bom dia');
    expect(document.getElementById('qr-shortcut-error')?.textContent).toBe('Use só letras, números, _ e - (sem espaços)');
    expect(shortcut.getAttribute('aria-invalid')).toBe('true');
    await type(text, 'Bom dia, {{contact.name}}!');
    byText('button', 'Salvar').click();
    await flushPromises();
    expect(fake.commands).toHaveLength(0);

    await type(shortcut, 'bom-dia');
    expect(document.getElementById('qr-shortcut-error')).toBeNull();
    (document.body.querySelector('input[type="checkbox"][value="suporte"]') as HTMLInputElement).click();
    byText('button', 'Salvar').click();
    await flushPromises();
    expect(fake.commands[0]).toMatchObject({ name: 'quickReply.save', input: { shortcut: 'bom-dia', text: 'Bom dia, {{contact.name}}!', sectorIds: ['suporte'] } });
    expect(fake.commands[0]!.input).not.toHaveProperty('id');
    fake.commands[0]!.resolve({ quickReply: { id: 'q1' } });
    await flushPromises();
    expect(open.value).toBe(false);
  });

  it("shows the server's field error next to the field and keeps the dialog open", async () => {
    const { shortcut, text, open } = await openEditor();
    await type(shortcut, 'ola');
    await type(text, 'Oi');
    byText('button', 'Salvar').click();
    await flushPromises();
    fake.commands[0]!.reject(new BackendError('invalid-argument', 'Invalid input', [{ path: 'sectorIds.0', message: 'no such sector' }], 400));
    await flushPromises();
    expect(document.getElementById('qr-sectors-error')?.textContent).toBe('Este setor não existe mais');
    expect(open.value).toBe(true);
  });
});

describe('attachment policy', () => {
  it('maps the allowed MIME patterns to families and back without losing anything', () => {
    const form = formOf(seedPolicy);
    expect(form.maxMegabytes).toBe(16);
    expect(form.families).toEqual({ images: true, audio: true, video: true, pdf: true, office: true, text: true, zip: true });
    expect(form.extra).toEqual([]);
    expect(new Set(policyOf(form).allowedTypes)).toEqual(new Set(seedPolicy.allowedTypes));

    // Half of Office allowed: the family is off and the lone pattern survives as an extra.
    const partial = formOf({ maxBytes: 5 * 1024 * 1024 + 1, allowedTypes: ['image/*', DOCX, 'application/json'] });
    expect(partial.families.office).toBe(false);
    expect(partial.extra).toEqual([DOCX, 'application/json']);
    expect(policyOf(partial).allowedTypes).toEqual(['image/*', DOCX, 'application/json']);

    // An extra typed by hand is kept even when its family is off.
    expect(policyOf({ ...form, families: { ...form.families, pdf: false }, extra: ['application/pdf', 'Font/*'] }).allowedTypes).toContain('application/pdf');
    expect(withoutFamily(['application/pdf', 'font/*'], 'pdf')).toEqual(['font/*']);
  });

  const mountForm = async () => {
    const pinia = setup();
    mount(AdminAttachmentPolicyForm, { props: { policy: seedPolicy }, global: { plugins: [pinia, i18n] }, attachTo: document.body });
    await flushPromises();
    const switchOf = (name: string) => document.body.querySelector<HTMLInputElement>(`input[role="switch"][aria-labelledby="${[...document.body.querySelectorAll('span[id$="-name"]')].find((s) => s.textContent === name)!.id}"]`)!;
    return { switchOf };
  };

  it('saves the switches and size as settings.update { attachments }', async () => {
    const { switchOf } = await mountForm();
    expect(switchOf('PDF').checked).toBe(true);
    await type(document.getElementById('att-max') as HTMLInputElement, '5');
    await type(document.getElementById('att-extra') as HTMLTextAreaElement, 'application/json, application/pdf, font/*');
    switchOf('PDF').click();
    await flushPromises();
    expect((document.getElementById('att-extra') as HTMLTextAreaElement).value).toBe('application/json, font/*');
    byText('button', 'Salvar').click();
    await flushPromises();
    expect(fake.commands).toHaveLength(1);
    const { name, input } = fake.commands[0]!;
    expect(name).toBe('settings.update');
    expect(Object.keys(input as object)).toEqual(['attachments']);
    const attachments = (input as { attachments: Settings['attachments'] }).attachments;
    expect(attachments.maxBytes).toBe(5 * 1024 * 1024);
    expect(attachments.allowedTypes).not.toContain('application/pdf');
    expect(attachments.allowedTypes).toEqual(expect.arrayContaining(['image/*', DOCX, 'application/json', 'font/*']));
  });

  it("takes another admin's save live, but keeps edits in progress", async () => {
    const pinia = setup();
    const w = mount(AdminAttachmentPolicyForm, { props: { policy: seedPolicy }, global: { plugins: [pinia, i18n] }, attachTo: document.body });
    await flushPromises();
    const size = document.getElementById('att-max') as HTMLInputElement;
    await w.setProps({ policy: { ...seedPolicy, maxBytes: 8 * 1024 * 1024 } });
    expect(size.value).toBe('8');
    await type(size, '4');
    await w.setProps({ policy: { ...seedPolicy, maxBytes: 2 * 1024 * 1024 } });
    expect(size.value).toBe('4');
    expect(document.body.textContent).toContain('Alterações não salvas');
  });

  it('refuses a size out of range and a pattern that is not a MIME type, next to each field', async () => {
    await mountForm();
    await type(document.getElementById('att-max') as HTMLInputElement, '500');
    await type(document.getElementById('att-extra') as HTMLTextAreaElement, 'pdf');
    byText('button', 'Salvar').click();
    await flushPromises();
    expect(fake.commands).toHaveLength(0);
    expect(document.getElementById('att-max-error')?.textContent).toBe('Entre 0,01 e 100 MB');
    expect(document.getElementById('att-extra-error')?.textContent).toBe('“pdf” não é um tipo MIME (ex. application/json)');
  });
});

describe('user dialog', () => {
  const openUser = async (withPasswords: boolean) => {
    const setPassword = vi.fn(async () => undefined);
    // Only the local backend sets passwords; the dialog asks when it opens.
    const open = await hostDialog(AdminUserDialog, { user: null }, () => withPasswords && Object.assign(fake, { setPassword }));
    return { open, setPassword };
  };
  const field = (id: string) => document.getElementById(id) as HTMLInputElement;

  it('creates the user, then sets the initial password; a short one is refused before anything is sent', async () => {
    const { open, setPassword } = await openUser(true);
    await type(field('user-name'), 'Diego Reis');
    await type(field('user-email'), 'Diego@Atende.local');
    (document.body.querySelector('input[type="checkbox"][value="financeiro"]') as HTMLInputElement).click();
    await type(field('user-password'), 'curta');
    byText('button', 'Salvar').click();
    await flushPromises();
    expect(document.getElementById('user-password-error')?.textContent).toBe('Pelo menos 8 caracteres');
    expect(fake.commands).toHaveLength(0);

    await type(field('user-password'), 'senha-segura');
    byText('button', 'Salvar').click();
    await flushPromises();
    expect(fake.commands[0]).toMatchObject({ name: 'user.save', input: { name: 'Diego Reis', email: 'Diego@Atende.local', role: 'agent', sectorIds: ['financeiro'], active: true } });
    const id = (fake.commands[0]!.input as { id: string }).id;
    expect(id).toMatch(/^u-[a-z0-9]+$/);
    expect(setPassword).not.toHaveBeenCalled(); // only once the user exists
    fake.commands[0]!.resolve({ user: { id } });
    await flushPromises();
    expect(setPassword).toHaveBeenCalledWith(id, 'senha-segura');
    expect(open.value).toBe(false);
  });

  it('shows a taken e-mail next to the field, in Portuguese', async () => {
    await openUser(true);
    await type(field('user-name'), 'Outra Ana');
    await type(field('user-email'), 'ana@atende.local');
    await type(field('user-password'), 'senha-segura');
    byText('button', 'Salvar').click();
    await flushPromises();
    fake.commands[0]!.reject(new BackendError('already-exists', 'The e-mail ana@atende.local is already used by Ana Souza', [{ path: 'email', message: 'already in use' }], 409));
    await flushPromises();
    expect(document.getElementById('user-email-error')?.textContent).toBe('Já está em uso');
    expect(document.body.querySelector('[role="alert"]')).toBeNull();
  });

  it('has no password field where accounts live elsewhere (Firebase Auth)', async () => {
    await openUser(false);
    expect(document.getElementById('user-name')).not.toBeNull();
    expect(document.getElementById('user-password')).toBeNull();
  });
});
