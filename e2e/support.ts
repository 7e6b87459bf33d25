import { expect, type Browser, type Locator, type Page } from '@playwright/test';

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

/** The list of the queue tab on screen ("Lista: Esperando", "Lista: Em atendimento", …). */
const queueList = (page: Page) => page.getByRole('list', { name: /^Lista: / });

/**
 * Searches the queue for `term` (a run's id, which several cards may hold) and waits until the list on screen has
 * applied it: it shows `contact`'s card and no card without `term`. Checked as one condition of the list, so a list
 * still loading, or one whose cards all matched before the search, cannot pass before the search moved them (see
 * findAlone). Returns the card, inside that list.
 */
export const searchQueue = async (page: Page, term: string, contact: string) => {
  await page.getByRole('searchbox', { name: 'Buscar' }).fill(term);
  const card = page.getByRole('listitem').filter({ hasText: contact });
  const settled = queueList(page).filter({ has: card, hasNot: page.getByRole('listitem').filter({ hasNotText: term }) });
  await expect(settled).toBeVisible();
  return settled.getByRole('listitem').filter({ hasText: contact });
};

/**
 * Searches the queue for a customer who has not written yet, and waits until the search has applied: the tab shows
 * its "no ticket with these filters" state. A card that arrives afterwards lands in a list that will not move again.
 */
export const searchQueueBeforeArrival = async (page: Page, term: string) => {
  await page.getByRole('searchbox', { name: 'Buscar' }).fill(term);
  await expect(page.getByText('Nenhum atendimento com esses filtros.')).toBeVisible();
};

/** Pixels left in a text box beside its placeholder, measured in its own font (negative: the placeholder is cut). */
export const placeholderRoom = (box: Locator) =>
  box.evaluate((el: HTMLTextAreaElement | HTMLInputElement) => {
    const style = getComputedStyle(el);
    const pen = document.createElement('canvas').getContext('2d')!;
    pen.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
    return el.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight) - pen.measureText(el.placeholder).width;
  });
