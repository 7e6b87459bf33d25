import type { Attachment, QuickReply, Settings } from '@atende/core';
import { flushPromises, mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import { BackendError, useBackend, type Backend } from '@/backend';
import ConversationComposer from '@/components/conversation/ConversationComposer.vue';
import ConversationMessage from '@/components/conversation/ConversationMessage.vue';
import { searchEmojis } from '@/components/conversation/emojis';
import { arrivedAfter, isNearBottom } from '@/components/conversation/threadLogic';
import { refusalOf } from '@/components/media/policy';
import { i18n } from '@/i18n';
import { useCatalogStore } from '@/stores/catalog';
import { useConversationStore } from '@/stores/conversation';
import { useSessionStore } from '@/stores/session';
import { useTicketsStore } from '@/stores/tickets';
import { FakeBackend, message, ticket, user } from './fixtures';

let fake: FakeBackend;
let pinia: ReturnType<typeof createPinia>;

beforeEach(async () => {
  pinia = createPinia();
  setActivePinia(pinia);
  fake = new FakeBackend();
  useBackend(fake);
  i18n.global.locale.value = 'pt-BR';
  await useSessionStore().signIn('ana@atende.local', 'x');
  const catalog = useCatalogStore();
  catalog.sectors.set('suporte', { id: 'suporte', name: 'Suporte', updatedAt: 1 } as never);
  const reply = (id: string, shortcut: string, text: string, sectorIds: string[] = []): QuickReply => ({ id, shortcut, text, sectorIds, attachments: [], updatedAt: 1 });
  for (const q of [
    reply('ola', 'ola', 'Olá, {{contact.name}}! Aqui é {{agent.name}}, do setor {{sector.name}}.'),
    reply('protocolo', 'protocolo', 'Seu protocolo é {{ticket.protocol}}.'),
    reply('boleto', 'boleto', 'Segunda via em Financeiro > Boletos.', ['financeiro']),
    reply('reiniciar', 'reiniciar', 'Desligue e ligue de novo.', ['suporte']),
  ])
    catalog.quickReplies.set(q.id, q);
  catalog.settings = { attachments: { maxBytes: 1024 * 1024, allowedTypes: ['image/*', 'application/pdf'] } } as Settings;
  useTicketsStore().byId.set('t1', ticket('t1', { status: 'open', assigneeId: 'ana', contact: { name: 'Maria Oliveira', phone: null, email: null } }));
});

const composer = () => mount(ConversationComposer, { props: { ticketId: 't1', disabledReason: null }, global: { plugins: [i18n, pinia] }, attachTo: document.body });

describe('quick replies in the composer', () => {
  it('opens on "/" with the replies of the ticket\'s sector, filtered by what follows', async () => {
    const w = composer();
    const box = w.get('textarea');
    await box.setValue('/');
    const shortcuts = () => w.findAll('[role="option"]').map((o) => o.get('span').text());
    // Financeiro's "boleto" is not offered in a Suporte conversation.
    expect(shortcuts()).toEqual(['/ola', '/protocolo', '/reiniciar']);
    await box.setValue('/pro');
    expect(shortcuts()).toEqual(['/protocolo']);
    await box.setValue('/nada');
    expect(w.find('[role="listbox"]').exists()).toBe(false);
    w.unmount();
  });

  it('picks with the arrow keys and Enter, filling the variables, and leaves the text to edit (not sent)', async () => {
    const w = composer();
    const box = w.get('textarea');
    await box.setValue('/');
    await box.trigger('keydown', { key: 'ArrowDown' });
    expect(w.findAll('[role="option"]')[1]!.attributes('aria-selected')).toBe('true');
    await box.trigger('keydown', { key: 'ArrowUp' });
    await box.trigger('keydown', { key: 'Enter' });
    expect((box.element as HTMLTextAreaElement).value).toBe('Olá, Maria Oliveira! Aqui é Ana Souza, do setor Suporte.');
    expect(w.emitted('send')).toBeUndefined();
    expect(w.find('[role="listbox"]').exists()).toBe(false);
    // Now Enter sends what the agent sees.
    await box.trigger('keydown', { key: 'Enter' });
    expect(w.emitted('send')).toEqual([['Olá, Maria Oliveira! Aqui é Ana Souza, do setor Suporte.']]);
    w.unmount();
  });

  it('Tab picks too, and Escape closes the menu so Enter sends the slash text as written', async () => {
    const w = composer();
    const box = w.get('textarea');
    await box.setValue('/prot');
    await box.trigger('keydown', { key: 'Tab' });
    expect((box.element as HTMLTextAreaElement).value).toBe('Seu protocolo é 20261121-t1.');
    await box.setValue('/ola');
    await box.trigger('keydown', { key: 'Escape' });
    expect(w.find('[role="listbox"]').exists()).toBe(false);
    await box.trigger('keydown', { key: 'Enter' });
    expect(w.emitted('send')).toEqual([['/ola']]);
    w.unmount();
  });
});

describe('attachment policy before upload', () => {
  const policy = { maxBytes: 16 * 1024 * 1024, allowedTypes: ['image/*', 'audio/*', 'application/pdf'] };

  it('names the refused type and the size limit', () => {
    expect(refusalOf({ name: 'programa.exe', size: 10, type: 'application/x-msdownload' }, policy)).toEqual({ kind: 'type', what: '.exe' });
    expect(refusalOf({ name: 'foto.png', size: 17 * 1024 * 1024, type: 'image/png' }, policy)).toEqual({ kind: 'size', max: '16 MB' });
    expect(refusalOf({ name: 'voz.webm', size: 900, type: 'audio/webm;codecs=opus' }, policy)).toBeNull();
    expect(refusalOf({ name: 'sem-tipo', size: 10, type: '' }, policy)).toEqual({ kind: 'type', what: 'sem-tipo' });
    expect(refusalOf({ name: 'vazio.pdf', size: 0, type: 'application/pdf' }, policy)).toEqual({ kind: 'empty' });
  });

  it('shows why a file is refused without uploading it; an allowed one uploads with progress and goes with the message', async () => {
    const uploads: string[] = [];
    let progress: ((f: number) => void) | undefined;
    let finish: ((a: Attachment) => void) | undefined;
    const upload: Backend['uploadFile'] = (file, _ticketId, onProgress) => {
      uploads.push(file.name);
      progress = onProgress;
      return new Promise<Attachment>((resolve) => (finish = resolve));
    };
    Object.assign(fake, { uploadFile: upload });
    const w = composer();
    const input = w.get('input[type="file"]');
    const pick = async (files: File[]) => {
      Object.defineProperty(input.element, 'files', { value: files, configurable: true });
      await input.trigger('change');
    };
    await pick([new File(['MZ'], 'programa.exe', { type: 'application/x-msdownload' }), new File([new Uint8Array(2 * 1024 * 1024)], 'grande.png', { type: 'image/png' })]);
    const alerts = w.findAll('[role="alert"]').map((a) => a.text());
    expect(alerts).toEqual(['Tipo de arquivo não permitido: .exe', 'Arquivo muito grande (máx. 1 MB)']);
    expect(uploads).toEqual([]);

    await pick([new File(['%PDF-1.4'], 'nota.pdf', { type: 'application/pdf' })]);
    expect(uploads).toEqual(['nota.pdf']);
    progress?.(0.4);
    await flushPromises();
    expect(w.get('[role="progressbar"]').attributes('aria-valuenow')).toBe('40');
    expect(w.get('button[type="submit"]').attributes('disabled')).toBeDefined(); // still uploading
    finish?.({ id: 'f1', name: 'nota.pdf', mime: 'application/pdf', size: 8, kind: 'document' });
    await flushPromises();
    await w.get('form').trigger('submit');
    await flushPromises();
    const send = fake.commands.find((c) => c.name === 'message.send')!;
    expect(send.input).toMatchObject({ ticketId: 't1', text: '', attachments: [{ id: 'f1', name: 'nota.pdf' }] });
    // The refused files stay, with their reasons, until removed.
    expect(w.findAll('[role="alert"]')).toHaveLength(2);
    await w.get('button[aria-label="Remover programa.exe"]').trigger('click');
    expect(w.findAll('[role="alert"]')).toHaveLength(1);
    w.unmount();
  });

  it('shows the server\'s refusal when the content is not what the name says', async () => {
    fake.uploadFile = async () => {
      throw new BackendError('invalid-argument', 'Tipo de arquivo não permitido. (This file type is not allowed.)', [{ path: 'file', message: 'unrecognised file type' }], 400);
    };
    const w = composer();
    const input = w.get('input[type="file"]');
    Object.defineProperty(input.element, 'files', { value: [new File(['MZ'], 'disfarce.png', { type: 'image/png' })], configurable: true });
    await input.trigger('change');
    await flushPromises();
    expect(w.get('[role="alert"]').text()).toBe('Tipo de arquivo não permitido.');
    w.unmount();
  });
});

describe('a failed message and its retry', () => {
  it('shows the reason and "Tentar novamente", which resends with the same clientId', async () => {
    const store = useConversationStore();
    store.open('t1');
    fake.emit('messages.ofTicket', { type: 'snapshot', docs: [] });
    const sending = store.send('t1', 'Oi');
    fake.commands.find((c) => c.name === 'message.send')!.reject(new BackendError('failed-precondition', 'A janela de 24 horas fechou', [], 412));
    await expect(sending).rejects.toThrow();
    const [failed] = store.threadOf('t1');

    const w = mount(ConversationMessage, { props: { message: failed!, fileUrl: (id: string) => `/f/${id}` }, global: { plugins: [i18n, pinia] } });
    expect(failed!.failure).toBeTruthy();
    expect(w.text()).toContain(failed!.failure!); // the refusal, translated
    expect(w.get('[role="img"]').attributes('aria-label')).toBe('Não enviada');
    const retry = w.findAll('button').find((b) => b.text() === 'Tentar novamente')!;
    await retry.trigger('click');
    expect(w.emitted('retry')).toHaveLength(1);

    const again = store.retry('t1', failed!.clientId!);
    const sends = fake.commands.filter((c) => c.name === 'message.send');
    expect(sends).toHaveLength(2);
    expect((sends[1]!.input as { clientId: string }).clientId).toBe(failed!.clientId);
    expect(store.threadOf('t1')[0]!.status).toBe('pending');
    sends[1]!.resolve({ message: message('m1', { direction: 'out', text: 'Oi', clientId: failed!.clientId, status: 'sent' }) });
    await again;
    expect(store.threadOf('t1').map((m) => [m.id, m.status])).toEqual([['m1', 'sent']]);
  });
});

describe('an outage (the server cannot be reached)', () => {
  it('keeps the messages waiting, in order, and sends them by themselves when the connection returns', async () => {
    let reconnect: ((up: boolean) => void) | null = null;
    (fake as unknown as { onConnection: (l: (up: boolean) => void) => () => void }).onConnection = (l) => ((reconnect = l), () => undefined);
    const store = useConversationStore();
    store.open('t1');
    fake.emit('messages.ofTicket', { type: 'snapshot', docs: [] });
    const first = store.send('t1', 'Primeira');
    fake.commands.find((c) => c.name === 'message.send')!.reject(new BackendError('unavailable', 'O servidor não respondeu', [], 0));
    await first; // not refused: no error for the agent
    const sends = () => fake.commands.filter((c) => c.name === 'message.send');
    await store.send('t1', 'Segunda'); // waits behind the first: the queue is tried again from its head
    expect(sends()).toHaveLength(2);
    expect((sends()[1]!.input as { text: string }).text).toBe('Primeira');
    sends()[1]!.reject(new BackendError('unavailable', 'O servidor não respondeu', [], 0));
    await flushPromises();
    expect(store.threadOf('t1').map((m) => [m.text, m.status, m.offline])).toEqual([
      ['Primeira', 'pending', true],
      ['Segunda', 'pending', true],
    ]);
    expect(JSON.parse(localStorage.getItem('atende.unsent.ana') ?? '[]')).toHaveLength(2); // a reload keeps them

    reconnect!(true);
    await flushPromises();
    expect(sends()).toHaveLength(3);
    const again = sends()[2];
    expect((again!.input as { text: string }).text).toBe('Primeira');
    again!.resolve({ message: message('m1', { direction: 'out', text: 'Primeira', clientId: (again!.input as { clientId: string }).clientId, status: 'sent', createdAt: 1 }) });
    await flushPromises();
    expect(sends()).toHaveLength(4); // then the second, only after the first was stored
    const third = sends()[3]!;
    expect((third.input as { text: string }).text).toBe('Segunda');
    third.resolve({ message: message('m2', { direction: 'out', text: 'Segunda', clientId: (third.input as { clientId: string }).clientId, status: 'sent', createdAt: 2 }) });
    await flushPromises();
    expect(store.threadOf('t1').map((m) => m.id)).toEqual(['m1', 'm2']);
    expect(localStorage.getItem('atende.unsent.ana')).toBeNull();
  });
});

describe('"N novas mensagens"', () => {
  it('counts what arrived after the last message seen, also when the live page slides', () => {
    expect(arrivedAfter('b', ['a', 'b'])).toBe(0);
    expect(arrivedAfter('b', ['a', 'b', 'c', 'd'])).toBe(2);
    // A 200-message page: the oldest leaves as a new one comes, the length stays the same.
    expect(arrivedAfter('b', ['b', 'c'])).toBe(1);
    expect(arrivedAfter('x', ['c', 'd'])).toBe(1);
    expect(arrivedAfter(null, ['a'])).toBe(0);
  });

  it('treats the reader as at the bottom only within a small slack', () => {
    expect(isNearBottom({ scrollHeight: 5000, scrollTop: 4400, clientHeight: 560 })).toBe(true);
    expect(isNearBottom({ scrollHeight: 5000, scrollTop: 3000, clientHeight: 560 })).toBe(false);
  });
});

describe('emoji search', () => {
  it('finds by Portuguese or English words, accents optional', () => {
    expect(searchEmojis('coracao verm').map((e) => e.char)).toContain('❤️');
    expect(searchEmojis('thumbs').map((e) => e.char)).toContain('👍');
    expect(searchEmojis('joinha').map((e) => e.char)).toEqual(['👍']);
    expect(searchEmojis('   ')).toEqual([]);
  });
});

describe('history above the live page (B7)', () => {
  const flush = () => new Promise((r) => setTimeout(r, 0));

  it('pages the open ticket upward, then the contact\'s earlier tickets in the user\'s sectors, each under a divider', async () => {
    const store = useConversationStore();
    useTicketsStore().byId.set('t1', ticket('t1', { contactId: 'c1', createdAt: 100_000, status: 'open', assigneeId: 'ana' }));
    store.open('t1');
    const live = Array.from({ length: 200 }, (_, i) => message(`m${1000 + i}`, { ticketId: 't1', createdAt: 200_000 + i }));
    fake.emit('messages.ofTicket', { type: 'snapshot', docs: live });

    const first = store.loadOlder('t1');
    // The page up to and including the oldest millisecond held (several messages may share it).
    const pageParams = fake.subscriptions.at(-1)!.params;
    expect(pageParams).toEqual({ ticketId: 't1', limit: 200, before: 200_001 });
    const older = Array.from({ length: 150 }, (_, i) => message(`m${500 + i}`, { ticketId: 't1', createdAt: 150_000 + i }));
    fake.emit('messages.ofTicket', { type: 'snapshot', docs: [...older, live[0]!] }, (p) => p.before === 200_001);
    await first;
    await flush();
    // The one-shot read ended; the live page goes on.
    expect(fake.subscriptions.filter((s) => s.active && s.query === 'messages.ofTicket').map((s) => s.params)).toEqual([{ ticketId: 't1', limit: 200 }]);
    expect(store.histories.get('t1')).toMatchObject({ currentDone: true, done: false });
    expect(store.historyRowsOf('t1').map((r) => r.key)).toEqual(older.map((m) => m.id));

    const second = store.loadOlder('t1');
    await flush();
    expect(fake.subscriptions.at(-1)).toMatchObject({ query: 'tickets.ofContact', params: { contactId: 'c1', sectorIds: ['suporte'] } });
    const earlier = ticket('t0', { contactId: 'c1', createdAt: 10_000, status: 'closed', closedAt: 20_000 });
    fake.emit('tickets.ofContact', { type: 'snapshot', docs: [useTicketsStore().byId.get('t1')!, earlier] });
    await flush();
    expect(fake.subscriptions.at(-1)).toMatchObject({ query: 'messages.ofTicket', params: { ticketId: 't0', limit: 200 } });
    fake.emit('messages.ofTicket', { type: 'snapshot', docs: [message('e1', { ticketId: 't0', createdAt: 11_000 }), message('e2', { ticketId: 't0', createdAt: 12_000 })] }, (p) => p.ticketId === 't0');
    await second;
    expect(store.histories.get('t1')).toMatchObject({ done: true });
    expect(store.historyRowsOf('t1').map((r) => r.key).slice(0, 5)).toEqual(['divider-t0', 'e1', 'e2', 'divider-t1', 'm500']);
  });
});

describe('earlier tickets for someone who sees the whole history', () => {
  it('also asks for the contact\'s closed tickets of every sector, and merges them', async () => {
    useCatalogStore().users.set('ana', user({ seesAllHistory: true, updatedAt: 2 }));
    const store = useConversationStore();
    useTicketsStore().byId.set('t1', ticket('t1', { contactId: 'c1', createdAt: 100_000, status: 'open', assigneeId: 'ana' }));
    store.open('t1');
    fake.emit('messages.ofTicket', { type: 'snapshot', docs: [message('m1', { ticketId: 't1', createdAt: 100_500 })] });
    const loading = store.loadOlder('t1');
    await new Promise((r) => setTimeout(r, 0));
    const asked = fake.subscriptions.filter((s) => s.query === 'tickets.ofContact').map((s) => s.params);
    expect(asked).toEqual([
      { contactId: 'c1', limit: 100, sectorIds: ['suporte'] },
      { contactId: 'c1', limit: 100, closedOnly: true },
    ]);
    const other = ticket('t0', { contactId: 'c1', sectorId: 'financeiro', createdAt: 50_000, status: 'closed' });
    fake.emit('tickets.ofContact', { type: 'snapshot', docs: [] }, (p) => p.sectorIds !== undefined);
    fake.emit('tickets.ofContact', { type: 'snapshot', docs: [other] }, (p) => p.closedOnly === true);
    await new Promise((r) => setTimeout(r, 0));
    fake.emit('messages.ofTicket', { type: 'snapshot', docs: [message('e1', { ticketId: 't0', createdAt: 50_100 })] }, (p) => p.ticketId === 't0');
    await loading;
    expect(store.historyRowsOf('t1').map((r) => r.key)).toEqual(['divider-t0', 'e1', 'divider-t1']);
  });
});
