// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import { effectScope, ref } from '@vue/reactivity';
import type { Attachment, Message, Ticket } from '@atende/core';
import { WidgetError } from '../src/widget/api.ts';
import { app, type AppProps } from '../src/widget/view/app.ts';
import { chat } from '../src/widget/view/chat.ts';
import { mount } from '../src/widget/view/dom.ts';
import { useEmbedBridge } from '../src/widget/embedBridge.ts';
import type { ThreadItem } from '../src/widget/thread.ts';
import type { SendInput, WidgetApi } from '../src/widget/api.ts';
import type { LiveListener, WidgetLive } from '../src/widget/live.ts';

/** A live connection the test drives by hand: it pushes what the server would. */
export const fakeLive = () => {
  const subs = new Map<string, { query: string; params: Record<string, unknown>; listener: LiveListener }>();
  const connection = new Set<(c: boolean) => void>();
  let next = 0;
  const live: WidgetLive = {
    subscribe(query, params, listener) {
      const id = `f${++next}`;
      subs.set(id, { query, params, listener });
      return () => subs.delete(id);
    },
    onConnection(listener) {
      connection.add(listener);
      return () => connection.delete(listener);
    },
    close() {},
  };
  const find = (query: string, ticketId?: string) => {
    const found = [...subs.values()].find((s) => s.query === query && (ticketId === undefined || s.params.ticketId === ticketId));
    if (!found) throw new Error(`no subscription to ${query} ${ticketId ?? ''}`);
    return found.listener;
  };
  return {
    live,
    subscriptions: () => [...subs.values()].map((s) => `${s.query}${s.params.ticketId ? `:${s.params.ticketId}` : ''}`),
    tickets: (docs: Ticket[]) => find('customer.tickets')({ type: 'snapshot', docs: docs as unknown as Record<string, unknown>[] }),
    ticketChanged: (doc: Ticket, type: 'added' | 'modified' = 'modified') =>
      find('customer.tickets')({ type: 'changes', changes: [{ type, doc: doc as unknown as Record<string, unknown> }] }),
    messages: (ticketId: string, docs: Message[]) =>
      find('customer.messages', ticketId)({ type: 'snapshot', docs: docs as unknown as Record<string, unknown>[] }),
    messageAdded: (doc: Message) =>
      find('customer.messages', doc.ticketId)({ type: 'changes', changes: [{ type: 'added', doc: doc as unknown as Record<string, unknown> }] }),
    setConnected: (c: boolean) => connection.forEach((l) => l(c)),
  };
};

export const fakeApi = (overrides: Partial<WidgetApi> = {}) => {
  const sent: SendInput[] = [];
  const api: WidgetApi = {
    channel: async (id) => ({ id, name: 'Loja Exemplo', type: 'webchat' }),
    session: async () => ({ token: 'tok-1', contactId: 'c1' }),
    send: async (_token, input) => {
      sent.push(input);
      return { ticketId: 't1', messageId: 'm-x', protocol: '20261121-0001' };
    },
    upload: async (_token, file): Promise<Attachment> => ({ id: 'a1', name: file.name, mime: file.type, size: file.size, kind: 'document' }),
    fileUrl: (token, ticketId, attachmentId) => `/api/widget/files/${ticketId}/${attachmentId}?token=${token}`,
    ...overrides,
  };
  return { api, sent };
};

let clock = 1_763_700_000_000;

export const ticket = (fields: Partial<Ticket> = {}): Ticket => {
  const base: Ticket = {
    id: 't1',
    protocol: '20261121-0001',
    contactId: 'c1',
    contact: { name: 'Maria', phone: null, email: null },
    channelId: 'site',
    channelType: 'webchat',
    sectorId: 'suporte',
    assigneeId: null,
    status: 'waiting',
    origin: 'agent',
    overflow: false,
    tagIds: [],
    classificationId: null,
    createdAt: clock,
    queuedAt: clock,
    acceptedAt: null,
    closedAt: null,
    closedBy: null,
    lastMessageAt: clock,
    lastCustomerMessageAt: clock,
    lastMessage: null,
    unread: 0,
    inactivityWarnedAt: null,
    sentiment: null,
    updatedAt: clock,
  };
  return { ...base, ...fields };
};

export const message = (fields: Partial<Message> & Pick<Message, 'id'>): Message => ({
  ticketId: 't1',
  contactId: 'c1',
  direction: 'in',
  authorId: null,
  authorName: null,
  text: '',
  attachments: [],
  status: 'delivered',
  createdAt: ++clock,
  channelMessageId: null,
  clientId: null,
  event: null,
  automated: false,
  ...fields,
});

/** The plain-DOM counterpart of what @vue/test-utils gave: mount, query, type, press, submit. */
const mounted: (() => void)[] = [];
const render = (view: () => Node) => {
  const root = document.createElement('div');
  document.body.append(root);
  const { unmount } = mount(root, view);
  mounted.push(unmount);
  return { root, unmount };
};
const flushPromises = () => new Promise<void>((resolve) => setTimeout(resolve));
const get = <E extends Element = HTMLElement>(root: ParentNode, selector: string): E => {
  const found = root.querySelector<E>(selector);
  if (!found) throw new Error(`nothing matches ${selector}`);
  return found;
};
const has = (root: ParentNode, selector: string) => root.querySelector(selector) !== null;
const textOf = (node: Node) => node.textContent?.trim() ?? '';
const setValue = (field: HTMLInputElement | HTMLTextAreaElement, value: string) => {
  field.value = value;
  field.dispatchEvent(new Event('input', { bubbles: true }));
};
const press = (target: Element, init: KeyboardEventInit) => target.dispatchEvent(new KeyboardEvent('keydown', { bubbles: true, cancelable: true, ...init }));
const submit = (form: Element) => form.dispatchEvent(new Event('submit', { bubbles: true, cancelable: true }));
const textarea = (root: ParentNode) => get<HTMLTextAreaElement>(root, 'textarea');

const mountChat = (api = fakeApi().api) => {
  const server = fakeLive();
  const { root } = render(() =>
    chat({ channel: { id: 'site', name: 'Loja Exemplo', type: 'webchat' }, api, live: server.live, token: 'tok-1', embedded: false, onClose: () => {} }),
  );
  return { root, server };
};
const mountApp = (props: AppProps) => render(() => app(props));

const bubbles = (root: ParentNode) => [...root.querySelectorAll<HTMLElement>('[data-testid="message"]')];

afterEach(() => {
  for (const unmount of mounted.splice(0)) unmount();
  document.body.innerHTML = '';
  localStorage.clear();
});

describe('widget thread', () => {
  it('shows a sent message at once as pending and replaces it with the server copy', async () => {
    const { api, sent } = fakeApi();
    const { root, server } = mountChat(api);
    server.tickets([]);
    await flushPromises();

    setValue(textarea(root), 'Meu pedido não chegou');
    press(textarea(root), { key: 'Enter' });
    await flushPromises();

    expect(sent).toHaveLength(1);
    const clientMessageId = sent[0]!.clientMessageId;
    expect(bubbles(root)).toHaveLength(1);
    expect(bubbles(root)[0]!.getAttribute('data-status')).toBe('sending');
    expect(textarea(root).value).toBe('');

    // The first message opened a ticket: the server pushes it, then its messages with our id as channelMessageId.
    server.ticketChanged(ticket(), 'added');
    await flushPromises();
    server.messages('t1', [message({ id: 'm1', text: 'Meu pedido não chegou', channelMessageId: clientMessageId })]);
    await flushPromises();

    expect(bubbles(root)).toHaveLength(1);
    expect(bubbles(root)[0]!.getAttribute('data-status')).toBe('stored');
    expect(textOf(bubbles(root)[0]!)).toContain('Meu pedido não chegou');
    expect(textOf(get(root, '[data-testid="protocol"]'))).toBe('Protocolo 20261121-0001');
  });

  it('keeps the pending copy when the server echoes someone else’s message, and marks a refused send as failed', async () => {
    const { api } = fakeApi({ send: async () => Promise.reject(new WidgetError('resource-exhausted', 'slow down', 429)) });
    const { root, server } = mountChat(api);
    server.tickets([ticket()]);
    server.messages('t1', [message({ id: 'm0', text: 'antes', channelMessageId: 'w-other' })]);
    setValue(textarea(root), 'oi');
    submit(get(root, 'form'));
    await flushPromises();

    expect(bubbles(root).map((b) => b.getAttribute('data-status'))).toEqual(['stored', 'failed']);
    expect(textOf(get(root, '[data-testid="composer-error"]'))).toContain('Muitas mensagens em pouco tempo');
    expect(has(root, 'button[aria-label="Enviar"]')).toBe(true);
  });

  it('renders a message with an <img onerror> payload as text, not as HTML', async () => {
    const { root, server } = mountChat();
    const payload = '<img src=x onerror="window.__pwned=1">oi';
    server.tickets([ticket({ status: 'open' })]);
    await flushPromises();
    server.messages('t1', [message({ id: 'm1', direction: 'out', authorId: 'ana', authorName: 'Ana', text: payload })]);
    await flushPromises();

    const bubble = get(root, '[data-testid="bubble"]');
    expect(has(bubble, 'img')).toBe(false);
    expect(textOf(bubble)).toContain(payload);
    expect((window as unknown as { __pwned?: number }).__pwned).toBeUndefined();
  });

  it('makes http links clickable with rel=noopener and leaves javascript: as text', async () => {
    const { root, server } = mountChat();
    server.tickets([ticket({ status: 'open' })]);
    await flushPromises();
    server.messages('t1', [message({ id: 'm1', direction: 'out', authorId: 'ana', authorName: 'Ana', text: 'Veja https://loja.example/rastreio. Ou javascript:alert(1)' })]);
    await flushPromises();

    const links = [...get(root, '[data-testid="bubble"]').querySelectorAll('a')];
    expect(links).toHaveLength(1);
    expect(links[0]!.getAttribute('href')).toBe('https://loja.example/rastreio');
    expect(links[0]!.getAttribute('rel')).toContain('noopener');
    expect(links[0]!.getAttribute('target')).toBe('_blank');
  });

  it('shows agent and bot names on their messages', async () => {
    const { root, server } = mountChat();
    server.tickets([ticket({ status: 'open' })]);
    await flushPromises();
    server.messages('t1', [
      message({ id: 'm1', direction: 'out', automated: true, text: 'Olá! Escolha uma opção' }),
      message({ id: 'm1b', direction: 'out', automated: true, text: '1 - Suporte' }),
      message({ id: 'm2', direction: 'out', authorId: 'ana', authorName: 'Ana Souza', text: 'Oi, sou a Ana' }),
    ]);
    await flushPromises();
    const [bot, bot2, agent] = bubbles(root);
    expect(textOf(bot!)).toContain('Assistente virtual');
    // One name per run of messages from the same author.
    expect(textOf(bot2!)).not.toContain('Assistente virtual');
    expect(textOf(root).match(/Assistente virtual/g)).toHaveLength(1);
    expect(textOf(agent!)).toContain('Ana Souza');
  });
});

describe('thread rendering', () => {
  it('adds a row for a new message and leaves the rows already drawn untouched', async () => {
    const { root, server } = mountChat();
    server.tickets([ticket({ status: 'open' })]);
    server.messages('t1', [message({ id: 'm1', text: 'primeira' }), message({ id: 'm2', direction: 'out', authorId: 'ana', authorName: 'Ana', text: 'segunda' })]);
    const [first, second] = bubbles(root);

    server.messageAdded(message({ id: 'm3', direction: 'out', authorId: 'ana', authorName: 'Ana', text: 'terceira' }));
    const now = bubbles(root);
    expect(now.map((b) => textOf(get(b, '[data-testid="bubble"]')))).toEqual(['primeira', 'segunda', 'terceira']);
    expect(now[0]).toBe(first);
    // Redrawn only because it no longer ends its run: its time moves down to the new message.
    expect(second!.lastElementChild!.getAttribute('data-testid')).toBeNull();
    expect(now[1]).not.toBe(second);
    expect(now[1]!.lastElementChild!.getAttribute('data-testid')).toBe('bubble');
  });

  it('says it is reconnecting while the socket is down', async () => {
    const { root, server } = mountChat();
    const banner = () => [...root.querySelectorAll('[role="status"]')].some((el) => textOf(el) === 'Reconectando…');
    expect(banner()).toBe(false);
    server.setConnected(false);
    expect(banner()).toBe(true);
    server.setConnected(true);
    expect(banner()).toBe(false);
  });

  it('stops its live subscriptions when unmounted', async () => {
    const server = fakeLive();
    const { unmount } = render(() =>
      chat({ channel: { id: 'site', name: 'Loja Exemplo', type: 'webchat' }, api: fakeApi().api, live: server.live, token: 'tok-1', embedded: false, onClose: () => {} }),
    );
    server.tickets([ticket()]);
    expect(server.subscriptions()).toEqual(['customer.tickets', 'customer.messages:t1']);
    unmount();
    expect(server.subscriptions()).toEqual([]);
  });
});

describe('waiting notice', () => {
  const notice = (root: ParentNode) => has(root, '[data-testid="awaiting-agent"]');

  it('shows while the ticket waits in the queue and until a person answers, not for bot messages', async () => {
    const { root, server } = mountChat();
    server.tickets([]);
    await flushPromises();
    expect(notice(root)).toBe(false); // nothing sent yet

    server.ticketChanged(ticket({ status: 'waiting' }), 'added');
    await flushPromises();
    server.messages('t1', [message({ id: 'm1', text: 'oi' })]);
    await flushPromises();
    expect(textOf(get(root, '[data-testid="awaiting-agent"]'))).toContain('Aguardando um atendente');

    // An agent took it but has not written; an automated message does not count as an answer.
    server.ticketChanged(ticket({ status: 'open', assigneeId: 'ana', updatedAt: ticket().updatedAt + 1 }));
    server.messageAdded(message({ id: 'm2', direction: 'out', automated: true, text: 'Estamos fora do horário' }));
    await flushPromises();
    expect(notice(root)).toBe(true);

    server.messageAdded(message({ id: 'm3', direction: 'out', authorId: 'ana', authorName: 'Ana', text: 'Olá, Maria!' }));
    await flushPromises();
    expect(notice(root)).toBe(false);

    // Returned to the queue: waiting again, even though someone answered before.
    server.ticketChanged(ticket({ status: 'waiting', updatedAt: ticket().updatedAt + 2 }));
    await flushPromises();
    expect(notice(root)).toBe(true);
  });

  it('ignores a ticket update older than the one held', async () => {
    const { root, server } = mountChat();
    const base = ticket({ status: 'open', updatedAt: 10 });
    server.tickets([base]);
    await flushPromises();
    server.messages('t1', [message({ id: 'm1', direction: 'out', authorId: 'ana', authorName: 'Ana', text: 'oi' })]);
    server.ticketChanged({ ...base, status: 'waiting', updatedAt: 9 });
    await flushPromises();
    expect(notice(root)).toBe(false);
  });

  it('says the conversation ended when the newest ticket is closed', async () => {
    const { root, server } = mountChat();
    server.tickets([ticket({ status: 'closed', closedAt: 1 })]);
    await flushPromises();
    expect(notice(root)).toBe(false);
    expect(textOf(root)).toContain('Este atendimento foi encerrado');
  });
});

describe('tickets over time', () => {
  it('switches to a new ticket and keeps the old messages above a line with the old protocol', async () => {
    const { root, server } = mountChat();
    const old = ticket({ id: 't1', protocol: '20261120-0007', status: 'closed', createdAt: 100 });
    server.tickets([old]);
    await flushPromises();
    server.messages('t1', [message({ id: 'm1', ticketId: 't1', text: 'primeira conversa' })]);
    await flushPromises();

    server.ticketChanged(ticket({ id: 't2', protocol: '20261121-0042', status: 'waiting', createdAt: 200 }), 'added');
    await flushPromises();
    expect(server.subscriptions()).toEqual(expect.arrayContaining(['customer.messages:t1', 'customer.messages:t2']));
    server.messages('t2', [message({ id: 'm2', ticketId: 't2', text: 'segunda conversa' })]);
    await flushPromises();

    expect(textOf(get(root, '[data-testid="protocol"]'))).toBe('Protocolo 20261121-0042');
    const separators = [...root.querySelectorAll('[data-testid="ticket-separator"]')].map(textOf);
    expect(separators).toEqual(['Protocolo 20261120-0007 · encerrado', 'Protocolo 20261121-0042']);
    const thread = textOf(get(root, '[role="log"]'));
    expect(thread.indexOf('primeira conversa')).toBeGreaterThan(-1);
    expect(thread.indexOf('primeira conversa')).toBeLessThan(thread.indexOf('20261121-0042'));
    expect(thread.indexOf('20261121-0042')).toBeLessThan(thread.indexOf('segunda conversa'));
  });
});

describe('attachments', () => {
  it('uploads a file, then sends it; a refused file is explained in Portuguese', async () => {
    const uploaded: string[] = [];
    const { api, sent } = fakeApi({
      upload: async (_t, file): Promise<Attachment> => {
        uploaded.push(file.name);
        if (file.name.endsWith('.exe')) throw new WidgetError('invalid-argument', 'Tipo de arquivo não permitido (application/x-msdownload). (This file type is not allowed.)', 400, [{ path: 'file', message: 'type not allowed' }]);
        if (file.size > 10) throw new WidgetError('invalid-argument', 'Arquivo muito grande (máximo 16 MB). (File too large: at most 16 MB.)', 400, [{ path: 'file', message: 'larger than 16777216 bytes' }]);
        return { id: 'a1', name: file.name, mime: 'application/pdf', size: file.size, kind: 'document' };
      },
    });
    const { root, server } = mountChat(api);
    server.tickets([ticket({ status: 'open' })]);
    await flushPromises();
    const input = get<HTMLInputElement>(root, 'input[type="file"]');
    const pick = async (file: File) => {
      Object.defineProperty(input, 'files', { value: [file], configurable: true });
      input.dispatchEvent(new Event('change'));
      await flushPromises();
    };

    await pick(new File(['MZ'], 'virus.exe', { type: 'application/x-msdownload' }));
    expect(textOf(get(root, '[data-testid="composer-error"]'))).toBe('Este tipo de arquivo não é aceito.');
    await pick(new File(['x'.repeat(20)], 'grande.pdf', { type: 'application/pdf' }));
    expect(textOf(get(root, '[data-testid="composer-error"]'))).toBe('O arquivo é grande demais (máximo de 16 MB).');
    expect(sent).toHaveLength(0);
    expect(bubbles(root)).toHaveLength(0);

    await pick(new File(['%PDF'], 'nota.pdf', { type: 'application/pdf' }));
    expect(uploaded).toEqual(['virus.exe', 'grande.pdf', 'nota.pdf']);
    expect(sent).toEqual([{ text: '', attachments: [expect.objectContaining({ id: 'a1' })], clientMessageId: expect.any(String) }]);
    expect(has(root, '[data-testid="composer-error"]')).toBe(false);
  });

  it('shows images inline and other files as a card linking to the file route with the token', async () => {
    const { root, server } = mountChat();
    server.tickets([ticket({ status: 'open' })]);
    await flushPromises();
    server.messages('t1', [
      message({ id: 'm1', direction: 'out', authorId: 'ana', authorName: 'Ana', attachments: [{ id: 'img1', name: 'foto.png', mime: 'image/png', size: 2048, kind: 'image' }] }),
      message({ id: 'm2', direction: 'out', authorId: 'ana', authorName: 'Ana', attachments: [{ id: 'doc1', name: 'boleto.pdf', mime: 'application/pdf', size: 150_000, kind: 'document' }] }),
    ]);
    await flushPromises();
    const [image, doc] = bubbles(root);
    expect(get(image!, 'img').getAttribute('src')).toBe('/api/widget/files/t1/img1?token=tok-1');
    expect(get(image!, 'a').getAttribute('target')).toBe('_blank');
    expect(get(doc!, 'a').getAttribute('href')).toBe('/api/widget/files/t1/doc1?token=tok-1');
    expect(textOf(doc!)).toContain('boleto.pdf');
    expect(textOf(doc!)).toMatch(/146(,5)? KB/);
  });

  it('refuses a text longer than the limit before sending', async () => {
    const { api, sent } = fakeApi();
    const { root, server } = mountChat(api);
    server.tickets([]);
    setValue(textarea(root), 'a'.repeat(4097));
    press(textarea(root), { key: 'Enter' });
    await flushPromises();
    expect(sent).toHaveLength(0);
    expect(textOf(get(root, '[data-testid="composer-error"]'))).toContain('longa demais');
    expect(textarea(root).value).toHaveLength(4097);
  });

  it('keeps Shift+Enter for a new line', async () => {
    const { api, sent } = fakeApi();
    const { root } = mountChat(api);
    setValue(textarea(root), 'linha 1');
    press(textarea(root), { key: 'Enter', shiftKey: true });
    await flushPromises();
    expect(sent).toHaveLength(0);
  });
});

describe('widget app', () => {
  it('starts a session from the form, stores the token per channel, and resumes it after a reload', async () => {
    const calls: unknown[] = [];
    const { api } = fakeApi({
      session: async (_channel, input) => {
        calls.push(input);
        return { token: input.token ?? 'tok-new', contactId: 'c1' };
      },
    });
    const connected: string[] = [];
    const connect = (token: string) => {
      connected.push(token);
      return fakeLive().live;
    };
    const first = mountApp({ channelId: 'site', api, connect });
    await flushPromises();
    expect(textOf(first.root)).toContain('Loja Exemplo');
    submit(get(first.root, 'form'));
    expect(textOf(first.root)).toContain('Informe seu nome.');
    expect(calls).toHaveLength(0);

    setValue(get<HTMLInputElement>(first.root, '#w-name'), '  Maria  ');
    setValue(get<HTMLInputElement>(first.root, '#w-email'), 'maria@example.com');
    submit(get(first.root, 'form'));
    await flushPromises();
    expect(calls).toEqual([{ name: 'Maria', email: 'maria@example.com' }]);
    expect(connected).toEqual(['tok-new']);
    expect(has(first.root, 'textarea')).toBe(true);
    expect(JSON.parse(localStorage.getItem('atende.widget.site')!)).toEqual({ token: 'tok-new', name: 'Maria' });
    first.unmount();

    const second = mountApp({ channelId: 'site', api, connect });
    await flushPromises();
    expect(calls[1]).toEqual({ name: 'Maria', token: 'tok-new' });
    expect(has(second.root, 'textarea')).toBe(true);
    expect(localStorage.getItem('atende.widget.other')).toBeNull();
  });

  it('starts afresh when the stored token is no longer valid', async () => {
    localStorage.setItem('atende.widget.site', JSON.stringify({ token: 'stale', name: 'Maria' }));
    const { api } = fakeApi({ session: async () => Promise.reject(new WidgetError('unauthenticated', 'expired', 401)) });
    const { root } = mountApp({ channelId: 'site', api, connect: () => fakeLive().live });
    await flushPromises();
    expect(has(root, '#w-name')).toBe(true);
    expect(localStorage.getItem('atende.widget.site')).toBeNull();
  });

  it('offers a retry when the server cannot be reached, and gets through once it can', async () => {
    let reachable = false;
    const { api } = fakeApi({
      channel: async (id) => {
        if (!reachable) throw new WidgetError('network', 'network error', 0);
        return { id, name: 'Loja Exemplo', type: 'webchat' };
      },
    });
    const { root } = mountApp({ channelId: 'site', api, connect: () => fakeLive().live });
    await flushPromises();
    expect(textOf(get(root, '[role="alert"]'))).toContain('Não foi possível conectar');
    reachable = true;
    get(root, '[role="alert"] button').click();
    await flushPromises();
    expect(has(root, '[role="alert"]')).toBe(false);
    expect(has(root, '#w-name')).toBe(true);
  });

  it('says so kindly when the channel does not exist', async () => {
    const { api } = fakeApi({ channel: async () => Promise.reject(new WidgetError('not-found', 'Este chat não está disponível.', 404)) });
    const { root } = mountApp({ channelId: 'nope', api, connect: () => fakeLive().live });
    await flushPromises();
    expect(textOf(get(root, '[role="alert"]'))).toContain('Este chat não está disponível no momento.');
    expect(has(root, 'form')).toBe(false);
  });
});

describe('embed bridge', () => {
  it('counts replies that arrive while the panel is hidden and clears them when it opens', async () => {
    const posted: unknown[] = [];
    const parent = { postMessage: (m: unknown) => posted.push(m) } as unknown as Window;
    const thread = ref<ThreadItem[]>([]);
    const item = (m: Message): ThreadItem => ({ kind: 'message', key: m.id, message: m });
    const scope = effectScope();
    const bridge = scope.run(() => useEmbedBridge(thread, parent))!;
    const tell = (open: boolean) => window.dispatchEvent(new MessageEvent('message', { data: { type: 'atende:visibility', open }, source: parent as unknown as MessageEventSource }));

    thread.value = [item(message({ id: 'old', direction: 'out', authorId: 'ana', authorName: 'Ana' }))];
    tell(false);
    thread.value = [...thread.value, item(message({ id: 'mine', direction: 'in' })), item(message({ id: 'r1', direction: 'out', authorId: 'ana', authorName: 'Ana' }))];
    thread.value = [...thread.value, item(message({ id: 'r2', direction: 'out', automated: true }))];
    expect(bridge.unread.value).toBe(2);
    expect(posted.at(-1)).toEqual({ type: 'atende:unread', count: 2 });

    tell(true);
    expect(bridge.unread.value).toBe(0);
    expect(posted.at(-1)).toEqual({ type: 'atende:unread', count: 0 });
    // A message from another window is not ours to obey.
    window.dispatchEvent(new MessageEvent('message', { data: { type: 'atende:visibility', open: false } }));
    expect(bridge.open.value).toBe(true);
    scope.stop();
  });
});
