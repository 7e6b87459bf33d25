import type { Channel, MessageTemplate, Sector } from '@atende/core';
import { flushPromises, mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import WhatsAppTemplates from '@/components/admin/whatsapp/WhatsAppTemplates.vue';
import { BackendError, useBackend } from '@/backend';
import { i18n } from '@/i18n';
import '@/i18n/admin';
import { useCatalogStore } from '@/stores/catalog';
import { useWhatsAppStore } from '@/stores/whatsapp';
import { FakeBackend } from './fixtures';

const sector = (id: string, name: string): Sector => ({ id, name, color: '#2563eb', overflowSectorId: null, updatedAt: 1 });
const template = (name: string, sectorIds: string[] = []): MessageTemplate => ({
  id: `whatsapp.${name}.pt_BR`,
  channelId: 'whatsapp',
  providerId: name,
  name,
  language: 'pt_BR',
  category: 'UTILITY',
  status: 'APPROVED',
  body: 'Olá {{1}}',
  variables: 1,
  sectorIds,
  syncedAt: 1,
  updatedAt: 1,
});
const channel = { id: 'whatsapp', name: 'WhatsApp Comercial', type: 'whatsapp', account: { id: '100000000000001', businessId: '200000000000001', display: null, secretsSet: { accessToken: true, appSecret: true, verifyToken: true } } } as unknown as Channel;
let fake: FakeBackend;
let errors: (string | null)[];

const mountSection = async () => {
  const pinia = createPinia();
  setActivePinia(pinia);
  fake = new FakeBackend();
  useBackend(fake);
  useCatalogStore().apply('sectors', { type: 'snapshot', docs: [sector('suporte', 'Suporte'), sector('financeiro', 'Financeiro')] });
  const stop = useWhatsAppStore().follow();
  fake.emit('templates.all', { type: 'snapshot', docs: [template('boleto_pronto', ['financeiro']), template('boas_vindas')] });
  errors = [];
  mount(WhatsAppTemplates, { props: { channel, onError: (m: string | null) => errors.push(m) }, global: { plugins: [pinia, i18n] }, attachTo: document.body });
  await flushPromises();
  return stop;
};
const button = (label: string) => [...document.body.querySelectorAll('button')].find((b) => b.getAttribute('aria-label') === label || b.textContent?.trim() === label)!;
const row = (name: string) => document.body.querySelector(`[data-testid="template-row-${name}"]`)!;

beforeEach(() => {
  document.body.innerHTML = '';
  i18n.global.locale.value = 'pt-BR';
});

describe("a WhatsApp number's templates (Administração → Canais → Conexão)", () => {
  it('shows who may send each template and restricts one to the sectors ticked', async () => {
    await mountSection();
    expect(row('boleto_pronto').textContent).toContain('Financeiro');
    expect(row('boas_vindas').textContent).toContain('Todos os setores');

    button('Setores que podem enviar boas_vindas').click();
    await flushPromises();
    const box = [...document.body.querySelectorAll<HTMLInputElement>('input[type="checkbox"]')].find((i) => i.value === 'suporte')!;
    box.click();
    button('Salvar setores').click();
    await flushPromises();
    expect(fake.commands[0]).toMatchObject({ name: 'template.restrict', input: { templateId: 'whatsapp.boas_vindas.pt_BR', sectorIds: ['suporte'] } });
    fake.commands[0]!.resolve({ templateId: 'whatsapp.boas_vindas.pt_BR' });
    await flushPromises();
    expect(document.body.querySelector('input[type="checkbox"]')).toBeNull();
  });

  it('says why the server refused, in Portuguese, and keeps the choice open', async () => {
    await mountSection();
    button('Setores que podem enviar boleto_pronto').click();
    await flushPromises();
    const ticked = [...document.body.querySelectorAll<HTMLInputElement>('input[type="checkbox"]')].filter((i) => i.checked).map((i) => i.value);
    expect(ticked).toEqual(['financeiro']);
    button('Salvar setores').click();
    await flushPromises();
    fake.commands[0]!.reject(new BackendError('permission-denied', 'only administrators may do this', [], 403));
    await flushPromises();
    expect(errors.at(-1)).toMatch(/permissão|administrador/i);
    expect(document.body.querySelector('input[type="checkbox"]')).not.toBeNull();
  });
});
