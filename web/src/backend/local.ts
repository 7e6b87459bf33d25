import type { Attachment, CommandInput, CommandName, CommandResult, ErrorBody, QueryDoc, QueryName, QueryParams, User } from '@atende/core';
import type { CopilotAction, CopilotInputs, CopilotResults } from '@atende/core/copilot';
import { createLiveSocket, type LiveSocket, type SocketLike } from '../live/socket.ts';
import { reportSessionLost } from './sessionLost.ts';
import { readEventStream } from './sse.ts';
import { BackendError, type Backend, type LiveEvent } from './types.ts';

const PING_MS = 25_000;
const MAX_BACKOFF_MS = 15_000;

export interface LocalOptions {
  /** Where the server is; defaults to the page's own origin. */
  baseUrl?: string;
  WebSocket?: typeof WebSocket;
}

/** Turns an HTTP failure into a BackendError carrying the server's code, message and field issues. */
export const errorFromResponse = async (res: Response): Promise<BackendError> => {
  let body: Partial<ErrorBody> | null = null;
  try {
    body = (await res.json()) as Partial<ErrorBody>;
  } catch {
    body = null;
  }
  const e = body?.error;
  if (e && typeof e.message === 'string') return new BackendError(e.code ?? 'internal', e.message, e.issues ?? [], res.status, e.reason ?? null, e.params ?? {});
  const code = res.status === 401 ? 'unauthenticated' : res.status === 429 ? 'resource-exhausted' : res.status === 403 ? 'permission-denied' : 'internal';
  return new BackendError(code, res.statusText || `HTTP ${res.status}`, [], res.status);
};

const networkError = () => new BackendError('unavailable', 'O servidor não respondeu. Verifique a conexão.', [], 0);

/**
 * The embedded server's driver: JSON over fetch for auth and commands, and
 * ONE WebSocket multiplexing every live query. After a reconnect every
 * subscription is sent again and the server answers with fresh snapshots,
 * so nothing that happened while offline is missed.
 */
export const createLocalBackend = (options: LocalOptions = {}): Backend => {
  const base = options.baseUrl ?? '';
  const WS = options.WebSocket ?? globalThis.WebSocket;
  const connectionListeners = new Set<(connected: boolean) => void>();
  let connected = false;
  /** The one live socket (shared with the widget: `live/socket.ts`); made on the first subscription, dropped at sign-out. */
  let live: LiveSocket | null = null;
  let stopWatching: (() => void) | null = null;

  const setConnected = (value: boolean) => {
    if (connected === value) return;
    connected = value;
    for (const l of connectionListeners) l(value);
  };

  const liveUrl = () => {
    if (base) return `${base.replace(/^http/, 'ws')}/api/live`;
    const { protocol, host } = window.location;
    return `${protocol === 'https:' ? 'wss:' : 'ws:'}//${host}/api/live`;
  };

  const liveSocket = (): LiveSocket => {
    if (live) return live;
    live = createLiveSocket(liveUrl, {
      createSocket: (url) => new WS(url) as SocketLike,
      backoff: (attempt) => Math.min(MAX_BACKOFF_MS, 500 * 2 ** attempt) * (0.75 + Math.random() * 0.5),
      pingEveryMs: PING_MS,
      onNotice: (message) => console.warn('[live]', message.type === 'error' ? message.error.message : message),
    });
    stopWatching = live.onConnection(setConnected);
    return live;
  };

  const disconnect = () => {
    stopWatching?.();
    stopWatching = null;
    live?.close();
    live = null;
    setConnected(false);
  };

  const request = async (path: string, init: RequestInit = {}): Promise<Response> => {
    try {
      return await fetch(`${base}${path}`, {
        credentials: 'include',
        ...init,
        headers: typeof init.body === 'string' ? { 'content-type': 'application/json', ...init.headers } : init.headers,
      });
    } catch {
      throw networkError();
    }
  };

  /** A 401 on anything but signing in or out means the session is gone (a wrong password is the login form's business). */
  const lostSession = (path: string, res: Response) => {
    if (res.status === 401 && !path.startsWith('/api/auth/login') && !path.startsWith('/api/auth/logout')) reportSessionLost();
  };

  const json = async <T>(path: string, body?: unknown): Promise<T> => {
    const res = await request(path, { method: 'POST', ...(body !== undefined && { body: JSON.stringify(body) }) });
    lostSession(path, res);
    if (!res.ok) throw await errorFromResponse(res);
    return res.status === 204 ? (undefined as T) : ((await res.json()) as T);
  };

  return {
    kind: 'local',

    async restore() {
      // "Nobody is signed in" comes back as `{user: null}`, not a 401 the browser would log at every page load.
      const res = await request('/api/auth/session');
      if (res.status === 401) return null;
      if (!res.ok) throw await errorFromResponse(res);
      const { user } = (await res.json()) as { user: User | null };
      return user;
    },

    async signIn(email, password) {
      const { user } = await json<{ user: User }>('/api/auth/login', { email, password });
      return user;
    },

    async signOut() {
      disconnect();
      await json<void>('/api/auth/logout');
    },

    async run<N extends CommandName>(command: N, input: CommandInput<N>) {
      const { result } = await json<{ result: CommandResult<N> }>(`/api/commands/${encodeURIComponent(command)}`, input ?? {});
      return result;
    },

    async setPassword(uid, password) {
      await json<void>('/api/auth/password', { uid, password });
    },

    async copilot<A extends CopilotAction>(action: A, input: CopilotInputs[A], onDelta?: (text: string) => void): Promise<CopilotResults[A]> {
      const path = `/api/copilot/${encodeURIComponent(action)}`;
      if (!onDelta) return (await json<{ result: CopilotResults[A] }>(path, input)).result;
      const res = await request(path, { method: 'POST', body: JSON.stringify(input), headers: { accept: 'text/event-stream' } });
      lostSession(path, res);
      if (!res.ok || !res.body) throw await errorFromResponse(res);
      let outcome: { result: CopilotResults[A] } | { error: BackendError } | null = null;
      await readEventStream(res.body, (event, data) => {
        if (event === 'delta') onDelta((data as { text: string }).text);
        else if (event === 'result') outcome = { result: (data as { result: CopilotResults[A] }).result };
        else if (event === 'error') {
          const { status, error: e } = data as { status: number; error: Partial<ErrorBody['error']> };
          outcome = { error: new BackendError(e.code ?? 'internal', e.message ?? 'copilot', e.issues ?? [], status, e.reason ?? null, e.params ?? {}) };
        }
      }).catch(() => {
        throw networkError();
      });
      const done = outcome as { result: CopilotResults[A] } | { error: BackendError } | null;
      if (!done) throw networkError();
      if ('error' in done) throw done.error;
      return done.result;
    },

    subscribe<Q extends QueryName>(query: Q, params: QueryParams<Q>, listener: (event: LiveEvent<QueryDoc<Q>>) => void) {
      return liveSocket().subscribe(query, params as Record<string, unknown>, (event) => {
        // An error ends the subscription (the socket forgets it, so a reconnect does not send it again).
        if (event.type === 'error') listener({ type: 'error', error: new BackendError(event.error.code, event.error.message, event.error.issues) });
        else listener(event as LiveEvent<QueryDoc<Q>>);
      });
    },

    uploadFile(file, ticketId, onProgress) {
      return postFile('/api/files', file, { ticketId }, onProgress);
    },

    uploadQuickReplyFile(file) {
      return postFile('/api/quick-reply-files', file, {});
    },

    quickReplyFileUrl: (attachmentId) => `${base}/api/quick-reply-files/${encodeURIComponent(attachmentId)}`,

    async copyQuickReplyFile(ticketId, quickReplyId, attachmentId) {
      const { attachment } = await json<{ attachment: Attachment }>('/api/files/from-quick-reply', { ticketId, quickReplyId, attachmentId });
      return attachment;
    },

    fileUrl: (ticketId, attachmentId) => `${base}/api/files/${encodeURIComponent(ticketId)}/${encodeURIComponent(attachmentId)}`,

    onConnection(listener) {
      connectionListeners.add(listener);
      return () => connectionListeners.delete(listener);
    },
  };

  async function postFile(path: string, file: File, fields: Record<string, string>, onProgress?: (fraction: number) => void): Promise<Attachment> {
    if (!onProgress) {
      // No progress to show: a plain fetch (also what runs outside a browser, e.g. the conformance suite).
      const form = new FormData();
      for (const [name, value] of Object.entries(fields)) form.append(name, value);
      form.append('file', file);
      const res = await request(path, { method: 'POST', body: form });
      lostSession(path, res);
      if (!res.ok) throw await errorFromResponse(res);
      return ((await res.json()) as { attachment: Attachment }).attachment;
    }
    return new Promise<Attachment>((resolve, reject) => {
      const xhr = new XMLHttpRequest();
      xhr.open('POST', `${base}${path}`);
      xhr.withCredentials = true;
      xhr.upload.onprogress = (e) => {
        if (e.lengthComputable) onProgress?.(e.loaded / e.total);
      };
      xhr.onload = () => {
        let body: { attachment?: Attachment } & Partial<ErrorBody> = {};
        try {
          body = JSON.parse(xhr.responseText) as typeof body;
        } catch {
          body = {};
        }
        if (xhr.status >= 200 && xhr.status < 300 && body.attachment) resolve(body.attachment);
        else if (body.error) reject(new BackendError(body.error.code, body.error.message, body.error.issues ?? [], xhr.status, body.error.reason ?? null, body.error.params ?? {}));
        else reject(new BackendError('internal', `HTTP ${xhr.status}`, [], xhr.status));
      };
      xhr.onerror = () => reject(networkError());
      const form = new FormData();
      for (const [name, value] of Object.entries(fields)) form.append(name, value);
      form.append('file', file);
      xhr.send(form);
    });
  }
};
