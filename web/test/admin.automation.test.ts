import { defaultSettings } from '@atende/core';
import { flushPromises, mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import AdminAutomationForm from '@/components/admin/AdminAutomationForm.vue';
import { useBackend } from '@/backend';
import { i18n } from '@/i18n';
import '@/i18n/admin';
import { FakeBackend } from './fixtures';

let fake: FakeBackend;
const mountForm = async (patch: Partial<ReturnType<typeof defaultSettings>['autoClose']> = {}) => {
  const pinia = createPinia();
  setActivePinia(pinia);
  fake = new FakeBackend();
  useBackend(fake);
  const settings = defaultSettings(1);
  settings.autoClose = { ...settings.autoClose, enabled: true, ...patch };
  const wrapper = mount(AdminAutomationForm, { props: { settings }, global: { plugins: [pinia, i18n] }, attachTo: document.body });
  await flushPromises();
  return wrapper;
};
const sent = () => fake.commands.find((c) => c.name === 'settings.update')?.input as { autoClose: Record<string, unknown> };

beforeEach(() => {
  document.body.innerHTML = '';
  i18n.global.locale.value = 'pt-BR';
});

describe('auto-close settings (D3)', () => {
  it('shows a stored duration in its largest exact unit and saves what the admin types in hours', async () => {
    const w = await mountForm({ afterMinutes: 2 * 24 * 60, warningMinutes: 90 });
    const after = w.get<HTMLInputElement>('#auto-after');
    expect(after.element.value).toBe('2');
    expect((after.element.nextElementSibling as HTMLSelectElement).value).toBe('days');
    expect(w.get<HTMLInputElement>('#auto-warning').element.value).toBe('90');
    await w.get('#auto-after + select').setValue('hours');
    await after.setValue('3');
    await w.get('form').trigger('submit');
    await flushPromises();
    expect(sent().autoClose).toMatchObject({ afterMinutes: 180, warningMinutes: 90 });
  });

  it('says which tickets each switch closes, in Portuguese', async () => {
    const w = await mountForm();
    expect(w.text()).toContain('Os que chegaram direto à fila ou que um atendente iniciou');
    expect(w.text()).toContain('Os que o bot ou um fluxo passou para um atendente');
    expect(w.text()).not.toContain('Atendimentos ainda no bot');
  });

  it('saves the abandoned-ticket rule and the business-time switch', async () => {
    const w = await mountForm();
    await w.get('#abandoned-title').element.parentElement!.querySelector('input')!.click();
    await flushPromises();
    await w.get('#abandoned-after').setValue('4');
    await w.get('#abandoned-after + select').setValue('hours');
    const waiting = w.findAll('label').find((l) => l.text() === 'Em Esperando (ninguém atendeu)')!;
    await waiting.get('input').setValue(true);
    await w.findAll('label').find((l) => l.text().startsWith('Contar só o horário de atendimento'))!.get('input').setValue(true);
    await w.get('form').trigger('submit');
    await flushPromises();
    expect(sent().autoClose).toMatchObject({ businessTime: true, abandoned: { enabled: true, afterMinutes: 240, inBot: true, waiting: true } });
  });
});
