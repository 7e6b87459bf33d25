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

  it('names a malformed configuration document to admins, and tells agents only that part of it is left out', async () => {
    const report = { path: 'quickReplies/quebrada', message: 'O documento quickReplies/quebrada está malformado (shortcut: deve ser string, e é number); corrija-o no console do Firebase.', issues: [] };
    const admin = await mountShell(user({ id: 'admin', name: 'Alice Admin', role: 'admin' }));
    expect(admin.w.find('[data-testid="malformed-notice"]').exists()).toBe(false);
    admin.fake.emit('quickReplies.all', { type: 'snapshot', docs: [], malformed: [report] });
    await flushPromises();
    expect(admin.w.get('[data-testid="malformed-notice"]').text()).toContain(report.message);
    // Fixed: the next load has it among the good ones.
    admin.fake.emit('quickReplies.all', { type: 'snapshot', docs: [] });
    await flushPromises();
    expect(admin.w.find('[data-testid="malformed-notice"]').exists()).toBe(false);

    const agent = await mountShell();
    agent.fake.emit('quickReplies.all', { type: 'snapshot', docs: [], malformed: [report] });
    await flushPromises();
    const notice = agent.w.get('[data-testid="malformed-notice"]').text();
    expect(notice).toContain('Avise um administrador');
    expect(notice).not.toContain('quickReplies/quebrada');
  });
});
