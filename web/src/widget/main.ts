/**
 * The customers' web-chat widget (E2): its own page (`widget.html`, served
 * for `/widget/:channelId`) and its own build (`vite.widget.config.ts`), kept
 * under 30 KB gzip, so no Vue runtime, vue-i18n, Pinia or reka-ui here: only
 * `@vue/reactivity` and a small DOM renderer. Where things are:
 *   transport.ts          what the widget needs of a backend; `local` or `firebase`, picked at build time
 *   api.ts / live.ts      local: the widget routes and the WebSocket (reconnects, resubscribes)
 *   firebase.ts           firebase: anonymous Auth, `widget.session`, the `command` callable, Firestore listeners
 *   useConversation.ts    tickets + messages live, pending messages, sending and files
 *   thread.ts             pure logic: merging, the thread with protocol lines, "waiting" rule, links
 *   view/*.ts             the screens, built with `h` (text nodes only, never innerHTML)
 *   embedBridge.ts + public/embed.js   embedding on a company's site
 */
import { loadLocale, locale } from './i18n.ts';
import { applyBrandColour, channelIdFromPath } from './session.ts';
import { app } from './view/app.ts';
import { mount } from './view/dom.ts';
import { loadTransport } from './transport.ts';
import './widget.css';

applyBrandColour(new URLSearchParams(location.search).get('color'), document.documentElement);
document.documentElement.lang = locale;
const [transport] = await Promise.all([loadTransport(), loadLocale()]);
mount(document.getElementById('app')!, () => app({ channelId: channelIdFromPath(location.pathname), api: transport }));
