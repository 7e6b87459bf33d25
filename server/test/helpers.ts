import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import type { FastifyInstance } from 'fastify';
import { refs, type ServerMessage, type Ticket, type User } from '@atende/core';
import { buildApp, type AppOptions } from '../src/app.ts';
import { loginAt, request, type HttpResult, type RequestOptions } from './support/http.ts';

export interface TestServer {
  app: FastifyInstance;
  url: string;
  dataDir: string;
  close(): Promise<void>;
}

/** The real app on a fresh temporary data directory, listening on a free port. */
export const startServer = async (options: Partial<AppOptions> = {}): Promise<TestServer> => {
  const dataDir = mkdtempSync(join(tmpdir(), 'atende-test-'));
  // The demo's month of closed tickets only where a test asks for it (it costs a second a start).
  const app = await buildApp({ dataDir, webDist: join(dataDir, 'no-web-dist'), demoHistory: false, ...options });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.server.address() as { port: number };
  return {
    app,
    url: `http://127.0.0.1:${port}`,
    dataDir,
    async close() {
      await app.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
};

export type ApiResult<T = Record<string, unknown>> = HttpResult<T>;

export const api = <T = Record<string, unknown>>(server: TestServer, method: string, path: string, options: Omit<RequestOptions, 'bearer'> = {}): Promise<ApiResult<T>> =>
  request<T>(server.url, method, path, options);

/** Logs in and returns the session cookie header value. */
export const login = (server: TestServer, email: string, password?: string): Promise<string> => loginAt(server.url, email, password);

export const run = <T = Record<string, unknown>>(server: TestServer, cookie: string, name: string, input: unknown) =>
  api<T>(server, 'POST', `/api/commands/${name}`, { cookie, body: input });

/** Creates a staff member directly and gives them a password, for tests that need people the demo lacks. */
export const addUser = async (server: TestServer, user: Pick<User, 'id' | 'role' | 'sectorIds'> & Partial<User>, password = 'atende123'): Promise<string> => {
  const doc: User = {
    name: user.id,
    email: `${user.id}@test.local`,
    presence: 'offline',
    seesAllHistory: false,
    active: true,
    updatedAt: Date.now(),
    ...user,
  };
  await server.app.store.transaction(async (tx) => tx.set(refs.user(doc.id), doc));
  await server.app.auth.setPassword(doc.id, password);
  return doc.email;
};

let inboundSeq = 0;
/** A customer message on the web-chat channel `site` (default sector suporte, no bot): a waiting ticket. */
export const newWaitingTicket = async (server: TestServer, externalId = `visitor-${++inboundSeq}-${Math.random().toString(36).slice(2, 8)}`): Promise<Ticket> => {
  const { executeCommand, commandRegistry, SYSTEM } = await import('@atende/core');
  const result = (await executeCommand(commandRegistry, server.app.deps, SYSTEM, 'inbound.receive', {
    channelId: 'site',
    externalId,
    contact: { name: `Cliente ${externalId}` },
    channelMessageId: `m-${externalId}-${++inboundSeq}`,
    text: 'Olá, preciso de ajuda',
  })) as { ticketId: string };
  return server.app.store.get(refs.ticket(result.ticketId))!;
};

export const ticketOf = (server: TestServer, id: string): Ticket => server.app.store.get(refs.ticket(id))!;

export interface SubscribeReply<T> {
  type: 'snapshot' | 'error';
  id: string | null;
  docs: T[];
  error: Extract<ServerMessage, { type: 'error' }>['error'];
}

/** A WebSocket client that records every message and can wait for one. */
export class LiveClient {
  readonly messages: ServerMessage[] = [];
  private waiters: { test: (m: ServerMessage) => boolean; resolve: (m: ServerMessage) => void }[] = [];

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => {
      const message = JSON.parse(data.toString()) as ServerMessage;
      this.messages.push(message);
      this.waiters = this.waiters.filter((w) => {
        if (!w.test(message)) return true;
        w.resolve(message);
        return false;
      });
    });
  }

  static open(server: TestServer, path: string, cookie?: string, headers: Record<string, string> = {}): Promise<LiveClient> {
    const ws = new WebSocket(server.url.replace('http', 'ws') + path, { headers: { ...headers, ...(cookie ? { cookie } : {}) } });
    return new Promise((resolve, reject) => {
      ws.once('open', () => resolve(new LiveClient(ws)));
      ws.once('unexpected-response', (_req, res) => reject(new Error(`unexpected response ${res.statusCode}`)));
      ws.once('error', reject);
    });
  }

  send(message: unknown): void {
    this.ws.send(JSON.stringify(message));
  }

  /** The first message (already received or future) that passes the test. */
  next<M extends ServerMessage>(test: (m: ServerMessage) => boolean, timeoutMs = 5000): Promise<M> {
    const seen = this.messages.find(test);
    if (seen) {
      this.messages.splice(this.messages.indexOf(seen), 1);
      return Promise.resolve(seen as M);
    }
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out waiting; got ${JSON.stringify(this.messages).slice(0, 2000)}`)), timeoutMs);
      this.waiters.push({
        test,
        resolve: (m) => {
          clearTimeout(timer);
          this.messages.splice(this.messages.indexOf(m), 1);
          resolve(m as M);
        },
      });
    });
  }

  /** The snapshot or the error that answers a subscribe (docs is empty on an error, error undefined on a snapshot). */
  async subscribe<T = Record<string, unknown>>(id: string, query: string, params: Record<string, unknown> = {}): Promise<SubscribeReply<T>> {
    this.send({ type: 'subscribe', id, query, params });
    const reply = await this.next((m) => (m.type === 'snapshot' || m.type === 'error') && m.id === id);
    return { docs: [], ...reply } as unknown as SubscribeReply<T>;
  }

  changes(id: string, test: (c: Extract<ServerMessage, { type: 'changes' }>) => boolean = () => true, timeoutMs?: number) {
    return this.next<Extract<ServerMessage, { type: 'changes' }>>((m) => m.type === 'changes' && m.id === id && test(m), timeoutMs);
  }

  closed(): Promise<number> {
    if (this.ws.readyState === WebSocket.CLOSED) return Promise.resolve(-1);
    return new Promise((resolve) => this.ws.once('close', (code) => resolve(code)));
  }

  close(): void {
    this.ws.close();
  }
}
