import { onScopeDispose } from '@vue/reactivity';
import { WidgetError, type SessionInput, type WidgetApi, type WidgetChannel } from '../api.ts';
import { t } from '../i18n.ts';
import type { WidgetLive } from '../live.ts';
import { clearSession, loadSession, saveSession } from '../session.ts';
import { chat } from './chat.ts';
import { chatIcon, h, when } from './dom.ts';
import { header } from './header.ts';
import { start } from './start.ts';
import { signal } from '../signal.ts';

export interface AppProps {
  channelId: string;
  /** A whole transport (it brings its own `connect`), or just the calls and a `connect` beside them. */
  api: WidgetApi & { connect?: (token: string) => WidgetLive };
  /** Tests hand in their own live connection. */
  connect?: (token: string) => WidgetLive;
}

/** The live connection comes from the transport (transport.ts), so a Firebase build carries none of the embedded server's socket code. */
const liveOf = ({ api, connect }: AppProps): ((token: string) => WidgetLive) => {
  const open = connect ?? api.connect;
  if (!open) throw new Error('the widget needs a transport with `connect` (see transport.ts)');
  return open;
};

type Screen = 'loading' | 'unavailable' | 'offline' | 'start' | 'chat';

/** The widget: loads the channel, resumes or starts a session, then shows the chat. Build it inside an effect scope. */
export const app = (props: AppProps): HTMLElement => {
  const { channelId, api } = props;
  const openLive = liveOf(props);
  const screen = signal<Screen>('loading');
  const channel = signal<WidgetChannel | null>(null);
  const token = signal<string | null>(null);
  const live = signal<WidgetLive | null>(null);
  const starting = signal(false);
  const startError = signal<string | null>(null);

  // Inside an iframe the close button hides the frame through embed.js.
  const embedded = window.parent !== window;
  const closeFrame = () => window.parent.postMessage({ type: 'atende:close' }, '*');

  const enterChat = (newToken: string) => {
    token.value = newToken;
    live.value?.close();
    live.value = openLive(newToken);
    screen.value = 'chat';
  };

  const load = async () => {
    screen.value = 'loading';
    if (!channelId) {
      screen.value = 'unavailable';
      return;
    }
    try {
      channel.value = await api.channel(channelId);
      document.title = channel.value.name;
    } catch (e) {
      screen.value = e instanceof WidgetError && e.code === 'network' ? 'offline' : 'unavailable';
      return;
    }
    const stored = loadSession(channelId);
    if (!stored) {
      screen.value = 'start';
      return;
    }
    try {
      const resumed = await api.session(channelId, { name: stored.name, token: stored.token });
      saveSession(channelId, { token: resumed.token, name: stored.name });
      enterChat(resumed.token);
    } catch (e) {
      if (e instanceof WidgetError && e.code === 'network') {
        screen.value = 'offline';
        return;
      }
      // The server no longer knows this token: start afresh rather than fail.
      clearSession(channelId);
      screen.value = 'start';
    }
  };

  const begin = async (input: SessionInput) => {
    starting.value = true;
    startError.value = null;
    try {
      const session = await api.session(channelId, input);
      saveSession(channelId, { token: session.token, name: input.name });
      enterChat(session.token);
    } catch (e) {
      // On Firebase the channel is first checked here (a visitor may read it only once in a session).
      if (e instanceof WidgetError && e.code === 'not-found') {
        screen.value = 'unavailable';
        return;
      }
      startError.value = e instanceof WidgetError && e.code === 'network' ? t('errNetwork') : t('errGeneric');
    } finally {
      starting.value = false;
    }
  };

  const body = (which: Screen) => {
    if (which === 'loading')
      return h(
        'div',
        { class: 'flex flex-1 items-center justify-center text-sm text-gray-500', role: 'status' },
        h('span', { class: 'mr-2 inline-block size-4 animate-spin rounded-full border-2 border-gray-300 border-t-brand', 'aria-hidden': 'true' }),
        t('loading'),
      );
    if (which === 'start') return start({ busy: () => starting.value, error: () => startError.value, onStart: (input) => void begin(input) });
    return h(
      'div',
      { class: 'flex flex-1 flex-col items-center justify-center gap-2 px-8 text-center', role: 'alert' },
      h('div', { class: 'mb-2 flex size-12 items-center justify-center rounded-full bg-gray-100 text-gray-500' }, chatIcon('size-6')),
      h('p', { class: 'font-medium' }, which === 'offline' ? t('offline') : t('unknownChannel')),
      which === 'unavailable'
        ? h('p', { class: 'text-sm text-gray-500' }, t('unknownChannelHint'))
        : h(
            'button',
            { type: 'button', class: 'mt-2 rounded-lg bg-brand px-4 py-2 text-sm font-medium text-brand-ink hover:opacity-90', onclick: () => void load() },
            t('retry'),
          ),
    );
  };

  const view = (which: Screen) => {
    const c = channel.value;
    if (which === 'chat' && c && token.value && live.value)
      return chat({ channel: c, api, live: live.value, token: token.value, embedded, onClose: closeFrame });
    const page = document.createDocumentFragment();
    page.append(
      // Firebase knows the channel's name only once the visitor has a session: until then, the fallback title.
      header({ title: () => channel.value?.name || (screen.value === 'loading' ? '' : t('fallbackTitle')), subtitle: () => null, embedded, onClose: closeFrame }),
      body(which),
    );
    return page;
  };

  void load();
  onScopeDispose(() => live.value?.close());
  return h('div', { class: 'flex h-full flex-col overflow-hidden bg-white text-gray-900' }, when(() => screen.value, view));
};
