import type { Sector, User } from '@atende/core';
import { flushPromises, mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import { defineComponent, h, ref } from 'vue';
import TicketCloseDialog from '@/components/ticket/TicketCloseDialog.vue';
import TicketTransferDialog from '@/components/ticket/TicketTransferDialog.vue';
import { BackendError, useBackend } from '@/backend';
import { i18n } from '@/i18n';
import { useCatalogStore } from '@/stores/catalog';
import { useSessionStore } from '@/stores/session';
import { FakeBackend, ticket, user } from './fixtures';

let fake: FakeBackend;
const sector = (id: string, name: string): Sector => ({ id, name, color: '#2563eb', overflowSectorId: null, updatedAt: 1 });

const setup = async () => {
  const pinia = createPinia();
  setActivePinia(pinia);
  fake = new FakeBackend();
  fake.signIn = async () => user();
  useBackend(fake);
  await useSessionStore().signIn('ana@atende.local', 'x');
  const catalog = useCatalogStore();
  catalog.apply('sectors', { type: 'snapshot', docs: [sector('suporte', 'Suporte'), sector('financeiro', 'Financeiro')] });
  const team: User[] = [
    user({ id: 'bruno', name: 'Bruno Lima', sectorIds: ['financeiro'], presence: 'offline' }),
    user({ id: 'carla', name: 'Carla Dias', sectorIds: ['suporte', 'financeiro'], presence: 'online' }),
    user({ id: 'davi', name: 'Davi Reis', sectorIds: ['financeiro'], presence: 'paused' }),
  ];
  catalog.apply('users', { type: 'snapshot', docs: team });
  catalog.apply('classifications', { type: 'snapshot', docs: [{ id: 'duvida', name: 'Dúvida resolvida', updatedAt: 1 }] });
  catalog.apply('channels', {
    type: 'snapshot',
    docs: [
      { id: 'site', type: 'webchat', name: 'Chat do site', defaultSectorId: null, bot: { enabled: false, greeting: '', menu: [], invalidOption: '' }, active: true, updatedAt: 1 },
      { id: 'zap', type: 'whatsapp', name: 'WhatsApp', defaultSectorId: null, bot: { enabled: false, greeting: '', menu: [], invalidOption: '' }, active: true, updatedAt: 1 },
      { id: 'site2', type: 'webchat', name: 'Chat da loja', defaultSectorId: null, bot: { enabled: false, greeting: '', menu: [], invalidOption: '' }, active: true, updatedAt: 1 },
    ],
  });
  return pinia;
};

const host = (pinia: ReturnType<typeof createPinia>, dialog: typeof TicketCloseDialog | typeof TicketTransferDialog) => {
  const open = ref<ReturnType<typeof ticket> | null>(null);
  const Host = defineComponent({ setup: () => () => h(dialog, { modelValue: open.value, 'onUpdate:modelValue': (v: unknown) => (open.value = v as typeof open.value) }) });
  const w = mount(Host, { global: { plugins: [pinia, i18n] }, attachTo: document.body });
  return { w, open };
};

const byText = (selector: string, text: string) => [...document.body.querySelectorAll<HTMLElement>(selector)].find((e) => e.textContent?.trim() === text)!;

beforeEach(() => {
  document.body.innerHTML = '';
});

describe('Finalizar dialog', () => {
  it('reminds to classify and closes with the chosen classification', async () => {
    const pinia = await setup();
    const { open } = host(pinia, TicketCloseDialog);
    open.value = ticket('t1', { status: 'open', assigneeId: 'ana' });
    await flushPromises();
    const dialog = document.body.querySelector('[role="dialog"]')!;
    expect(dialog.textContent).toContain('Lembre-se de classificar');
    const select = document.getElementById('close-classification') as HTMLSelectElement;
    expect(document.querySelector('label[for="close-classification"]')!.textContent).toBe('Classificação');
    select.value = [...select.options].find((o) => o.text === 'Dúvida resolvida')!.value;
    select.dispatchEvent(new Event('change'));
    byText('button', 'Finalizar').click();
    await flushPromises();
    expect(fake.commands[0]).toMatchObject({ name: 'ticket.close', input: { ticketId: 't1', classificationId: 'duvida' } });
    fake.commands[0]!.resolve({ ticket: ticket('t1', { status: 'closed', classificationId: 'duvida', updatedAt: 2000 }) });
    await flushPromises();
    expect(open.value).toBeNull();
  });

  it('cancels without closing anything', async () => {
    const pinia = await setup();
    const { open } = host(pinia, TicketCloseDialog);
    open.value = ticket('t1');
    await flushPromises();
    byText('button', 'Cancelar').click();
    await flushPromises();
    expect(open.value).toBeNull();
    expect(fake.commands).toHaveLength(0);
  });
});

describe('Transfer dialog', () => {
  it('lists the agents of the chosen sector, online first, and transfers to one of them', async () => {
    const pinia = await setup();
    const { open } = host(pinia, TicketTransferDialog);
    open.value = ticket('t1', { status: 'open', assigneeId: 'ana', sectorId: 'suporte' });
    await flushPromises();
    byText('[role="tab"]', 'Atendente').dispatchEvent(new MouseEvent('mousedown', { bubbles: true }));
    await flushPromises();
    const sectorSelect = document.getElementById('transfer-agent-sector') as HTMLSelectElement;
    sectorSelect.value = 'financeiro';
    sectorSelect.dispatchEvent(new Event('change'));
    await flushPromises();
    const names = [...document.body.querySelectorAll('input[name="transfer-agent"]')].map((i) => i.closest('label')!.textContent!.replace(/\s+/g, ' ').trim());
    expect(names).toEqual(['Carla DiasOnline', 'Davi ReisPausa', 'Bruno LimaOffline']);
    (document.body.querySelector('input[value="davi"]') as HTMLInputElement).click();
    await flushPromises();
    byText('button', 'Transferir').click();
    await flushPromises();
    expect(fake.commands[0]).toMatchObject({ name: 'ticket.transfer', input: { ticketId: 't1', assigneeId: 'davi', sectorId: 'financeiro' } });
  });

  it("offers only channels of the conversation's type and shows the server's refusal", async () => {
    const pinia = await setup();
    const { open } = host(pinia, TicketTransferDialog);
    open.value = ticket('t1', { status: 'open', assigneeId: 'ana', channelId: 'site', channelType: 'webchat' });
    await flushPromises();
    byText('[role="tab"]', 'Canal').dispatchEvent(new MouseEvent('mousedown', { bubbles: true }));
    await flushPromises();
    const channels = [...document.body.querySelectorAll<HTMLInputElement>('input[name="transfer-channel"]')].map((i) => i.value);
    expect(channels).toEqual(['site2']);
    document.body.querySelector<HTMLInputElement>('input[value="site2"]')!.click();
    await flushPromises();
    byText('button', 'Transferir').click();
    await flushPromises();
    fake.commands[0]!.reject(new BackendError('failed-precondition', 'Channel Chat da loja is inactive', [], 409));
    await flushPromises();
    expect(document.body.querySelector('[role="alert"]')!.textContent).toContain('O canal Chat da loja está desativado');
    expect(open.value).not.toBeNull();
  });
});
