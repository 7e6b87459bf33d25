import { mount } from '@vue/test-utils';
import type { Channel } from '@atende/core';
import { describe, expect, it } from 'vitest';
import AdminChannelHealth from '@/components/admin/AdminChannelHealth.vue';
import { i18n } from '@/i18n';

const channel = (fields: Partial<Channel>): Channel => ({
  id: 'c1',
  type: 'instagram',
  name: 'Instagram',
  defaultSectorId: null,
  bot: { enabled: false, greeting: '', menu: [], invalidOption: '' },
  active: true,
  updatedAt: 1,
  ...fields,
});
const health = (fields: Partial<Channel>) => mount(AdminChannelHealth, { props: { channel: channel(fields) }, global: { plugins: [i18n] } }).text();

describe('Administração › Canais: the Conexão column says something for every channel (it said "—" for Instagram and e-mail)', () => {
  it('a connected Instagram account or mailbox: Conectado and through what', () => {
    expect(health({ type: 'instagram', account: { id: '300000000000001', businessId: null, display: '@atende.demo' } })).toBe('Conectado@atende.demo');
    expect(health({ type: 'email', account: { id: 'suporte@atende.local', businessId: null, display: null } })).toBe('Conectadosuporte@atende.local');
  });

  it('not connected, refused credentials, and the web chat that needs no provider', () => {
    expect(health({ type: 'email', account: null })).toBe('Não conectado');
    expect(health({ type: 'instagram', account: { id: '1', businessId: null, display: '@x' }, health: { status: 'attention', at: 1, failure: null } })).toBe('Precisa de atenção@x');
    expect(health({ type: 'webchat' })).toBe('Neste servidor (widget)');
  });
});
