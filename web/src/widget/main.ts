/**
 * The customers' web-chat widget (E2): its own page (`widget.html`, served
 * for `/widget/:channelId`) and its own build (`vite.widget.config.ts`), kept
 * under 30 KB gzip, so no Vue runtime, vue-i18n, Pinia or reka-ui here: only
 * `@vue/reactivity` and a small DOM renderer. Where things are:
 *   api.ts / live.ts      the widget routes and the WebSocket (reconnects, resubscribes)
 *   useConversation.ts    tickets + messages live, pending messages, sending and files
 *   thread.ts             pure logic: merging, the thread with protocol lines, "waiting" rule, links
 *   view/*.ts             the screens, built with `h` (text nodes only, never innerHTML)
 *   embedBridge.ts + public/embed.js   embedding on a company's site
 */
import { createHttpApi } from './api.ts';
import { loadLocale, locale } from './i18n.ts';
import { applyBrandColour, channelIdFromPath } from './session.ts';
import { app } from './view/app.ts';
import { mount } from './view/dom.ts';
import './widget.css';

applyBrandColour(new URLSearchParams(location.search).get('color'), document.documentElement);
document.documentElement.lang = locale;
await loadLocale();
mount(document.getElementById('app')!, () => app({ channelId: channelIdFromPath(location.pathname), api: createHttpApi() }));
