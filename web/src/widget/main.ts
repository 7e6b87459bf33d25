import { createApp } from 'vue';
import WidgetApp from './WidgetApp.vue';
import { createHttpApi } from './api.ts';
import { applyBrandColour, channelIdFromPath } from './session.ts';
import './widget.css';

applyBrandColour(new URLSearchParams(location.search).get('color'), document.documentElement);
createApp(WidgetApp, { channelId: channelIdFromPath(location.pathname), api: createHttpApi() }).mount('#app');
