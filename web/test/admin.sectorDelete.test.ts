import type { Sector } from '@atende/core';
import { flushPromises, mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import AdminSectorsPage from '@/pages/admin/AdminSectorsPage.vue';
import { BackendError, useBackend } from '@/backend';
import { i18n } from '@/i18n';
import '@/i18n/admin';
import { useCatalogStore } from '@/stores/catalog';
import { FakeBackend } from './fixtures';

const sector = (id: string, name: string): Sector => ({ id, name, color: '#2563eb', overflowSectorId: null, updatedAt: 1 });
let fake: FakeBackend;

const mountPage = async () => {
  const pinia = createPinia();
  setActivePinia(pinia);
  fake = new FakeBackend();
  useBackend(fake);
  const catalog = useCatalogStore();
  catalog.apply('sectors', { type: 'snapshot', docs: [sector('suporte', 'Suporte'), sector('financeiro', 'Financeiro'), sector('cobranca', 'Cobrança')] });
  mount(AdminSectorsPage, { global: { plugins: [pinia, i18n] }, attachTo: document.body });
  await flushPromises();
};
const button = (label: string) => [...document.body.querySelectorAll('button')].find((b) => b.getAttribute('aria-label') === label || b.textContent?.trim() === label)!;

beforeEach(() => {
  document.body.innerHTML = '';
  i18n.global.locale.value = 'pt-BR';
});

describe('deleting a sector (Administração → Setores)', () => {
  it('asks where the open tickets go, says in Portuguese why the server refused, and sends the chosen sector', async () => {
    await mountPage();
    button('Excluir Cobrança').click();
    await flushPromises();
    const select = document.body.querySelector<HTMLSelectElement>('#sector-move-to')!;
    expect([...select.options].map((o) => o.text)).toEqual(['Escolha um setor', 'Financeiro', 'Suporte']);

    button('Excluir').click();
    await flushPromises();
    expect(fake.commands[0]).toMatchObject({ name: 'sector.delete', input: { id: 'cobranca' } });
    fake.commands[0]!.reject(
      new BackendError('failed-precondition', 'Sector Cobrança has 2 open tickets; choose the sector they go to', [], 412, 'sector.hasTickets', { sector: 'Cobrança', count: '2' }),
    );
    await flushPromises();
    expect(document.body.querySelector('[role="alert"]')?.textContent).toBe('O setor Cobrança tem 2 atendimentos abertos: escolha para qual setor enviá-los');
    expect(document.body.querySelector('#sector-move-to')).not.toBeNull(); // still open

    select.value = 'financeiro';
    select.dispatchEvent(new Event('change'));
    button('Excluir').click();
    await flushPromises();
    expect(fake.commands[1]).toMatchObject({ name: 'sector.delete', input: { id: 'cobranca', moveTo: 'financeiro' } });
    fake.commands[1]!.resolve({ id: 'cobranca', moved: 2 });
    await flushPromises();
    expect(document.body.querySelector('#sector-move-to')).toBeNull();
  });
});
