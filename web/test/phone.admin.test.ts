import type { Settings } from '@atende/core';
import { flushPromises, mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import PhoneAdminForm from '@/components/phone/PhoneAdminForm.vue';
import { useBackend } from '@/backend';
import { iceOptions } from '@/phone/engine';
import { i18n } from '@/i18n';
import '@/i18n/admin';
import { FakeBackend } from './fixtures';

// Administração → Telefonia's STUN/TURN servers: validated field by field in pt-BR before anything is sent,
// saved with the PBX, and turned into the browser's ICE configuration.
let fake: FakeBackend;
const settings = { phone: { wsUrl: 'wss://pbx.empresa.com.br:8089/ws', domain: 'pbx.empresa.com.br' } } as unknown as Settings;

const mountForm = async () => {
  const pinia = createPinia();
  setActivePinia(pinia);
  fake = new FakeBackend();
  useBackend(fake);
  mount(PhoneAdminForm, { props: { settings }, global: { plugins: [pinia, i18n] }, attachTo: document.body });
  await flushPromises();
};
const button = (text: string) => [...document.body.querySelectorAll<HTMLButtonElement>('button')].find((b) => b.textContent?.trim() === text)!;
const input = (label: string) => document.body.querySelector<HTMLInputElement>(`input[aria-label="${label}"]`)!;
const type = async (el: HTMLInputElement, value: string) => {
  el.value = value;
  el.dispatchEvent(new Event('input'));
  await flushPromises();
};

beforeEach(() => {
  document.body.innerHTML = '';
});

describe('STUN/TURN servers of the softphone', () => {
  it('a TURN server asks for its username and password, and neither bad row is sent', async () => {
    await mountForm();
    button('Adicionar servidor').click();
    await flushPromises();
    expect(input('Usuário do servidor 1')).toBeNull();
    await type(input('Endereço do servidor 1'), 'turn:turn.empresa.com.br:3478');
    button('Adicionar servidor').click();
    await flushPromises();
    await type(input('Endereço do servidor 2'), 'https://stun.empresa.com.br');
    button('Salvar').click();
    await flushPromises();
    expect(fake.commands).toHaveLength(0);
    expect(document.getElementById('ice-0-username-error')?.textContent).toBe('Um servidor TURN precisa do usuário');
    expect(document.getElementById('ice-0-credential-error')?.textContent).toBe('Um servidor TURN precisa da senha');
    expect(document.getElementById('ice-1-url-error')?.textContent).toMatch(/^Use um endereço STUN ou TURN/);
  });

  it('saves STUN and TURN with the PBX (empty rows dropped) and the browser gets them as ICE servers', async () => {
    await mountForm();
    for (let i = 0; i < 3; i++) button('Adicionar servidor').click();
    await flushPromises();
    await type(input('Endereço do servidor 1'), 'stun:stun.empresa.com.br:3478');
    await type(input('Endereço do servidor 3'), 'turn:turn.empresa.com.br:3478');
    await type(input('Usuário do servidor 3'), 'atende');
    await type(input('Senha do servidor 3'), 'segredo-turn');
    button('Salvar').click();
    await flushPromises();
    expect(fake.commands).toHaveLength(1);
    const { name, input: sent } = fake.commands[0]!;
    expect(name).toBe('settings.update');
    const iceServers = (sent as { phone: { iceServers: { url: string; username: string; credential: string }[] } }).phone.iceServers;
    expect(iceServers).toEqual([
      { url: 'stun:stun.empresa.com.br:3478', username: '', credential: '' },
      { url: 'turn:turn.empresa.com.br:3478', username: 'atende', credential: 'segredo-turn' },
    ]);
    expect(iceOptions(iceServers)).toEqual({
      iceGatheringTimeout: 3000,
      peerConnectionConfiguration: { iceServers: [{ urls: 'stun:stun.empresa.com.br:3478' }, { urls: 'turn:turn.empresa.com.br:3478', username: 'atende', credential: 'segredo-turn' }] },
    });
    expect(iceOptions([]).iceGatheringTimeout).toBe(500);
  });
});
