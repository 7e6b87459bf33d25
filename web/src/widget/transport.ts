/// <reference types="vite/client" />
import { createHttpApi, type WidgetApi } from './api.ts';
import { createLive, widgetLiveUrl, type WidgetLive } from './live.ts';

/**
 * Everything the widget asks of a backend: the calls of `WidgetApi` (channel,
 * session, send, upload, file links) and the live connection for the
 * `customer.tickets` / `customer.messages` queries, with its connection state.
 * The `token` is whatever the transport's session hands out: the embedded
 * server's bearer token, or the Firebase visitor's uid.
 */
export interface WidgetTransport extends WidgetApi {
  connect(token: string): WidgetLive;
}

/** The embedded server: the widget routes over HTTP and one WebSocket. */
export const createLocalTransport = (base = ''): WidgetTransport => ({
  ...createHttpApi(base),
  connect: (token) => createLive(() => widgetLiveUrl(token)),
});

/**
 * Picked at build time (`VITE_BACKEND`). The Firebase transport is a dynamic
 * import behind a constant the build replaces, so the default bundle carries
 * none of the Firebase SDK.
 */
export const loadTransport = async (): Promise<WidgetTransport> => {
  if (import.meta.env.VITE_BACKEND === 'firebase') return (await import('./firebase.ts')).createFirebaseTransport();
  return createLocalTransport();
};
