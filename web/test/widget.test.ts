// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import { flushPromises, mount } from '@vue/test-utils';
import type { Attachment, Message, Ticket } from '@atende/core';
import { WidgetError } from '../src/widget/api.ts';
import WidgetApp from '../src/widget/WidgetApp.vue';
import WidgetChat from '../src/widget/WidgetChat.vue';
import { effectScope, nextTick, ref } from 'vue';
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

const mountChat = (api = fakeApi().api) => {
  const server = fakeLive();
  const wrapper = mount(WidgetChat, {
    props: { channel: { id: 'site', name: 'Loja Exemplo', type: 'webchat' }, api, live: server.live, token: 'tok-1', embedded: false },
    attachTo: document.body,
  });
  return { wrapper, server };
};

const bubbles = (wrapper: ReturnType<typeof mount>) => wrapper.findAll('[data-testid="message"]');

afterEach(() => {
  document.body.innerHTML = '';
  localStorage.clear();
});

describe('widget thread', () => {
  it('shows a sent message at once as pending and replaces it with the server copy', async () => {
    const { api, sent } = fakeApi();
    const { wrapper, server } = mountChat(api);
    server.tickets([]);
    await flushPromises();

    await wrapper.get('textarea').setValue('Meu pedido não chegou');
    await wrapper.get('textarea').trigger('keydown', { key: 'Enter' });
    await flushPromises();

    expect(sent).toHaveLength(1);
    const clientMessageId = sent[0]!.clientMessageId;
    expect(bubbles(wrapper)).toHaveLength(1);
    expect(bubbles(wrapper)[0]!.attributes('data-status')).toBe('sending');
    expect((wrapper.get('textarea').element as HTMLTextAreaElement).value).toBe('');

    // The first message opened a ticket: the server pushes it, then its messages with our id as channelMessageId.
    server.ticketChanged(ticket(), 'added');
    await flushPromises();
    server.messages('t1', [message({ id: 'm1', text: 'Meu pedido não chegou', channelMessageId: clientMessageId })]);
    await flushPromises();

    expect(bubbles(wrapper)).toHaveLength(1);
    expect(bubbles(wrapper)[0]!.attributes('data-status')).toBe('stored');
    expect(bubbles(wrapper)[0]!.text()).toContain('Meu pedido não chegou');
    expect(wrapper.get('[data-testid="protocol"]').text()).toBe('Protocolo 20261121-0001');
  });

  it('keeps the pending copy when the server echoes someone else’s message, and marks a refused send as failed', async () => {
    const { api } = fakeApi({ send: async () => Promise.reject(new WidgetError('resource-exhausted', 'slow down', 429)) });
    const { wrapper, server } = mountChat(api);
    server.tickets([ticket()]);
    server.messages('t1', [message({ id: 'm0', text: 'antes', channelMessageId: 'w-other' })]);
    await wrapper.get('textarea').setValue('oi');
    await wrapper.get('form').trigger('submit');
    await flushPromises();

    expect(bubbles(wrapper).map((b) => b.attributes('data-status'))).toEqual(['stored', 'failed']);
    expect(wrapper.get('[data-testid="composer-error"]').text()).toContain('Muitas mensagens em pouco tempo');
    expect(wrapper.find('button[aria-label="Enviar"]').exists()).toBe(true);
  });

  it('renders a message with an <img onerror> payload as text, not as HTML', async () => {
    const { wrapper, server } = mountChat();
    const payload = '<img src=x onerror="window.__pwned=1">oi';
    server.tickets([ticket({ status: 'open' })]);
    await flushPromises();
    server.messages('t1', [message({ id: 'm1', direction: 'out', authorId: 'ana', authorName: 'Ana', text: payload })]);
    await flushPromises();

    const bubble = wrapper.get('[data-testid="bubble"]');
    expect(bubble.find('img').exists()).toBe(false);
    expect(bubble.text()).toContain(payload);
    expect((window as unknown as { __pwned?: number }).__pwned).toBeUndefined();
  });

  it('makes http links clickable with rel=noopener and leaves javascript: as text', async () => {
    const { wrapper, server } = mountChat();
    server.tickets([ticket({ status: 'open' })]);
    await flushPromises();
    server.messages('t1', [message({ id: 'm1', direction: 'out', authorId: 'ana', authorName: 'Ana', text: 'Veja https://loja.example/rastreio. Ou javascript:alert(1)' })]);
    await flushPromises();

    const links = wrapper.get('[data-testid="bubble"]').findAll('a');
    expect(links).toHaveLength(1);
    expect(links[0]!.attributes('href')).toBe('https://loja.example/rastreio');
    expect(links[0]!.attributes('rel')).toContain('noopener');
    expect(links[0]!.attributes('target')).toBe('_blank');
  });

  it('shows agent and bot names on their messages', async () => {
    const { wrapper, server } = mountChat();
    server.tickets([ticket({ status: 'open' })]);
    await flushPromises();
    server.messages('t1', [
      message({ id: 'm1', direction: 'out', automated: true, text: 'Olá! Escolha uma opção' }),
      message({ id: 'm1b', direction: 'out', automated: true, text: '1 - Suporte' }),
      message({ id: 'm2', direction: 'out', authorId: 'ana', authorName: 'Ana Souza', text: 'Oi, sou a Ana' }),
    ]);
    await flushPromises();
    const [bot, bot2, agent] = bubbles(wrapper);
    expect(bot!.text()).toContain('Assistente virtual');
    // One name per run of messages from the same author.
    expect(bot2!.text()).not.toContain('Assistente virtual');
    expect(wrapper.text().match(/Assistente virtual/g)).toHaveLength(1);
    expect(agent!.text()).toContain('Ana Souza');
  });
});

describe('waiting notice', () => {
  const notice = (wrapper: ReturnType<typeof mount>) => wrapper.find('[data-testid="awaiting-agent"]').exists();

  it('shows while the ticket waits in the queue and until a person answers, not for bot messages', async () => {
    const { wrapper, server } = mountChat();
    server.tickets([]);
    await flushPromises();
    expect(notice(wrapper)).toBe(false); // nothing sent yet

    server.ticketChanged(ticket({ status: 'waiting' }), 'added');
    await flushPromises();
    server.messages('t1', [message({ id: 'm1', text: 'oi' })]);
    await flushPromises();
    expect(wrapper.get('[data-testid="awaiting-agent"]').text()).toContain('Aguardando um atendente');

    // An agent took it but has not written; an automated message does not count as an answer.
    server.ticketChanged(ticket({ status: 'open', assigneeId: 'ana', updatedAt: ticket().updatedAt + 1 }));
    server.messageAdded(message({ id: 'm2', direction: 'out', automated: true, text: 'Estamos fora do horário' }));
    await flushPromises();
    expect(notice(wrapper)).toBe(true);

    server.messageAdded(message({ id: 'm3', direction: 'out', authorId: 'ana', authorName: 'Ana', text: 'Olá, Maria!' }));
    await flushPromises();
    expect(notice(wrapper)).toBe(false);

    // Returned to the queue: waiting again, even though someone answered before.
    server.ticketChanged(ticket({ status: 'waiting', updatedAt: ticket().updatedAt + 2 }));
    await flushPromises();
    expect(notice(wrapper)).toBe(true);
  });

  it('ignores a ticket update older than the one held', async () => {
    const { wrapper, server } = mountChat();
    const base = ticket({ status: 'open', updatedAt: 10 });
    server.tickets([base]);
    await flushPromises();
    server.messages('t1', [message({ id: 'm1', direction: 'out', authorId: 'ana', authorName: 'Ana', text: 'oi' })]);
    server.ticketChanged({ ...base, status: 'waiting', updatedAt: 9 });
    await flushPromises();
    expect(notice(wrapper)).toBe(false);
  });

  it('says the conversation ended when the newest ticket is closed', async () => {
    const { wrapper, server } = mountChat();
    server.tickets([ticket({ status: 'closed', closedAt: 1 })]);
    await flushPromises();
    expect(notice(wrapper)).toBe(false);
    expect(wrapper.text()).toContain('Este atendimento foi encerrado');
  });
});

describe('tickets over time', () => {
  it('switches to a new ticket and keeps the old messages above a line with the old protocol', async () => {
    const { wrapper, server } = mountChat();
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

    expect(wrapper.get('[data-testid="protocol"]').text()).toBe('Protocolo 20261121-0042');
    const separators = wrapper.findAll('[data-testid="ticket-separator"]').map((s) => s.text());
    expect(separators).toEqual(['Protocolo 20261120-0007 · encerrado', 'Protocolo 20261121-0042']);
    const thread = wrapper.get('[role="log"]').text();
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
    const { wrapper, server } = mountChat(api);
    server.tickets([ticket({ status: 'open' })]);
    await flushPromises();
    const input = wrapper.get('input[type="file"]');
    const pick = async (file: File) => {
      Object.defineProperty(input.element, 'files', { value: [file], configurable: true });
      await input.trigger('change');
      await flushPromises();
    };

    await pick(new File(['MZ'], 'virus.exe', { type: 'application/x-msdownload' }));
    expect(wrapper.get('[data-testid="composer-error"]').text()).toBe('Este tipo de arquivo não é aceito.');
    await pick(new File(['x'.repeat(20)], 'grande.pdf', { type: 'application/pdf' }));
    expect(wrapper.get('[data-testid="composer-error"]').text()).toBe('O arquivo é grande demais (máximo de 16 MB).');
    expect(sent).toHaveLength(0);
    expect(bubbles(wrapper)).toHaveLength(0);

    await pick(new File(['%PDF'], 'nota.pdf', { type: 'application/pdf' }));
    expect(uploaded).toEqual(['virus.exe', 'grande.pdf', 'nota.pdf']);
    expect(sent).toEqual([{ text: '', attachments: [expect.objectContaining({ id: 'a1' })], clientMessageId: expect.any(String) }]);
    expect(wrapper.find('[data-testid="composer-error"]').exists()).toBe(false);
  });

  it('shows images inline and other files as a card linking to the file route with the token', async () => {
    const { wrapper, server } = mountChat();
    server.tickets([ticket({ status: 'open' })]);
    await flushPromises();
    server.messages('t1', [
      message({ id: 'm1', direction: 'out', authorId: 'ana', authorName: 'Ana', attachments: [{ id: 'img1', name: 'foto.png', mime: 'image/png', size: 2048, kind: 'image' }] }),
      message({ id: 'm2', direction: 'out', authorId: 'ana', authorName: 'Ana', attachments: [{ id: 'doc1', name: 'boleto.pdf', mime: 'application/pdf', size: 150_000, kind: 'document' }] }),
    ]);
    await flushPromises();
    const [image, doc] = bubbles(wrapper);
    expect(image!.get('img').attributes('src')).toBe('/api/widget/files/t1/img1?token=tok-1');
    expect(image!.get('a').attributes('target')).toBe('_blank');
    expect(doc!.get('a').attributes('href')).toBe('/api/widget/files/t1/doc1?token=tok-1');
    expect(doc!.text()).toContain('boleto.pdf');
    expect(doc!.text()).toMatch(/146(,5)? KB/);
  });

  it('refuses a text longer than the limit before sending', async () => {
    const { api, sent } = fakeApi();
    const { wrapper, server } = mountChat(api);
    server.tickets([]);
    await wrapper.get('textarea').setValue('a'.repeat(4097));
    await wrapper.get('textarea').trigger('keydown', { key: 'Enter' });
    await flushPromises();
    expect(sent).toHaveLength(0);
    expect(wrapper.get('[data-testid="composer-error"]').text()).toContain('longa demais');
    expect((wrapper.get('textarea').element as HTMLTextAreaElement).value).toHaveLength(4097);
  });

  it('keeps Shift+Enter for a new line', async () => {
    const { api, sent } = fakeApi();
    const { wrapper } = mountChat(api);
    await wrapper.get('textarea').setValue('linha 1');
    await wrapper.get('textarea').trigger('keydown', { key: 'Enter', shiftKey: true });
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
    const first = mount(WidgetApp, { props: { channelId: 'site', api, connect } });
    await flushPromises();
    expect(first.text()).toContain('Loja Exemplo');
    await first.get('form').trigger('submit');
    expect(first.text()).toContain('Informe seu nome.');
    expect(calls).toHaveLength(0);

    await first.get('#w-name').setValue('  Maria  ');
    await first.get('#w-email').setValue('maria@example.com');
    await first.get('form').trigger('submit');
    await flushPromises();
    expect(calls).toEqual([{ name: 'Maria', email: 'maria@example.com' }]);
    expect(connected).toEqual(['tok-new']);
    expect(first.find('textarea').exists()).toBe(true);
    expect(JSON.parse(localStorage.getItem('atende.widget.site')!)).toEqual({ token: 'tok-new', name: 'Maria' });
    first.unmount();

    const second = mount(WidgetApp, { props: { channelId: 'site', api, connect } });
    await flushPromises();
    expect(calls[1]).toEqual({ name: 'Maria', token: 'tok-new' });
    expect(second.find('textarea').exists()).toBe(true);
    expect(localStorage.getItem('atende.widget.other')).toBeNull();
  });

  it('starts afresh when the stored token is no longer valid', async () => {
    localStorage.setItem('atende.widget.site', JSON.stringify({ token: 'stale', name: 'Maria' }));
    const { api } = fakeApi({ session: async () => Promise.reject(new WidgetError('unauthenticated', 'expired', 401)) });
    const wrapper = mount(WidgetApp, { props: { channelId: 'site', api, connect: () => fakeLive().live } });
    await flushPromises();
    expect(wrapper.find('#w-name').exists()).toBe(true);
    expect(localStorage.getItem('atende.widget.site')).toBeNull();
  });

  it('says so kindly when the channel does not exist', async () => {
    const { api } = fakeApi({ channel: async () => Promise.reject(new WidgetError('not-found', 'Este chat não está disponível.', 404)) });
    const wrapper = mount(WidgetApp, { props: { channelId: 'nope', api, connect: () => fakeLive().live } });
    await flushPromises();
    expect(wrapper.get('[role="alert"]').text()).toContain('Este chat não está disponível no momento.');
    expect(wrapper.find('form').exists()).toBe(false);
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
    await nextTick();
    tell(false);
    thread.value = [...thread.value, item(message({ id: 'mine', direction: 'in' })), item(message({ id: 'r1', direction: 'out', authorId: 'ana', authorName: 'Ana' }))];
    await nextTick();
    thread.value = [...thread.value, item(message({ id: 'r2', direction: 'out', automated: true }))];
    await nextTick();
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
