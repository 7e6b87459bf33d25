/**
 * The machine's ceiling for inbound messages (issue 11, "Speed"): the least a
 * server built of the same parts as Atende's (Fastify, better-sqlite3 in WAL
 * with synchronous=NORMAL, ws) can do per web-chat message. It speaks just
 * enough of the widget and live protocols for bench/ingest.ts to drive it
 * exactly as it drives Atende, and per message it does the writes Atende's
 * must do: insert the message, rewrite the ticket, bump a counter, each in
 * one transaction acknowledged after COMMIT, then push one `changes` frame
 * carrying the ticket to each socket subscribed to the queue.
 *
 * What it leaves out is what Atende adds on top: validation beyond the
 * request's shape, permissions, the receipt for duplicate deliveries,
 * routing, secondary indexes on the ticket, the live-query hub. Tickets and
 * sessions are held in memory (never read back from SQLite). One transaction
 * per message: no group commit, so a store that batches commits can come
 * in under it.
 *
 * Started by bench/run.ts as its own process: PORT, DATA_DIR.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { join } from 'node:path';
import Sqlite from 'better-sqlite3';
import Fastify from 'fastify';
import { WebSocketServer, type WebSocket } from 'ws';

interface Ticket {
  id: string;
  protocol: string;
  contactId: string;
  status: 'waiting';
  sectorId: string;
  lastMessageAt: number;
  lastMessage: { text: string; direction: 'in'; at: number } | null;
  unread: number;
  updatedAt: number;
}

const db = new Sqlite(join(process.env.DATA_DIR ?? '.', 'ceiling.db'));
db.pragma('journal_mode = WAL');
db.pragma('synchronous = NORMAL');
db.exec(`
  CREATE TABLE IF NOT EXISTS tickets (id TEXT PRIMARY KEY, data TEXT NOT NULL);
  CREATE TABLE IF NOT EXISTS messages (ticket_id TEXT NOT NULL, id TEXT NOT NULL, data TEXT NOT NULL, PRIMARY KEY (ticket_id, id));
  CREATE TABLE IF NOT EXISTS counters (id TEXT PRIMARY KEY, value INTEGER NOT NULL);
`);
const insertTicket = db.prepare('INSERT INTO tickets (id, data) VALUES (?, ?)');
const insertMessage = db.prepare('INSERT INTO messages (ticket_id, id, data) VALUES (?, ?, ?)');
const updateTicket = db.prepare('UPDATE tickets SET data = ? WHERE id = ?');
const bumpCounter = db.prepare('INSERT INTO counters (id, value) VALUES (?, 1) ON CONFLICT DO UPDATE SET value = value + 1');
const receive = db.transaction((ticket: Ticket, messageId: string, message: string) => {
  insertMessage.run(ticket.id, messageId, message);
  updateTicket.run(JSON.stringify(ticket), ticket.id);
  bumpCounter.run('messages.in');
});

const sessions = new Map<string, Ticket>();
/** Sockets and the id of their queue subscription. */
const watchers = new Map<WebSocket, string>();
let protocols = 0;

const app = Fastify({ logger: false });

app.get('/api/health', async () => ({ ok: true }));

app.post<{ Params: { channelId: string }; Body: { name?: unknown } }>('/api/widget/:channelId/session', async (request, reply) => {
  if (typeof request.body?.name !== 'string') return reply.code(400).send({ error: 'name' });
  const now = Date.now();
  const ticket: Ticket = {
    id: randomUUID(),
    protocol: String(++protocols),
    contactId: randomUUID(),
    status: 'waiting',
    sectorId: 'suporte',
    lastMessageAt: now,
    lastMessage: null,
    unread: 0,
    updatedAt: now,
  };
  insertTicket.run(ticket.id, JSON.stringify(ticket));
  const token = randomBytes(24).toString('base64url');
  sessions.set(token, ticket);
  return { token, contactId: ticket.contactId };
});

app.post<{ Body: { text?: unknown; clientMessageId?: unknown } }>('/api/widget/messages', async (request, reply) => {
  const auth = request.headers.authorization;
  const ticket = auth?.startsWith('Bearer ') ? sessions.get(auth.slice(7)) : undefined;
  if (!ticket) return reply.code(401).send({ error: 'unauthenticated' });
  const { text, clientMessageId } = request.body ?? {};
  if (typeof text !== 'string' || !text.trim() || typeof clientMessageId !== 'string') return reply.code(400).send({ error: 'text' });
  const now = Date.now();
  const messageId = randomUUID();
  const message = { id: messageId, ticketId: ticket.id, direction: 'in', text, clientMessageId, createdAt: now };
  ticket.lastMessageAt = now;
  ticket.lastMessage = { text: text.slice(0, 120), direction: 'in', at: now };
  ticket.updatedAt = now;
  receive(ticket, messageId, JSON.stringify(message));
  if (watchers.size > 0) {
    const doc = JSON.stringify(ticket);
    for (const [ws, subId] of watchers) ws.send(`{"type":"changes","id":${JSON.stringify(subId)},"changes":[{"type":"modified","doc":${doc}}]}`);
  }
  return { ticketId: ticket.id, messageId, protocol: ticket.protocol };
});

const wss = new WebSocketServer({ server: app.server, path: '/api/live' });
wss.on('connection', (ws) => {
  ws.on('message', (data) => {
    let msg: { type?: string; id?: string };
    try {
      msg = JSON.parse(String(data)) as typeof msg;
    } catch {
      return;
    }
    if (msg.type === 'subscribe' && typeof msg.id === 'string') {
      watchers.set(ws, msg.id);
      ws.send(JSON.stringify({ type: 'snapshot', id: msg.id, docs: [...sessions.values()] }));
    } else if (msg.type === 'unsubscribe') watchers.delete(ws);
  });
  ws.on('close', () => watchers.delete(ws));
});

const shutdown = () => {
  for (const ws of watchers.keys()) ws.terminate();
  void app.close().then(() => {
    db.close();
    process.exit(0);
  });
};
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);

await app.listen({ port: Number(process.env.PORT ?? 0), host: process.env.HOST ?? '127.0.0.1' });
