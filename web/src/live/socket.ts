import type { ClientMessage, DocChange, ErrorBody, ServerMessage } from '@atende/core';

export type LiveListener = (
  event: { type: 'snapshot'; docs: Record<string, unknown>[] } | { type: 'changes'; changes: DocChange[] } | { type: 'error'; error: ErrorBody['error'] },
) => void;

export interface LiveSocket {
  subscribe(query: string, params: Record<string, unknown>, listener: LiveListener): () => void;
  onConnection(listener: (connected: boolean) => void): () => void;
  close(): void;
}

/** The part of the browser's WebSocket the client uses, so tests can hand in their own. */
export interface SocketLike {
  readonly readyState: number;
  onopen: ((ev: Event) => void) | null;
  onclose: ((ev: CloseEvent) => void) | null;
  onerror: ((ev: Event) => void) | null;
  onmessage: ((ev: MessageEvent) => void) | null;
  send(data: string): void;
  close(code?: number): void;
}

export interface LiveOptions {
  createSocket?: (url: string) => SocketLike;
  /** Delay before the n-th reconnect attempt (0-based). */
  backoff?: (attempt: number) => number;
  pingEveryMs?: number;
  /** A message about the socket itself (no subscription id), e.g. the server refusing a frame. */
  onNotice?: (message: ServerMessage) => void;
}

const OPEN = 1;

export const defaultBackoff = (attempt: number): number => {
  const ceiling = Math.min(30_000, 500 * 2 ** attempt);
  // Jitter, so a server restart is not hit by every widget in the same millisecond.
  return ceiling / 2 + Math.random() * (ceiling / 2);
};

/**
 * One WebSocket for every live subscription, used by the console's embedded
 * driver (`backend/local.ts`, on `/api/live`) and by the widget (on
 * `/api/widget/live`). It reconnects with backoff and subscribes again; the
 * server answers each subscription with a fresh snapshot, so nothing said
 * while offline is lost. Plain TypeScript, no Vue: the widget's 30 KB budget
 * carries it.
 */
export const createLiveSocket = (url: () => string, options: LiveOptions = {}): LiveSocket => {
  const createSocket = options.createSocket ?? ((u: string) => new WebSocket(u) as SocketLike);
  const backoff = options.backoff ?? defaultBackoff;
  const pingEveryMs = options.pingEveryMs ?? 25_000;
  const subscriptions = new Map<string, { query: string; params: Record<string, unknown>; listener: LiveListener }>();
  const connectionListeners = new Set<(connected: boolean) => void>();
  let socket: SocketLike | null = null;
  let attempt = 0;
  let nextId = 0;
  let closed = false;
  let connected = false;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;
  let pingTimer: ReturnType<typeof setInterval> | undefined;

  const setConnected = (value: boolean) => {
    if (connected === value) return;
    connected = value;
    for (const l of connectionListeners) l(value);
  };

  const send = (message: ClientMessage) => {
    if (socket && socket.readyState === OPEN) socket.send(JSON.stringify(message));
  };

  const connect = () => {
    if (closed) return;
    const ws = createSocket(url());
    socket = ws;
    ws.onopen = () => {
      attempt = 0;
      setConnected(true);
      for (const [id, s] of subscriptions) send({ type: 'subscribe', id, query: s.query, params: s.params });
      clearInterval(pingTimer);
      pingTimer = setInterval(() => send({ type: 'ping' }), pingEveryMs);
    };
    ws.onmessage = (ev) => {
      let message: ServerMessage;
      try {
        message = JSON.parse(String(ev.data)) as ServerMessage;
      } catch {
        return;
      }
      if (message.type === 'pong') return;
      if (message.id === null) return options.onNotice?.(message);
      const sub = subscriptions.get(message.id);
      if (!sub) return;
      if (message.type === 'snapshot') sub.listener({ type: 'snapshot', docs: message.docs });
      else if (message.type === 'changes') sub.listener({ type: 'changes', changes: message.changes });
      else if (message.type === 'error') {
        subscriptions.delete(message.id);
        sub.listener({ type: 'error', error: message.error });
      }
    };
    ws.onerror = () => {
      // onclose follows and schedules the retry.
    };
    ws.onclose = () => {
      if (socket !== ws) return;
      socket = null;
      clearInterval(pingTimer);
      setConnected(false);
      if (closed) return;
      retryTimer = setTimeout(() => {
        retryTimer = undefined;
        connect();
      }, backoff(attempt++));
    };
  };

  return {
    subscribe(query, params, listener) {
      const id = `s${++nextId}`;
      subscriptions.set(id, { query, params, listener });
      if (!socket && !closed && retryTimer === undefined) connect();
      else send({ type: 'subscribe', id, query, params });
      return () => {
        if (subscriptions.delete(id)) send({ type: 'unsubscribe', id });
      };
    },
    onConnection(listener) {
      connectionListeners.add(listener);
      return () => connectionListeners.delete(listener);
    },
    close() {
      closed = true;
      clearTimeout(retryTimer);
      clearInterval(pingTimer);
      const ws = socket;
      socket = null;
      ws?.close(1000);
      setConnected(false);
    },
  };
};
