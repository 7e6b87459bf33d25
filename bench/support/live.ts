import { performance } from 'node:perf_hooks';
import WebSocket from 'ws';

export type ServerMessage =
  | { type: 'snapshot'; id: string; docs: Record<string, unknown>[] }
  | { type: 'changes'; id: string; changes: { type: 'added' | 'modified' | 'removed'; doc: Record<string, unknown> }[] }
  | { type: 'error'; id: string | null; error: { code: string; message: string } }
  | { type: 'pong' };

/**
 * One live socket to /api/live. Handlers get the receive time (taken before
 * parsing, so a large snapshot's JSON.parse is not counted as latency) and
 * the parsed message.
 */
export class LiveClient {
  private handlers = new Set<(msg: ServerMessage, at: number, raw: string) => void>();
  private rawHandlers = new Set<(raw: string, at: number) => void>();

  private constructor(readonly socket: WebSocket) {
    socket.on('message', (data) => {
      const at = performance.now();
      const raw = data.toString();
      for (const h of this.rawHandlers) h(raw, at);
      // Parsing is skipped when nobody needs the object: 500 sockets in one process would otherwise queue behind 500 parses.
      if (this.handlers.size === 0) return;
      const msg = JSON.parse(raw) as ServerMessage;
      for (const h of this.handlers) h(msg, at, raw);
    });
  }

  /** The frame's text as it arrived, unparsed. */
  onRaw(handler: (raw: string, at: number) => void): () => void {
    this.rawHandlers.add(handler);
    return () => this.rawHandlers.delete(handler);
  }

  static connect(url: string, cookie?: string, timeoutMs = 10_000): Promise<LiveClient> {
    return new Promise((resolve, reject) => {
      const socket = new WebSocket(url, { headers: cookie ? { cookie } : {}, perMessageDeflate: false });
      const timer = setTimeout(() => {
        socket.terminate();
        reject(new Error(`connect ${url}: timed out`));
      }, timeoutMs);
      socket.once('open', () => {
        clearTimeout(timer);
        resolve(new LiveClient(socket));
      });
      socket.once('error', (e) => {
        clearTimeout(timer);
        reject(e);
      });
      socket.once('unexpected-response', (_req, res) => {
        clearTimeout(timer);
        reject(new Error(`connect ${url}: HTTP ${res.statusCode}`));
      });
    });
  }

  on(handler: (msg: ServerMessage, at: number, raw: string) => void): () => void {
    this.handlers.add(handler);
    return () => this.handlers.delete(handler);
  }

  send(msg: unknown): void {
    this.socket.send(JSON.stringify(msg));
  }

  subscribe(id: string, query: string, params: Record<string, unknown> = {}): void {
    this.send({ type: 'subscribe', id, query, params });
  }

  unsubscribe(id: string): void {
    this.send({ type: 'unsubscribe', id });
  }

  /** Resolves with the first message matching `pick` (and when it arrived), or rejects after `timeoutMs`. */
  waitFor<T>(pick: (msg: ServerMessage) => T | undefined, timeoutMs = 10_000): Promise<{ value: T; at: number }> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        off();
        reject(new Error('timed out waiting for a live message'));
      }, timeoutMs);
      const off = this.on((msg, at) => {
        if (msg.type === 'error') {
          clearTimeout(timer);
          off();
          reject(new Error(`live error: ${msg.error.code} ${msg.error.message}`));
          return;
        }
        const value = pick(msg);
        if (value !== undefined) {
          clearTimeout(timer);
          off();
          resolve({ value, at });
        }
      });
    });
  }

  /** Subscribes and waits for the first snapshot. */
  async snapshot(id: string, query: string, params: Record<string, unknown> = {}, timeoutMs = 10_000) {
    const waiting = this.waitFor((m) => (m.type === 'snapshot' && m.id === id ? m.docs : undefined), timeoutMs);
    this.subscribe(id, query, params);
    return (await waiting).value;
  }

  close(): void {
    this.socket.terminate();
  }
}

export const liveUrl = (origin: string): string => origin.replace(/^http/, 'ws') + '/api/live';
