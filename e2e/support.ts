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

/** A queue card: the list item that names `contact`. */
export const queueCard = (page: Page, contact: string) => page.getByRole('listitem').filter({ hasText: contact });

/**
 * Searches Esperando for one customer and waits until the list holds only that card. The search applies 120 ms
 * after typing: a card already on screen before it (a short queue) then jumps to the top, and a click aimed at
 * where it was is lost — the suspected cause of one run under load where Atender was clicked and nothing happened.
 */
export const findAlone = async (page: Page, contact: string) => {
  await page.getByRole('searchbox', { name: 'Buscar' }).fill(contact);
  await expect(page.getByRole('list', { name: /Esperando/ }).getByRole('listitem')).toHaveCount(1);
  await expect(queueCard(page, contact)).toHaveCount(1);
};
