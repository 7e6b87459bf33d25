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
const mountForm = async () => {
  const pinia = createPinia();
  setActivePinia(pinia);
  fake = new FakeBackend();
  useBackend(fake);
  const settings = defaultSettings(1);
  settings.businessHours = { ...settings.businessHours, enabled: true, days: [{ day: 1, open: '08:00', close: '18:00' }] };
  const wrapper = mount(AdminAutomationForm, { props: { settings }, global: { plugins: [pinia, i18n] }, attachTo: document.body });
  await flushPromises();
  return wrapper;
};
const sent = () => fake.commands.find((c) => c.name === 'settings.update')?.input as { businessHours: { days: unknown[] }; closingMessageFromWaiting?: boolean } | undefined;

beforeEach(() => {
  document.body.innerHTML = '';
  i18n.global.locale.value = 'pt-BR';
});

describe('business hours with a lunch break (several intervals a day)', () => {
  it('adds a second interval to Monday as a lunch break and saves both', async () => {
    const w = await mountForm();
    await w.get('button[aria-label="Adicionar intervalo na Segunda"]').trigger('click');
    expect(w.get<HTMLInputElement>('input[aria-label="Segunda, intervalo 1: Fecha"]').element.value).toBe('12:00');
    await w.get('input[aria-label="Segunda, intervalo 2: Abre"]').setValue('13:30');
    await w.get('form').trigger('submit');
    await flushPromises();
    expect(sent()?.businessHours.days).toEqual([
      { day: 1, open: '08:00', close: '12:00' },
      { day: 1, open: '13:30', close: '18:00' },
    ]);
  });

  it('refuses overlapping intervals next to the day and sends nothing', async () => {
    const w = await mountForm();
    await w.get('button[aria-label="Adicionar intervalo na Segunda"]').trigger('click');
    await w.get('input[aria-label="Segunda, intervalo 2: Abre"]').setValue('11:00');
    expect(w.text()).toContain('Os intervalos deste dia se sobrepõem.');
    await w.get('form').trigger('submit');
    await flushPromises();
    expect(sent()).toBeUndefined();
  });

  it('removes an interval, and saves "closing message from Esperando"', async () => {
    const w = await mountForm();
    await w.get('button[aria-label="Adicionar intervalo na Segunda"]').trigger('click');
    await w.get('button[aria-label="Remover o intervalo 1 de Segunda"]').trigger('click');
    await w.get('[data-testid="closing-from-waiting"]').setValue(true);
    await w.get('form').trigger('submit');
    await flushPromises();
    expect(sent()).toMatchObject({ closingMessageFromWaiting: true, businessHours: { days: [{ day: 1, open: '13:00', close: '18:00' }] } });
  });
});

describe('satisfaction survey per channel', () => {
  it('turns the survey on with its question, thanks and expiry, and keeps it when the channel is saved again', async () => {
    const { default: AdminChannelDialog } = await import('@/components/admin/AdminChannelDialog.vue');
    const { defineComponent, h, ref } = await import('vue');
    const pinia = createPinia();
    setActivePinia(pinia);
    fake = new FakeBackend();
    useBackend(fake);
    const channel = { id: 'site', type: 'webchat' as const, name: 'Chat do site', defaultSectorId: null, bot: { enabled: false, greeting: '', menu: [], invalidOption: '' }, active: true, updatedAt: 1 };
    const open = ref(true);
    const Host = defineComponent({ setup: () => () => h(AdminChannelDialog, { channel, open: open.value, 'onUpdate:open': (v: boolean) => (open.value = v) }) });
    mount(Host, { global: { plugins: [pinia, i18n] }, attachTo: document.body });
    await flushPromises();
    (document.querySelector('[data-testid="channel-survey-enabled"]') as HTMLInputElement).click();
    await flushPromises();
    const question = document.getElementById('channel-survey-question') as HTMLTextAreaElement;
    expect(question.value).toMatch(/de 1 \(muito ruim\) a 5/);
    question.value = 'De 1 a 5, como foi?';
    question.dispatchEvent(new Event('input'));
    const amount = document.getElementById('channel-survey-expires') as HTMLInputElement;
    amount.value = '2';
    amount.dispatchEvent(new Event('input'));
    const unit = amount.nextElementSibling as HTMLSelectElement;
    unit.value = 'hours';
    unit.dispatchEvent(new Event('change'));
    await flushPromises();
    [...document.body.querySelectorAll('button')].find((b) => b.textContent?.trim() === 'Salvar')!.click();
    await flushPromises();
    expect(fake.commands[0]).toMatchObject({ name: 'channel.save', input: { id: 'site', survey: { enabled: true, question: 'De 1 a 5, como foi?', thanks: 'Obrigado pela avaliação!', expiresMinutes: 120 } } });
  });
});
