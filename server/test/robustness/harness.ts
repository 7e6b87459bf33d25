import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, openSync, closeSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import WebSocket from 'ws';
import { isCounted, type ServerMessage, type Ticket } from '@atende/core';
import { loginAt, request as httpRequest, type HttpResult, type RequestOptions } from '../support/http.ts';

/**
 * Process-level harness: the real server (`server/src/server.ts`) as its own
 * process, as `npm start` runs it, so a test can kill -9 it, restart it on
 * the same data dir, and watch it from outside.
 */
const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

export const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });

export interface ServerProc {
  child: ChildProcess;
  url: string;
  dataDir: string;
  /** From spawn to the first /api/health 200. */
  startupMs: number;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  isRunning(): boolean;
  kill9(): Promise<void>;
  stop(): Promise<void>;
  log(): string;
}

export const newDataDir = (): string => mkdtempSync(join(tmpdir(), 'atende-robust-'));

export const removeDataDir = (dir: string): void => rmSync(dir, { recursive: true, force: true });

const healthStatus = async (url: string): Promise<number> => {
  try {
    const res = await fetch(`${url}/api/health`, { signal: AbortSignal.timeout(1000) });
    await res.arrayBuffer();
    return res.status;
  } catch {
    return 0;
  }
};

/** For traffic generators: one address and a few visitors sending flat out would meet the widget's abuse limits (issue 10). */
export const LOAD_GENERATOR_LIMITS = JSON.stringify({ widget: { messagesPerSessionPerMinute: 1e9, messagesPerChannelPerMinute: 1e9, sessionsPerAddressPerMinute: 1e9, ticketsPerSessionPerHour: 1e9 } });

export const spawnServer = async (dataDir: string, options: { port?: number; timeoutMs?: number; env?: Record<string, string> } = {}): Promise<ServerProc> => {
  const port = options.port ?? (await freePort());
  const url = `http://127.0.0.1:${port}`;
  const logFile = join(dataDir, `server-${port}-${Date.now()}.log`);
  const fd = openSync(logFile, 'a');
  const started = performance.now();
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/src/server.ts'], {
    cwd: repoRoot,
    env: { ...process.env, NODE_ENV: 'production', DATA_DIR: dataDir, PORT: String(port), HOST: '127.0.0.1', ATENDE_SEED: 'demo', LOG_LEVEL: 'warn', ...options.env },
    stdio: ['ignore', fd, fd],
  });
  closeSync(fd);
  let running = true;
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => {
      running = false;
      resolve({ code, signal });
    }),
  );
  const log = () => readFileSync(logFile, 'utf8');
  const deadline = started + (options.timeoutMs ?? 30_000);
  for (;;) {
    if (!running) throw new Error(`the server exited before serving:\n${log()}`);
    if ((await healthStatus(url)) === 200) break;
    if (performance.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`the server did not serve within ${options.timeoutMs ?? 30_000} ms:\n${log()}`);
    }
    await sleep(10);
  }
  const startupMs = performance.now() - started;
  return {
    child,
    url,
    dataDir,
    startupMs,
    exited,
    log,
    isRunning: () => running,
    async kill9() {
      if (!running) return;
      child.kill('SIGKILL');
      await exited;
    },
    async stop() {
      if (!running) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
};

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read whatever JSON came back
export type Res<T = any> = HttpResult<T>;

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read whatever JSON came back
export const request = <T = any>(url: string, method: string, path: string, options?: RequestOptions): Promise<Res<T>> => httpRequest<T>(url, method, path, options);

export const login = loginAt;

export const command = (url: string, cookie: string, name: string, input: unknown) => request(url, 'POST', `/api/commands/${name}`, { cookie, body: input });

/** A web-chat customer on channel `site` (default sector Suporte, no bot). */
export const openVisitor = async (url: string, name: string): Promise<{ token: string; contactId: string }> => {
  const res = await request(url, 'POST', '/api/widget/site/session', { body: { name } });
  if (res.status !== 200) throw new Error(`widget session: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
};

export const sendWidget = (url: string, token: string, text: string, clientMessageId: string) =>
  request<{ ticketId: string; messageId: string; protocol: string }>(url, 'POST', '/api/widget/messages', { bearer: token, body: { text, clientMessageId } });

type AnyDoc = { id: string } & Record<string, unknown>;

/**
 * A live client that keeps the state of each subscription the way the SPA
 * does: a snapshot replaces it, changes are applied in place.
 */
export class Live {
  readonly state = new Map<string, Map<string, AnyDoc>>();
  readonly errors: Extract<ServerMessage, { type: 'error' }>[] = [];
  lastMessageAt = performance.now();
  private waiters: { test: (m: ServerMessage) => boolean; resolve: (m: ServerMessage) => void }[] = [];
  readonly closed: Promise<number>;

  private constructor(readonly ws: WebSocket) {
    this.closed = new Promise((resolve) => ws.once('close', (code) => resolve(code)));
    ws.on('message', (data) => {
      this.lastMessageAt = performance.now();
      const m = JSON.parse(data.toString()) as ServerMessage;
      if (m.type === 'snapshot') this.state.set(m.id, new Map(m.docs.map((d) => [(d as AnyDoc).id, d as AnyDoc])));
      else if (m.type === 'changes') {
        const docs = this.state.get(m.id) ?? new Map<string, AnyDoc>();
        for (const c of m.changes) {
          const doc = c.doc as AnyDoc;
          if (c.type === 'removed') docs.delete(doc.id);
          else docs.set(doc.id, doc);
        }
        this.state.set(m.id, docs);
      } else if (m.type === 'error') this.errors.push(m);
      this.waiters = this.waiters.filter((w) => {
        if (!w.test(m)) return true;
        w.resolve(m);
        return false;
      });
    });
  }

  static open(url: string, path: string, cookie?: string): Promise<Live> {
    const ws = new WebSocket(url.replace('http', 'ws') + path, cookie ? { headers: { cookie } } : {});
    return new Promise((resolve, reject) => {
      ws.once('open', () => resolve(new Live(ws)));
      ws.once('unexpected-response', (_req, res) => reject(Object.assign(new Error(`HTTP ${res.statusCode}`), { status: res.statusCode })));
      ws.once('error', reject);
    });
  }

  next(test: (m: ServerMessage) => boolean, timeoutMs = 10_000): Promise<ServerMessage> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('timed out waiting for a live message')), timeoutMs);
      this.waiters.push({
        test,
        resolve: (m) => {
          clearTimeout(timer);
          resolve(m);
        },
      });
    });
  }

  /** Subscribes and resolves with the snapshot's documents (or rejects with the error). */
  async subscribe(id: string, query: string, params: Record<string, unknown> = {}): Promise<AnyDoc[]> {
    const answer = this.next((m) => (m.type === 'snapshot' || m.type === 'error') && m.id === id);
    this.ws.send(JSON.stringify({ type: 'subscribe', id, query, params }));
    const m = await answer;
    if (m.type === 'error') throw new Error(`subscribe ${query}: ${m.error.code} ${m.error.message}`);
    return [...this.state.get(id)!.values()];
  }

  docs(id: string): AnyDoc[] {
    return [...(this.state.get(id)?.values() ?? [])].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }

  /** Waits until nothing has arrived for `quietMs`. */
  async settle(quietMs = 300, maxMs = 10_000): Promise<void> {
    const until = performance.now() + maxMs;
    while (performance.now() - this.lastMessageAt < quietMs && performance.now() < until) await sleep(50);
  }

  cut(): void {
    this.ws.terminate();
  }

  close(): void {
    this.ws.close();
  }
}

/**
 * The SQLite file, opened beside the running server (WAL lets a reader in):
 * the ground truth a test compares the API with.
 */
export const openDb = (dataDir: string, readonly = true) => {
  const db = new Database(join(dataDir, 'atende.db'), { readonly, fileMustExist: true });
  db.pragma('busy_timeout = 5000');
  return db;
};

export const docsOf = <T = AnyDoc>(db: Database.Database, table: string): T[] =>
  (db.prepare(`SELECT data FROM ${table}`).all() as { data: string }[]).map((r) => JSON.parse(r.data) as T);

/**
 * What must hold whatever happened: every counter core keeps (`isCounted`)
 * equals the count of the tickets it counts, every message hangs off a ticket, every receipt points
 * at a stored message. Returns the violations (empty when consistent).
 */
export const integrityProblems = (dataDir: string): string[] => {
  const db = openDb(dataDir);
  try {
    const problems: string[] = [];
    const tickets = docsOf<{ id: string; status: string; sectorId: string | null; assigneeId: string | null }>(db, 'tickets');
    const expected = new Map<string, number>();
    const bump = (id: string) => expected.set(id, (expected.get(id) ?? 0) + 1);
    for (const t of tickets) {
      if (isCounted(t.status as Ticket['status'], 'sector')) bump(`tickets.${t.status}.sector.${t.sectorId ?? 'none'}`);
      if (t.assigneeId !== null && isCounted(t.status as Ticket['status'], 'assignee')) bump(`tickets.${t.status}.assignee.${t.assigneeId}`);
    }
    const counters = docsOf<{ id: string; value: number }>(db, 'counters').filter((c) => c.id.startsWith('tickets.'));
    for (const c of counters) if (c.value !== (expected.get(c.id) ?? 0)) problems.push(`counter ${c.id} = ${c.value}, tickets say ${expected.get(c.id) ?? 0}`);
    for (const [id, n] of expected) if (!counters.some((c) => c.id === id)) problems.push(`counter ${id} missing, tickets say ${n}`);
    const ticketIds = new Set(tickets.map((t) => t.id));
    const orphans = (db.prepare('SELECT DISTINCT parent_id AS p FROM messages').all() as { p: string }[]).filter((r) => !ticketIds.has(r.p));
    for (const o of orphans) problems.push(`messages under missing ticket ${o.p}`);
    const messageKeys = new Set((db.prepare('SELECT parent_id || \'/\' || id AS k FROM messages').all() as { k: string }[]).map((r) => r.k));
    for (const r of docsOf<{ id: string; ticketId: string; messageId: string }>(db, 'receipts'))
      if (!messageKeys.has(`${r.ticketId}/${r.messageId}`)) problems.push(`receipt ${r.id} points at missing message ${r.ticketId}/${r.messageId}`);
    return problems;
  } finally {
    db.close();
  }
};
