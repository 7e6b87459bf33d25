import { flushPromises, mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import { createMemoryHistory, createRouter } from 'vue-router';
import LoginPage from '@/pages/LoginPage.vue';
import { BackendError, useBackend } from '@/backend';
import { i18n } from '@/i18n';
import { FakeBackend, user } from './fixtures';

let fake: FakeBackend;

const mountLogin = async () => {
  const pinia = createPinia();
  setActivePinia(pinia);
  fake = new FakeBackend();
  useBackend(fake);
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [
      { path: '/login', name: 'login', component: LoginPage },
      { path: '/', name: 'home', component: { template: '<p>home</p>' } },
    ],
  });
  await router.push('/login');
  const w = mount(LoginPage, { global: { plugins: [pinia, i18n, router] } });
  return { w, router };
};

const submit = async (w: Awaited<ReturnType<typeof mountLogin>>['w'], password: string) => {
  await w.get('input[type="email"]').setValue('ana@atende.local');
  await w.get('input[type="password"]').setValue(password);
  await w.get('form').trigger('submit');
  await flushPromises();
};

beforeEach(() => {
  document.body.innerHTML = '';
});

describe('LoginPage', () => {
  it('labels its fields and says so when the password is wrong', async () => {
    const { w } = await mountLogin();
    expect(w.get('label[for="login-email"]').text()).toBe('E-mail');
    expect(w.get('label[for="login-password"]').text()).toBe('Senha');
    fake.signIn = async () => {
      throw new BackendError('unauthenticated', 'Wrong e-mail or password', [], 401);
    };
    await submit(w, 'errada');
    expect(w.get('[role="alert"]').text()).toBe('E-mail ou senha incorretos');
    expect((w.get('input[type="password"]').element as HTMLInputElement).value).toBe('');
  });

  it('explains the rate limit', async () => {
    const { w } = await mountLogin();
    fake.signIn = async () => {
      throw new BackendError('resource-exhausted', 'Too many attempts', [], 429);
    };
    await submit(w, 'errada');
    expect(w.get('[role="alert"]').text()).toContain('Muitas tentativas');
  });

  it('goes into the console after signing in', async () => {
    const { w, router } = await mountLogin();
    fake.signIn = async () => user();
    await submit(w, 'atende123');
    expect(router.currentRoute.value.name).toBe('home');
    const queries = fake.subscriptions.map((s) => s.query);
    expect(queries).toEqual(expect.arrayContaining(['tickets.waiting', 'tickets.mine', 'sectors.all', 'users.all']));
    // The tab counts are the lists' lengths while the lists are whole: no counters listener yet.
    expect(queries).not.toContain('counters');
  });
});
