import { flushPromises, mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { describe, expect, it } from 'vitest';
import { createMemoryHistory, createRouter } from 'vue-router';
import ShellLayout from '@/components/shell/ShellLayout.vue';
import { useBackend } from '@/backend';
import { i18n } from '@/i18n';
import { useSessionStore } from '@/stores/session';
import { FakeBackend, ticket, user } from './fixtures';

const mountShell = async (who = user()) => {
  const pinia = createPinia();
  setActivePinia(pinia);
  const fake = new FakeBackend();
  fake.signIn = async () => who;
  useBackend(fake);
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [
      { path: '/', component: ShellLayout, children: [{ path: '', name: 'tickets', component: { template: '<p>fila</p>' }, meta: { title: 'nav.tickets' } }] },
      { path: '/supervisao', name: 'supervision', component: { template: '<p/>' } },
      { path: '/historico', name: 'history', component: { template: '<p/>' } },
      { path: '/relatorios', name: 'reports', component: { template: '<p/>' } },
      { path: '/admin', name: 'admin', component: { template: '<p/>' } },
      { path: '/login', name: 'login', component: { template: '<p>login</p>' } },
    ],
  });
  await useSessionStore().signIn(who.email, 'x');
  await router.push('/');
  const w = mount({ template: '<RouterView />' }, { global: { plugins: [pinia, i18n, router] } });
  await flushPromises();
  return { w, fake };
};

describe('shell', () => {
  it('shows navigation by role, the user with presence, and the page title', async () => {
    const agent = await mountShell();
    const links = agent.w.findAll('nav a').map((a) => a.text());
    expect(links).toEqual(['Atendimentos', 'Histórico']);
    expect(agent.w.get('[data-testid="user-menu"]').text()).toContain('Ana Souza');
    expect(agent.w.get('[data-testid="user-menu"]').text()).toContain('Online');
    expect(agent.w.get('header h1').text()).toBe('Atendimentos');

    const admin = await mountShell(user({ id: 'admin', name: 'Alice Admin', role: 'admin' }));
    expect(admin.w.findAll('nav a').map((a) => a.text())).toEqual(['Atendimentos', 'Supervisão', 'Histórico', 'Relatórios', 'Administração']);
  });

  it('counts waiting tickets and unread customer messages in the tab title', async () => {
    const { fake } = await mountShell();
    fake.emit('tickets.waiting', { type: 'snapshot', docs: [ticket('w1'), ticket('w2')] });
    fake.emit('tickets.mine', { type: 'snapshot', docs: [ticket('m', { status: 'open', assigneeId: 'ana', unread: 3 })] });
    await flushPromises();
    expect(document.title).toBe('(5) Atende');
    fake.emit('tickets.waiting', { type: 'changes', changes: [{ type: 'removed', doc: ticket('w1') }, { type: 'removed', doc: ticket('w2') }] });
    fake.emit('tickets.mine', { type: 'changes', changes: [{ type: 'modified', doc: ticket('m', { status: 'open', assigneeId: 'ana', unread: 0, updatedAt: 2000 }) }] });
    await flushPromises();
    expect(document.title).toBe('Atende');
  });
});
