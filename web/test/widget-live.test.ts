// @vitest-environment node
/**
 * The widget's data layer against the real embedded server: real SQLite file,
 * real HTTP, a real WebSocket. An agent answers through the staff API.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { effectScope } from 'vue';
import WebSocket from 'ws';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../server/src/app.ts';
import { createHttpApi, explainError, WidgetError } from '../src/widget/api.ts';
import { createLive, type SocketLike } from '../src/widget/live.ts';
import { useConversation } from '../src/widget/useConversation.ts';
import { isAwaitingAgent, linkify } from '../src/widget/thread.ts';
import { formatTime, pickLocale, t } from '../src/widget/i18n.ts';
import { applyBrandColour, channelIdFromPath } from '../src/widget/session.ts';

let app: FastifyInstance;
let base: string;
let dataDir: string;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'atende-widget-'));
  app = await buildApp({ dataDir, webDist: join(dataDir, 'no-dist'), seed: 'demo' });
  await app.listen({ port: 0, host: '127.0.0.1' });
  base = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
});
afterAll(async () => {
  await app?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const until = async (what: string, check: () => boolean, timeoutMs = 5000) => {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 15));
  }
};

const staff = async (email: string) => {
  const res = await fetch(`${base}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password: 'atende123' }),
  });
  expect(res.status).toBe(200);
  const cookie = res.headers.getSetCookie()[0]!.split(';')[0]!;
  return async (command: string, input: unknown) => {
    const r = await fetch(`${base}/api/commands/${command}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie },
      body: JSON.stringify(input),
    });
    const body = (await r.json()) as Record<string, unknown>;
    if (r.status !== 200) throw new Error(`${command}: ${r.status} ${JSON.stringify(body)}`);
    return body;
  };
};

describe('widget against the real server', () => {
  it('talks to an agent live, survives a dropped socket, and starts a new ticket after closing', async () => {
    const api = createHttpApi(base);
    expect(await api.channel('site')).toEqual({ id: 'site', name: 'Chat do site', type: 'webchat' });
    await expect(api.channel('nope')).rejects.toMatchObject({ status: 404 });

    const { token } = await api.session('site', { name: 'Paula Teste', email: 'paula@example.com' });
    // Resuming with the token keeps the same conversation.
    expect((await api.session('site', { name: 'Paula Teste', token })).token).toBe(token);

    const sockets: WebSocket[] = [];
    const live = createLive(() => `${base.replace('http', 'ws')}/api/widget/live?token=${encodeURIComponent(token)}`, {
      createSocket: (url) => {
        const ws = new WebSocket(url);
        sockets.push(ws);
        return ws as unknown as SocketLike;
      },
      backoff: () => 50,
    });
    const scope = effectScope();
    const c = scope.run(() => useConversation({ api, live, token }))!;
    try {
      await until('the tickets snapshot', () => sockets.length === 1 && sockets[0]!.readyState === WebSocket.OPEN);

      expect(c.sendText('Olá, preciso de ajuda com meu pedido https://loja.example/p/1')).toBe(true);
      expect(c.thread.value.at(-1)?.kind).toBe('pending');
      await until('the server copy', () => c.pending.value.length === 0 && c.thread.value.some((i) => i.kind === 'message'));
      const first = c.current.value!;
      expect(first.protocol).toMatch(/^\d{8}-\d{5}$/);
      expect(first.status).toBe('waiting');
      expect(c.awaitingAgent.value).toBe(true);
      expect(c.thread.value.filter((i) => i.kind === 'message')).toHaveLength(1);

      const ana = await staff('ana@atende.local');
      await ana('ticket.accept', { ticketId: first.id });
      await ana('message.send', { ticketId: first.id, text: 'Oi Paula, sou a Ana. Vou verificar.' });
      await until('the agent reply', () => !c.awaitingAgent.value);
      const reply = c.thread.value.at(-1)!;
      expect(reply).toMatchObject({ kind: 'message', message: { direction: 'out', authorName: 'Ana Souza', automated: false } });

      // The socket drops; the agent writes meanwhile; the reconnect's fresh snapshot brings it.
      sockets[0]!.terminate();
      await until('the disconnect', () => !c.connected.value);
      await ana('message.send', { ticketId: first.id, text: 'Enquanto você estava fora.' });
      await until('the reconnect', () => sockets.length >= 2 && c.connected.value);
      await until('the missed message', () => c.thread.value.some((i) => i.kind === 'message' && i.message.text === 'Enquanto você estava fora.'));

      // Closed: the customer's next message opens a new ticket with a new protocol; the old thread stays above.
      await ana('ticket.close', { ticketId: first.id });
      await until('the closed status', () => c.current.value?.status === 'closed');
      expect(c.awaitingAgent.value).toBe(false);
      c.sendText('Mais uma dúvida');
      await until('the new ticket', () => c.current.value !== null && c.current.value.id !== first.id && c.pending.value.length === 0);
      expect(c.current.value!.protocol).not.toBe(first.protocol);
      await until('the new message', () => c.thread.value.some((i) => i.kind === 'message' && i.message.text === 'Mais uma dúvida'));
      const separators = c.thread.value.filter((i) => i.kind === 'ticket').map((i) => (i.kind === 'ticket' ? i.ticket.protocol : ''));
      expect(separators).toEqual([first.protocol, c.current.value!.protocol]);
      expect(c.awaitingAgent.value).toBe(true);
    } finally {
      scope.stop();
      live.close();
    }
  });

  it('uploads a file and sends it; refuses a forbidden type with a Portuguese explanation', async () => {
    const api = createHttpApi(base);
    const { token } = await api.session('site', { name: 'Arquivo Teste' });
    const png = new File([Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex')], 'foto.png', { type: 'image/png' });
    const attachment = await api.upload(token, png);
    expect(attachment).toMatchObject({ name: 'foto.png', kind: 'image' });
    const sent = await api.send(token, { text: '', attachments: [attachment], clientMessageId: 'w-file-1' });
    const res = await fetch(api.fileUrl(token, sent.ticketId, attachment.id));
    expect(res.status).toBe(200);
    // The link carries a short-lived signed key, not the conversation's token (issue 10, item 7).
    expect(api.fileUrl(token, sent.ticketId, attachment.id)).not.toContain(encodeURIComponent(token));
    expect((await fetch(api.fileUrl(token, sent.ticketId, attachment.id).replace(/key=[^&]*/, 'key=forged'))).status).toBe(401);

    const exe = new File([Buffer.from('4d5a900003000000', 'hex')], 'setup.exe', { type: 'application/octet-stream' });
    const refused = await api.upload(token, exe).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(WidgetError);
    const explained = explainError(refused);
    expect(t(explained.key, explained.vars)).toBe('Este tipo de arquivo não é aceito.');

    const tooLong = await api.send(token, { text: 'a'.repeat(5000), attachments: [], clientMessageId: 'w-long' }).catch((e: unknown) => e);
    const why = explainError(tooLong);
    expect(t(why.key, why.vars)).toBe('Sua mensagem é longa demais (máximo de 4096 caracteres).');
  });

  it('never lets a widget token read another customer’s ticket', async () => {
    const api = createHttpApi(base);
    const a = await api.session('site', { name: 'Cliente A' });
    const b = await api.session('site', { name: 'Cliente B' });
    const sent = await api.send(a.token, { text: 'segredo', attachments: [], clientMessageId: 'w-secret' });
    const errors: string[] = [];
    const live = createLive(() => `${base.replace('http', 'ws')}/api/widget/live?token=${b.token}`, {
      createSocket: (url) => new WebSocket(url) as unknown as SocketLike,
    });
    live.subscribe('customer.messages', { ticketId: sent.ticketId }, (event) => {
      if (event.type === 'error') errors.push(event.error.code);
      if (event.type === 'snapshot') errors.push(`leaked ${event.docs.length}`);
    });
    try {
      await until('the refusal', () => errors.length > 0);
      expect(errors[0]).not.toMatch(/^leaked/);
    } finally {
      live.close();
    }
  });
});

describe('widget helpers', () => {
  it('finds the channel in the path and picks the language', () => {
    expect(channelIdFromPath('/widget/site')).toBe('site');
    expect(channelIdFromPath('/widget/loja%20central/')).toBe('loja central');
    expect(channelIdFromPath('/')).toBe('');
    expect(pickLocale(['en-US', 'pt-BR'])).toBe('en');
    expect(pickLocale(['pt-PT'])).toBe('pt-BR');
    expect(pickLocale(['fr-FR'])).toBe('pt-BR');
  });

  it('splits links from text without swallowing the sentence’s punctuation', () => {
    expect(linkify('veja www.loja.example/a, depois (https://x.example/b).')).toEqual([
      { text: 'veja ', href: null },
      { text: 'www.loja.example/a', href: 'https://www.loja.example/a' },
      { text: ', depois (', href: null },
      { text: 'https://x.example/b', href: 'https://x.example/b' },
      { text: ').', href: null },
    ]);
  });

  it('takes a brand colour only as #rrggbb, with readable text on light colours', () => {
    const style = new Map<string, string>();
    const root = { style: { setProperty: (k: string, v: string) => style.set(k, v) } } as unknown as HTMLElement;
    applyBrandColour('red;}body{display:none', root);
    expect(style.size).toBe(0);
    applyBrandColour('#fde047', root);
    expect(Object.fromEntries(style)).toEqual({ '--brand': '#fde047', '--brand-ink': '#111827' });
  });

  it('does not wait for an agent when there is no ticket', () => {
    expect(isAwaitingAgent(null, [])).toBe(false);
  });
});

describe('message times', () => {
  it('shows the day only for messages from another day', () => {
    const now = new Date(2026, 10, 21, 15, 0).getTime();
    const today = formatTime(new Date(2026, 10, 21, 9, 5).getTime(), now);
    const earlier = formatTime(new Date(2026, 10, 18, 9, 5).getTime(), now);
    expect(today).toMatch(/^0?9:05/);
    expect(earlier).toMatch(/18/);
    expect(earlier.endsWith(today)).toBe(true);
  });
});
