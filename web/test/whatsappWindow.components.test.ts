import { mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Ticket } from '@atende/core';
import ConversationChannelBar from '@/components/conversation/whatsapp/ConversationChannelBar.vue';
import { i18n } from '@/i18n';
import { ticket } from './fixtures';

/**
 * The closed WhatsApp window says why it is closed, truly: the customer's last
 * message is too old, WhatsApp refused a reply (131047: its clock closed the
 * window though the customer did write), or the customer never wrote on this number.
 */
const HOUR = 60 * 60 * 1000;
const zap = (fields: Partial<Ticket>): Ticket => ticket('t-zap', { channelId: 'zap', channelType: 'whatsapp', status: 'open', assigneeId: 'ana', ...fields });

let pinia: ReturnType<typeof createPinia>;
beforeEach(() => {
  pinia = createPinia();
  setActivePinia(pinia);
});
const closedBar = (t: Ticket) =>
  mount(ConversationChannelBar, { props: { ticket: t, canReply: true }, global: { plugins: [i18n, pinia] } }).get('[data-testid="reply-window"][data-closed="true"]');

describe('the closed WhatsApp window in the conversation', () => {
  it('after WhatsApp refused a reply (131047) says WhatsApp closed it, not that the customer never wrote', () => {
    const bar = closedBar(zap({ windowFrom: null, windowClosedAt: Date.now() - 60_000, lastCustomerMessageAt: Date.now() - HOUR }));
    expect(bar.text()).toContain('A janela de 24 horas do WhatsApp está fechada.');
    expect(bar.text()).toContain('O WhatsApp recusou uma resposta: para ele, a janela já tinha fechado.');
    expect(bar.text()).not.toContain('ainda não respondeu');
    expect(bar.get('button').text()).toBe('Enviar modelo');
  });

  it('says the customer has not answered on this number when they never wrote here', () => {
    expect(closedBar(zap({ windowFrom: null, windowClosedAt: null })).text()).toContain('O cliente ainda não respondeu neste número.');
  });

  it('says the customer has not written for 24 hours when the window ran out', () => {
    expect(closedBar(zap({ windowFrom: Date.now() - 25 * HOUR })).text()).toContain('O cliente não escreve há mais de 24 horas.');
  });
});
