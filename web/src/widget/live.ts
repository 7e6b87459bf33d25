// The widget's live socket is the shared one (web/src/live/socket.ts); only its address is the widget's own.
export { createLiveSocket as createLive, defaultBackoff, type LiveListener, type LiveOptions, type LiveSocket as WidgetLive, type SocketLike } from '../live/socket.ts';

export const widgetLiveUrl = (token: string, loc: Pick<Location, 'protocol' | 'host'> = location): string =>
  `${loc.protocol === 'https:' ? 'wss' : 'ws'}://${loc.host}/api/widget/live?token=${encodeURIComponent(token)}`;
