import { flushPromises, mount, type VueWrapper } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createMemoryHistory, createRouter } from 'vue-router';
import App from '@/App.vue';
import TicketsPage from '@/pages/TicketsPage.vue';
import { BackendError, useBackend } from '@/backend';
import { sharedTimerCount } from '@/composables/useNow';
import { i18n } from '@/i18n';
import { useSessionStore } from '@/stores/session';
import { FakeBackend, ticket, user } from './fixtures';

/** Buttons by accessible name: the label, or the aria-label of one folded to its icon. */
const named = (w: VueWrapper, name: string) =>
  w.findAll('button').filter((b) => (b.attributes('aria-label') ?? b.text().trim()) === name);

let fake: FakeBackend;

const mountPage = async () => {
  const pinia = createPinia();
  setActivePinia(pinia);
  fake = new FakeBackend();
  fake.signIn = async () => user();
  useBackend(fake);
  const router = createRouter({ history: createMemoryHistory(), routes: [{ path: '/atendimentos/:ticketId?', name: 'tickets', component: TicketsPage }] });
  await useSessionStore().signIn('ana@atende.local', 'atende123');
  await router.push('/atendimentos');
  const w = mount(App, { global: { plugins: [pinia, i18n, router] }, attachTo: document.body });
  await flushPromises();
  fake.emit('tickets.waiting', { type: 'snapshot', docs: [ticket('a', { contact: { name: 'Maria Oliveira', phone: null, email: null } }), ticket('b'), ticket('c')] });
  fake.emit('tickets.mine', { type: 'snapshot', docs: [] });
  await flushPromises();
  return { w, router };
};

// happy-dom does no layout: give elements a viewport-sized box so the virtual list renders rows.
beforeAll(() => {
  Object.defineProperty(HTMLElement.prototype, 'clientHeight', { configurable: true, get: () => 720 });
  Object.defineProperty(HTMLElement.prototype, 'clientWidth', { configurable: true, get: () => 380 });
});

beforeEach(() => {
  document.body.innerHTML = '';
});

describe('Atendimentos', () => {
  it('lists waiting tickets with Espiar and Atender, all clocks on one shared timer', async () => {
    const { w } = await mountPage();
    const cards = w.findAll('article');
    expect(cards).toHaveLength(3);
    expect(cards[0]!.text()).toContain('Maria Oliveira');
    expect(w.findAll('button').filter((b) => b.text() === 'Atender')).toHaveLength(3);
    expect(named(w, 'Espiar')).toHaveLength(3);
    expect(sharedTimerCount()).toBe(1);
    w.unmount();
  });

  it('tells the agent who lost the race for a ticket what the server said', async () => {
    const { w } = await mountPage();
    await w.findAll('button').find((b) => b.text() === 'Atender')!.trigger('click');
    expect(fake.commands[0]).toMatchObject({ name: 'ticket.accept', input: { ticketId: 'a' } });
    fake.commands[0]!.reject(new BackendError('failed-precondition', 'Someone else has already taken this ticket', [], 409));
    await flushPromises();
    // Issue 13: the loser reads Portuguese, never the server's English.
    expect(document.body.querySelector('[role="alert"]')?.textContent).toContain('Outra pessoa já está atendendo este cliente');
    expect(document.body.textContent).not.toContain('Someone else');
    w.unmount();
  });

  it('opens a peeked ticket read-only, with the composer explaining why', async () => {
    const { w, router } = await mountPage();
    await named(w, 'Espiar')[0]!.trigger('click');
    await flushPromises();
    expect(router.currentRoute.value.params.ticketId).toBe('a');
    fake.emit('messages.ofTicket', { type: 'snapshot', docs: [] });
    await flushPromises();
    const box = w.get('textarea[aria-label="Mensagem"]');
    expect(box.attributes('disabled')).toBeDefined();
    expect(w.text()).toContain('Clique em Atender para responder');
    w.unmount();
  });
});
