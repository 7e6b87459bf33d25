// @vitest-environment happy-dom
/** What the widget's screens do differently when the transport is Firebase's. */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { explainError, WidgetError, type SessionInput, type WidgetApi } from '../src/widget/api.ts';
import { t } from '../src/widget/i18n.ts';
import { app } from '../src/widget/view/app.ts';
import { mount } from '../src/widget/view/dom.ts';
import type { WidgetLive } from '../src/widget/live.ts';

const mounted: (() => void)[] = [];
afterEach(() => {
  for (const unmount of mounted.splice(0)) unmount();
  document.body.innerHTML = '';
  localStorage.clear();
});

const idleLive = (): WidgetLive => ({ subscribe: () => () => {}, onConnection: () => () => {}, close: () => {} });

/** A transport like Firebase's: the channel's name is unknown until a session exists, and the channel is checked only then. */
const firebaseLike = (sessionResult: (input: SessionInput) => Promise<{ token: string; contactId: string }>) => {
  const connected: string[] = [];
  const api: WidgetApi & { connect(token: string): WidgetLive } = {
    channel: async (id) => ({ id, name: '', type: 'webchat' }),
    session: (_channelId, input) => sessionResult(input),
    send: async () => ({ ticketId: 't1', messageId: 'm1', protocol: '2026-1' }),
    upload: async () => {
      throw new WidgetError('no-open-ticket', 'Write a message before sending a file', 409);
    },
    fileUrl: () => '',
    connect: (token) => {
      connected.push(token);
      return idleLive();
    },
  };
  return { api, connected };
};

const start = async (root: HTMLElement) => {
  await vi.waitFor(() => expect(root.querySelector('form')).not.toBeNull());
  const name = root.querySelector<HTMLInputElement>('input')!;
  name.value = 'Zé';
  name.dispatchEvent(new Event('input', { bubbles: true }));
  root.querySelector('form')!.dispatchEvent(new Event('submit', { bubbles: true, cancelable: true }));
};

const render = (api: WidgetApi, channelId = 'site') => {
  const root = document.createElement('div');
  document.body.append(root);
  mounted.push(mount(root, () => app({ channelId, api })).unmount);
  return root;
};

describe('widget screens on a Firebase-like transport', () => {
  it('titles the start screen "Atendimento" while the channel has no name yet, and connects through the transport', async () => {
    const { api, connected } = firebaseLike(async () => ({ token: 'uid-1', contactId: 'c1' }));
    const root = render(api);
    await vi.waitFor(() => expect(root.querySelector('h1, header')?.textContent).toContain('Atendimento'));
    await start(root);
    await vi.waitFor(() => expect(connected).toEqual(['uid-1']));
  });

  it('shows "not available" when the channel turns out unknown at the start of the session', async () => {
    const { api, connected } = firebaseLike(async () => {
      throw new WidgetError('not-found', 'Web chat nope does not exist', 404, [{ path: 'channelId', message: 'no such web chat' }]);
    });
    const root = render(api, 'nope');
    await start(root);
    await vi.waitFor(() => expect(root.textContent).toContain('Este chat não está disponível no momento.'));
    expect(connected).toEqual([]);
  });

  it('explains a file sent before any message (Firebase files belong to a ticket)', () => {
    const { key } = explainError(new WidgetError('no-open-ticket', 'Write a message before sending a file', 409));
    expect(t(key)).toBe('Escreva uma mensagem antes de enviar um arquivo.');
  });
});
