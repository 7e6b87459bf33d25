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
