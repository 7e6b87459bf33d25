import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { refs, type Attachment, type Message, type Ticket } from '@atende/core';
import { LiveClient, api, login, run, startServer, type TestServer } from './helpers.ts';
import { EXE, PNG } from './fixtures.ts';

type Err = { error: { code: string; message: string; issues: { path: string }[] } };

let server: TestServer;
let ana: string;
const sockets: LiveClient[] = [];
const live = async (path: string, cookie?: string) => {
  const c = await LiveClient.open(server, path, cookie);
  sockets.push(c);
  return c;
};

const startVisitor = async (name = 'Maria Cliente') => {
  const res = await api<{ token: string; contactId: string; fileKey: string }>(server, 'POST', '/api/widget/site/session', { body: { name, email: 'maria@example.com' } });
  expect(res.status).toBe(200);
  return res.body;
};
const say = (token: string, body: Record<string, unknown>) =>
  api<{ ticketId: string; messageId: string; protocol: string } & Partial<Err>>(server, 'POST', '/api/widget/messages', { body, headers: { authorization: `Bearer ${token}` } });
const widgetUpload = async (token: string, bytes: Buffer, name: string) => {
  const form = new FormData();
  form.append('file', new Blob([bytes]), name);
  const res = await fetch(`${server.url}/api/widget/files`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: form });
  return { status: res.status, body: (await res.json()) as { attachment: Attachment } & Err };
};

beforeAll(async () => {
  server = await startServer();
  ana = await login(server, 'ana@atende.local');
});
afterAll(async () => {
  for (const s of sockets) s.close();
  await server.close();
});

describe('web-chat widget API', () => {
  it('describes a web-chat channel, and only web-chat channels', async () => {
    expect((await api(server, 'GET', '/api/widget/site')).body).toEqual({ channel: { id: 'site', name: 'Chat do site', type: 'webchat' } });
    expect((await api(server, 'GET', '/api/widget/whatsapp')).status).toBe(404);
    expect((await api(server, 'GET', '/api/widget/nope')).status).toBe(404);
  });

  it('answers CORS preflights so it can be embedded on another site', async () => {
    const res = await fetch(`${server.url}/api/widget/messages`, {
      method: 'OPTIONS',
      headers: { origin: 'https://loja.example', 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization, content-type' },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(res.headers.get('access-control-allow-headers')).toMatch(/Authorization/);
    const get = await fetch(`${server.url}/api/widget/site`, { headers: { origin: 'https://loja.example' } });
    expect(get.headers.get('access-control-allow-origin')).toBe('*');
    // A refused message too: the embedding page's script must be able to read why (here: no session).
    const refused = await fetch(`${server.url}/api/widget/messages`, {
      method: 'POST',
      headers: { origin: 'https://loja.example', authorization: 'Bearer nope', 'content-type': 'application/json' },
      body: JSON.stringify({ text: 'oi', clientMessageId: 'c1' }),
    });
    expect(refused.status).toBe(401);
    expect(refused.headers.get('access-control-allow-origin')).toBe('*');
    expect(refused.headers.get('access-control-allow-methods')).toBe('GET, POST, OPTIONS');
    // The staff API is not opened to other origins.
    const staff = await fetch(`${server.url}/api/health`, { headers: { origin: 'https://loja.example' } });
    expect(staff.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('creates a visitor as a contact with a channel identity, and resumes it with its token', async () => {
    const visitor = await startVisitor();
    const contact = server.app.store.get(refs.contact(visitor.contactId))!;
    expect(contact).toMatchObject({ name: 'Maria Cliente', email: 'maria@example.com' });
    expect(contact.identityKeys[0]).toMatch(/^site:v-/);
    const resumed = await api<{ token: string; contactId: string }>(server, 'POST', '/api/widget/site/session', { body: { name: 'Maria', token: visitor.token } });
    expect(resumed.body).toMatchObject({ token: visitor.token, contactId: visitor.contactId, fileKey: expect.any(String) });
    const fresh = await api<{ contactId: string }>(server, 'POST', '/api/widget/site/session', { body: { name: 'Maria', token: 'forged' } });
    expect(fresh.body.contactId).not.toBe(visitor.contactId);
    expect(JSON.stringify(server.app.db.prepare('SELECT * FROM widget_sessions').all())).not.toContain(visitor.token);
  });

  it('validates the visitor form with messages a customer understands', async () => {
    const res = await api<Err>(server, 'POST', '/api/widget/site/session', { body: { name: '  ', email: 'não-é-email' } });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(/Informe seu nome/);
    expect(res.body.error.issues.map((i) => i.path)).toEqual(['name', 'email']);
  });

  it('a first message opens a ticket with a protocol in Esperando, live for the sector', async () => {
    const agent = await live('/api/live', ana);
    await agent.subscribe('w', 'tickets.waiting', { sectorIds: ['suporte'] });
    const visitor = await startVisitor('João Visitante');
    const sent = await say(visitor.token, { text: 'Olá, meu pedido não chegou', clientMessageId: 'c1' });
    expect(sent.status).toBe(200);
    expect(sent.body.protocol).toMatch(/^\d{8}-\d{5,}$/);
    const added = await agent.changes('w', (m) => m.changes.some((c) => c.type === 'added' && c.doc.id === sent.body.ticketId));
    expect(added.changes[0]?.doc).toMatchObject({ status: 'waiting', sectorId: 'suporte', protocol: sent.body.protocol, contact: { name: 'João Visitante' } });
  });

  it('a repeated clientMessageId creates nothing twice', async () => {
    const visitor = await startVisitor();
    const first = await say(visitor.token, { text: 'Oi', clientMessageId: 'same-id' });
    const countMessages = () => server.app.store.query({ collection: 'messages', parentId: first.body.ticketId, where: [], orderBy: [] }).length;
    const before = countMessages();
    const tickets = server.app.store.query({ collection: 'tickets', where: [['contactId', '==', visitor.contactId]], orderBy: [] }).length;
    const again = await Promise.all([1, 2, 3].map(() => say(visitor.token, { text: 'Oi', clientMessageId: 'same-id' })));
    for (const r of again) expect(r.body).toEqual(first.body);
    expect(countMessages()).toBe(before);
    expect(server.app.store.query({ collection: 'tickets', where: [['contactId', '==', visitor.contactId]], orderBy: [] })).toHaveLength(tickets);
    // A new id joins the same live ticket.
    const next = await say(visitor.token, { text: 'Alguém aí?', clientMessageId: 'other-id' });
    expect(next.body.ticketId).toBe(first.body.ticketId);
    expect(countMessages()).toBe(before + 1);
  });

  it('refuses writes without a valid token, and over-long text in Portuguese', async () => {
    expect((await say('nope', { text: 'oi', clientMessageId: 'x' })).status).toBe(401);
    expect((await api(server, 'POST', '/api/widget/messages', { body: { text: 'oi', clientMessageId: 'x' } })).status).toBe(401);
    const visitor = await startVisitor();
    const long = await say(visitor.token, { text: 'a'.repeat(5000), clientMessageId: 'long' });
    expect(long.status).toBe(400);
    expect(long.body.error?.message).toMatch(/Mensagem muito longa/);
    const empty = await say(visitor.token, { text: '   ', clientMessageId: 'empty' });
    expect(empty.status).toBe(400);
    expect((await say(visitor.token, { text: 'oi' })).body.error?.issues[0]?.path).toBe('clientMessageId');
  });

  it('the customer sees the agent reply live, and only their own conversation', async () => {
    const maria = await startVisitor('Maria');
    const pedro = await startVisitor('Pedro');
    const sent = await say(maria.token, { text: 'Preciso de ajuda', clientMessageId: 'm1' });
    const mariaLive = await live(`/api/widget/live?token=${maria.token}`);
    const mine = await mariaLive.subscribe<Ticket>('t', 'customer.tickets');
    expect(mine.docs.map((t) => t.id)).toEqual([sent.body.ticketId]);
    const thread = await mariaLive.subscribe<Message>('m', 'customer.messages', { ticketId: sent.body.ticketId });
    expect(thread.docs.map((m) => m.text)).toContain('Preciso de ajuda');
    expect(thread.docs.every((m) => m.direction !== 'system')).toBe(true);

    await run(server, ana, 'ticket.accept', { ticketId: sent.body.ticketId });
    await run(server, ana, 'message.send', { ticketId: sent.body.ticketId, text: 'Olá Maria, vou ajudar!' });
    const reply = await mariaLive.changes('m', (m) => m.changes.some((c) => c.type === 'added' && c.doc.text === 'Olá Maria, vou ajudar!'));
    expect(reply.changes[0]?.doc).toMatchObject({ direction: 'out', authorName: 'Ana Souza' });

    const pedroLive = await live(`/api/widget/live?token=${pedro.token}`);
    expect(await pedroLive.subscribe('spy', 'customer.messages', { ticketId: sent.body.ticketId })).toMatchObject({ type: 'error', error: { code: 'permission-denied' } });
    expect(await pedroLive.subscribe('staff', 'tickets.waiting', { sectorIds: ['suporte'] })).toMatchObject({ type: 'error', error: { code: 'permission-denied' } });
    expect(await pedroLive.subscribe('doc', 'ticket', { id: sent.body.ticketId })).toMatchObject({ type: 'error', error: { code: 'permission-denied' } });
    const own = await pedroLive.subscribe<Ticket>('mine', 'customer.tickets');
    expect(own.docs).toEqual([]);
    await expect(LiveClient.open(server, '/api/widget/live?token=forged')).rejects.toThrow(/401/);
    // Customers cannot reach the staff API with their token.
    expect((await api(server, 'POST', '/api/commands/ticket.close', { body: { ticketId: sent.body.ticketId }, headers: { authorization: `Bearer ${maria.token}` } })).status).toBe(401);
  });

  it('takes a customer file, attaches it to their message, and lets only them and the sector download it', async () => {
    const visitor = await startVisitor();
    const up = await widgetUpload(visitor.token, PNG, 'comprovante.png');
    expect(up.status).toBe(200);
    expect(up.body.attachment).toMatchObject({ mime: 'image/png', kind: 'image' });
    // The client's description is replaced by what the server stored.
    const sent = await say(visitor.token, { text: '', attachments: [{ id: up.body.attachment.id, name: 'x.exe', mime: 'application/x-msdownload' }], clientMessageId: 'f1' });
    expect(sent.status).toBe(200);
    const message = server.app.store.get(refs.message(sent.body.ticketId, sent.body.messageId))!;
    expect(message.attachments).toEqual([up.body.attachment]);
    expect(server.app.db.prepare('SELECT ticket_id FROM files WHERE id = ?').get(up.body.attachment.id)).toEqual({ ticket_id: sent.body.ticketId });

    // Links carry a short-lived signed key, not the conversation's token (issue 10, item 7).
    const link = `${server.url}/api/widget/files/${sent.body.ticketId}/${up.body.attachment.id}`;
    const own = await fetch(`${link}?key=${encodeURIComponent(visitor.fileKey)}`);
    expect(own.status).toBe(200);
    expect(Buffer.from(await own.arrayBuffer()).equals(PNG)).toBe(true);
    expect((await fetch(`${link}?token=${visitor.token}`)).status).toBe(401);
    expect((await fetch(link, { headers: { authorization: `Bearer ${visitor.token}` } })).status).toBe(200);
    const other = await startVisitor('Outro');
    expect((await fetch(`${link}?key=${encodeURIComponent(other.fileKey)}`)).status).toBe(404);
    expect((await fetch(`${link}?key=${encodeURIComponent(visitor.fileKey.replace(/~[^~]+$/, '~forged'))}`)).status).toBe(401);
    expect((await fetch(`${server.url}/api/files/${sent.body.ticketId}/${up.body.attachment.id}`, { headers: { cookie: ana } })).status).toBe(200);
    // Another customer cannot send someone else's upload.
    const stolen = await say(other.token, { text: 'olha', attachments: [{ id: up.body.attachment.id }], clientMessageId: 's1' });
    expect(stolen.status).toBe(400);
  });

  it('refuses an oversize or forbidden file with a message the customer understands', async () => {
    const visitor = await startVisitor();
    const exe = await widgetUpload(visitor.token, EXE, 'foto.jpg');
    expect(exe.status).toBe(400);
    expect(exe.body.error.message).toMatch(/^Tipo de arquivo não permitido/);
    const admin = await login(server, 'admin@atende.local');
    await run(server, admin, 'settings.update', { attachments: { maxBytes: 1024, allowedTypes: ['image/*'] } });
    const big = await widgetUpload(visitor.token, Buffer.concat([PNG, Buffer.alloc(5000)]), 'grande.png');
    expect(big.status).toBe(400);
    expect(big.body.error.message).toMatch(/^Arquivo muito grande \(máximo 1 KB\)/);
  });
});
