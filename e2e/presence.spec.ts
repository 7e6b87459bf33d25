import { expect, test, type Page } from '@playwright/test';
import { agentPage, userMenu } from './support';

// Issue 13, presence (C4, C5, C7; DESIGN §16): a new agent who logs in is
// online, the supervisor sees it with the time in that status, a pause carries
// the admin's reason, and Sair makes them offline for the supervisor at once.

const shot = (page: Page, name: string) => page.screenshot({ path: `test-results/presence/${name}.png` });

test('logging in makes Carla online; her pause shows its reason; Sair makes her offline for the supervisor', async ({ browser }) => {
  const sup = await agentPage(browser, 'supervisor@atende.local');
  // The supervisor is online in his own header.
  await expect(sup.getByTestId('my-presence')).toContainText('Online');
  await sup.getByRole('link', { name: /Supervisão/ }).first().click();
  const carlaRow = sup.locator('[data-agent="carla"]');

  const carla = await agentPage(browser, 'carla@atende.local');
  await expect(carla.getByTestId('my-presence')).toContainText('Online');
  await expect(carlaRow.getByTestId('agent-presence')).toContainText('Online');
  await expect(carlaRow.getByTestId('agent-presence')).toContainText(/agora mesmo|há \d+ s/);

  // Carla goes to lunch: a reason the admin defined.
  await userMenu(carla, 'Carla').click();
  await carla.getByRole('menuitemradio', { name: 'Pausa: Almoço' }).click();
  await expect(carla.getByTestId('my-presence')).toContainText('Pausa: Almoço');
  await expect(carlaRow.getByTestId('agent-presence')).toContainText('Pausa: Almoço');
  await shot(sup, '01-supervisor-sees-carla-at-lunch');

  // Sair: offline at once, not after the grace period.
  await userMenu(carla, 'Carla').click();
  await carla.getByRole('menuitem', { name: 'Sair' }).click();
  await expect(carlaRow.getByTestId('agent-presence')).toContainText('Offline');
  await shot(sup, '02-supervisor-sees-carla-offline');
  await carla.context().close();
  await sup.context().close();
});
