import { expect, test } from '@playwright/test';
import { login, loginForm, userMenu } from './support.ts';

// Issue 2: a demo agent signs in through the real login page and sees the shell.
test.describe('login', () => {
  test('a demo agent signs in, sees the shell with her name, and logs out', async ({ page }) => {
    // Issue 10: the console runs under script-src 'self', and nothing it does breaks that policy.
    const violations: string[] = [];
    page.on('console', (m) => {
      if (/Content Security Policy/i.test(m.text())) violations.push(m.text());
    });
    const first = await page.goto('/');
    expect(first?.headers()['content-security-policy']).toContain("script-src 'self'");
    await login(page, 'ana@atende.local');
    const account = userMenu(page, 'Ana Souza');
    await expect(account).toBeVisible();
    await account.click();
    await expect(page.getByRole('menu').getByText('Ana Souza')).toBeVisible();
    await page.keyboard.press('Escape');
    // The agent's navigation; admin-only entries are not offered to an agent.
    await expect(page.getByRole('link', { name: /Atendimentos/ }).first()).toBeVisible();
    await expect(page.getByRole('link', { name: /Administração/ })).toHaveCount(0);
    await page.screenshot({ path: 'test-results/login-shell.png' });
    expect(violations).toEqual([]);

    // A reload keeps the session (HttpOnly cookie), so the shell comes back.
    await page.reload();
    await expect(account).toBeVisible();

    await account.click();
    await page.getByRole('menuitem', { name: 'Sair' }).click();
    await expect(loginForm(page).password).toBeVisible();
    // The session really ended: the API no longer knows us.
    const me = await page.request.get('/api/auth/me');
    expect(me.status()).toBe(401);
  });

  test('a wrong password shows an error and keeps the login page', async ({ page }) => {
    await page.goto('/');
    const form = loginForm(page);
    await form.email.fill('ana@atende.local');
    await form.password.fill('not-the-password');
    await form.submit.click();
    await expect(page.getByRole('alert').filter({ hasText: 'E-mail ou senha incorretos' })).toBeVisible();
    await expect(form.password).toBeVisible();
    await expect(userMenu(page, 'Ana Souza')).toHaveCount(0);
    await page.screenshot({ path: 'test-results/login-wrong-password.png' });
  });

  test('a session that ends while the console works leads back to the login page, which says why; no 401 in the console on load', async ({ page }) => {
    const errors: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    await page.goto('/');
    await expect(loginForm(page).password).toBeVisible();
    // Issue 13: asking "who is signed in?" when nobody is must not log an error at every page load.
    expect(errors).toEqual([]);
    await login(page, 'carla@atende.local');
    await expect(userMenu(page, 'Carla Dias')).toBeVisible();
    await page.goto('/historico');
    await expect(page.getByRole('heading', { name: 'Histórico' }).first()).toBeVisible();

    // The session ends on the server (expiry, logout in another tab): the console notices on its own.
    expect((await page.request.post('/api/auth/logout')).status()).toBe(204);
    const notice = page.getByTestId('session-ended');
    await expect(notice).toHaveText(/Sua sessão terminou/, { timeout: 20_000 });
    await expect(loginForm(page).password).toBeVisible();
    await page.screenshot({ path: 'test-results/login-session-ended.png' });

    // Signing in again goes back to where the person was.
    const form = loginForm(page);
    await form.email.fill('carla@atende.local');
    await form.password.fill('atende123');
    await form.submit.click();
    await expect(page).toHaveURL(/\/historico$/);
    await expect(notice).toHaveCount(0);
  });

  test('an admin sees the admin navigation', async ({ page }) => {
    await login(page, 'admin@atende.local');
    await expect(page.getByRole('link', { name: /Administração/ }).first()).toBeVisible();
    await expect(page.getByRole('link', { name: /Supervisão/ }).first()).toBeVisible();
  });
});
