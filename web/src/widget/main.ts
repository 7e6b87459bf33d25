/**
 * The customers' web-chat widget (E2): its own page (`widget.html`, served
 * for `/widget/:channelId`) and bundle, kept small, so no vue-i18n, Pinia or
 * reka-ui here. Where things are:
 *   api.ts / live.ts      the widget routes and the WebSocket (reconnects, resubscribes)
 *   useConversation.ts    tickets + messages live, pending messages, sending and files
 *   thread.ts             pure logic: merging, the thread with protocol lines, "waiting" rule, links
 *   Widget*.vue           the screens; embedBridge.ts + public/embed.js for embedding on a site
 */
import { createApp } from 'vue';
import WidgetApp from './WidgetApp.vue';
import { createHttpApi } from './api.ts';
import { loadLocale, locale } from './i18n.ts';
import { applyBrandColour, channelIdFromPath } from './session.ts';
import './widget.css';

applyBrandColour(new URLSearchParams(location.search).get('color'), document.documentElement);
document.documentElement.lang = locale;
await loadLocale();
createApp(WidgetApp, { channelId: channelIdFromPath(location.pathname), api: createHttpApi() }).mount('#app');
