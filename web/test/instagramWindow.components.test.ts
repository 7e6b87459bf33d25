import { mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Channel, Ticket } from '@atende/core';
import ConversationChannelBar from '@/components/conversation/whatsapp/ConversationChannelBar.vue';
import MessageChannelExtras from '@/components/conversation/whatsapp/MessageChannelExtras.vue';
import WindowBadge from '@/components/conversation/whatsapp/WindowBadge.vue';
import { i18n } from '@/i18n';
import { useCatalogStore } from '@/stores/catalog';
import { useTicketsStore } from '@/stores/tickets';
import { message, ticket } from './fixtures';

/**
 * Instagram's reply window in the conversation (issue 16), from core's rule:
 * 24 hours after the customer's last DM, 7 days when the channel has the
 * human-agent tag; once closed only the customer can reopen it, so no
 * template is offered. Failures read in Instagram's words.
 */
const HOUR = 60 * 60 * 1000;
const instagram = (humanAgentTag: boolean): Channel => ({
  id: 'instagram',
  type: 'instagram',
  name: 'Instagram',
  defaultSectorId: 'suporte',
  bot: { enabled: false, greeting: '', menu: [], invalidOption: '' },
  active: true,
  humanAgentTag,
  updatedAt: 1,
});
const igTicket = (sinceCustomerMs: number): Ticket =>
  ticket('t-ig', { channelId: 'instagram', channelType: 'instagram', status: 'open', assigneeId: 'ana', windowFrom: Date.now() - sinceCustomerMs });

let pinia: ReturnType<typeof createPinia>;
beforeEach(() => {
  pinia = createPinia();
  setActivePinia(pinia);
});
const bar = (t: Ticket) => mount(ConversationChannelBar, { props: { ticket: t, canReply: true }, global: { plugins: [i18n, pinia] } });

describe('the Instagram reply window in the conversation', () => {
  it('shows the time left of the 24-hour window, without the template button', () => {
    useCatalogStore().channels.set('instagram', instagram(false));
    const w = bar(igTicket(2 * HOUR));
    const line = w.get('[data-testid="reply-window"]');
    expect(line.get('[data-testid="reply-window-long"]').text()).toMatch(/^Janela de 24 h: .+ restantes$/);
    // A narrow window shows the short form instead (a container query: both are in the DOM).
    expect(line.get('[data-testid="reply-window-short"]').text()).toMatch(/^Janela: .+$/);
    expect(line.attributes('data-closed')).toBeUndefined();
    expect(w.text()).not.toContain('Enviar modelo');
  });

  it('once closed, says only the customer can reopen it (no template on Instagram)', () => {
    useCatalogStore().channels.set('instagram', instagram(false));
    const w = bar(igTicket(25 * HOUR));
    const closed = w.get('[data-testid="reply-window"][data-closed="true"]');
    expect(closed.text()).toContain('A janela de 24 horas do Instagram está fechada.');
    expect(closed.text()).toContain('Só ele pode reabrir a conversa');
    expect(w.findAll('button').map((b) => b.text())).not.toContain('Enviar modelo');
  });

  it('with the human-agent tag the same ticket is still open for seven days, and the card badge says 7d once it closes', () => {
    useCatalogStore().channels.set('instagram', instagram(true));
    expect(bar(igTicket(25 * HOUR)).get('[data-testid="reply-window-long"]').text()).toMatch(/^Janela de 7 dias \(agente humano\): .+ restantes$/);
    const badge = mount(WindowBadge, { props: { ticket: igTicket(8 * 24 * HOUR) }, global: { plugins: [i18n, pinia] } });
    expect(badge.get('[data-testid="window-closed-badge"]').text()).toContain('7d');
    expect(badge.get('[data-testid="window-closed-badge"]').attributes('title')).toBe('A janela de 7 dias do Instagram está fechada');
    expect(mount(WindowBadge, { props: { ticket: igTicket(HOUR) }, global: { plugins: [i18n, pinia] } }).find('[data-testid="window-closed-badge"]').exists()).toBe(false);
  });

  it("says a failed delivery in Instagram's words, and offers no template for a closed window", () => {
    useTicketsStore().byId.set('t-ig', igTicket(25 * HOUR));
    const failed = message('m1', { ticketId: 't-ig', direction: 'out', status: 'failed', deliveryFailure: { code: 'window-closed', providerCode: 2534022, detail: 'outside of allowed window' } });
    const w = mount(MessageChannelExtras, { props: { message: failed }, global: { plugins: [i18n, pinia] } });
    expect(w.get('[data-testid="delivery-failure"]').text()).toContain('a janela de resposta do Instagram está fechada. Só o cliente pode reabrir a conversa.');
    expect(w.text()).not.toContain('Enviar modelo');
    expect(w.text()).not.toContain('Tentar de novo');
  });

  it('an e-mail failure names the mail server, not WhatsApp', () => {
    useTicketsStore().byId.set('t-mail', ticket('t-mail', { channelId: 'email', channelType: 'email', status: 'open' }));
    const failed = message('m2', { ticketId: 't-mail', direction: 'out', status: 'failed', deliveryFailure: { code: 'invalid-recipient', providerCode: 550, detail: 'no mailbox' } });
    const w = mount(MessageChannelExtras, { props: { message: failed }, global: { plugins: [i18n, pinia] } });
    expect(w.get('[data-testid="delivery-failure"]').text()).toContain('o servidor de e-mail recusou o endereço do cliente');
    expect(w.text()).not.toContain('WhatsApp');
  });
});
