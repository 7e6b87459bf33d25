import { expect, type Browser, type Page } from '@playwright/test';

export const DEMO_PASSWORD = 'atende123';

export const loginForm = (page: Page) => ({
  email: page.getByLabel(/e-?mail/i),
  password: page.getByLabel(/senha|password/i),
  submit: page.getByRole('button', { name: /^(Entrar|Sign in|Log in)$/i }),
});

/** The shell's account button ("Status e conta de <name>"): it shows who is signed in. */
export const userMenu = (page: Page, name: string) => page.getByRole('button', { name: new RegExp(`conta de ${name}`) });

/** Signs in through the real login page and waits for the shell. */
export async function login(page: Page, email: string, password = DEMO_PASSWORD) {
  await page.goto('/');
  const form = loginForm(page);
  await form.email.fill(email);
  await form.password.fill(password);
  await form.submit.click();
  await expect(form.password).toHaveCount(0);
}

/** A fresh browser context (its own cookies), signed in as `email`. */
export async function agentPage(browser: Browser, email: string) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await login(page, email);
  return page;
}
