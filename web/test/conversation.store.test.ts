import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import { BackendError, useBackend } from '@/backend';
import { upsertMessage, useConversationStore } from '@/stores/conversation';
import { FakeBackend, message } from './fixtures';

let fake: FakeBackend;

beforeEach(() => {
  setActivePinia(createPinia());
  fake = new FakeBackend();
  useBackend(fake);
});

const flush = () => new Promise((r) => setTimeout(r, 0));

describe('conversation store', () => {
  it('follows the thread and the ticket of an open conversation (no live list carries it here), and stops when closed', () => {
    const store = useConversationStore();
    store.open('t1');
    expect(fake.subscriptions.map((s) => [s.query, s.params])).toEqual([
      ['messages.ofTicket', { ticketId: 't1', limit: 200 }],
      ['ticket', { id: 't1' }],
    ]);
    store.close('t1');
    expect(fake.subscriptions.every((s) => !s.active)).toBe(true);
  });

  it('shows a sent message at once as pending, then replaces it with the server copy carrying its clientId', async () => {
    const store = useConversationStore();
    store.open('t1');
    fake.emit('messages.ofTicket', { type: 'snapshot', docs: [message('m1', { createdAt: 1000 })] });

    const sending = store.send('t1', 'Vou verificar agora');
    const pending = store.threadOf('t1');
    expect(pending).toHaveLength(2);
    expect(pending[1]).toMatchObject({ text: 'Vou verificar agora', status: 'pending', direction: 'out' });
    const clientId = pending[1]!.clientId!;
    expect(fake.commands[0]).toMatchObject({ name: 'message.send', input: { ticketId: 't1', text: 'Vou verificar agora', clientId } });

    // The live change arrives before the command's answer: one bubble, the server's.
    const stored = message('m2', { direction: 'out', text: 'Vou verificar agora', clientId, status: 'sent', createdAt: 2000 });
    fake.emit('messages.ofTicket', { type: 'changes', changes: [{ type: 'added', doc: stored }] });
    expect(store.threadOf('t1').map((m) => [m.id, m.status])).toEqual([
      ['m1', 'delivered'],
      ['m2', 'sent'],
    ]);

    // Delivered before the command's (older) answer comes back: the answer must not undo it.
    fake.emit('messages.ofTicket', { type: 'changes', changes: [{ type: 'modified', doc: { ...stored, status: 'delivered' } }] });
    fake.commands[0]!.resolve({ message: stored });
    await sending;
    expect(store.threadOf('t1').map((m) => [m.id, m.status])).toEqual([
      ['m1', 'delivered'],
      ['m2', 'delivered'],
    ]);
  });

  it('replaces the pending copy when only the command answer has arrived', async () => {
    const store = useConversationStore();
    store.open('t1');
    fake.emit('messages.ofTicket', { type: 'snapshot', docs: [] });
    const sending = store.send('t1', 'Oi');
    const clientId = store.threadOf('t1')[0]!.clientId!;
    fake.commands[0]!.resolve({ message: message('m9', { direction: 'out', text: 'Oi', clientId, status: 'sent' }) });
    await sending;
    expect(store.threadOf('t1')).toEqual([expect.objectContaining({ id: 'm9', status: 'sent' })]);
    // The same copy arriving live afterwards does not duplicate it.
    fake.emit('messages.ofTicket', { type: 'changes', changes: [{ type: 'added', doc: message('m9', { direction: 'out', text: 'Oi', clientId, status: 'sent' }) }] });
    expect(store.threadOf('t1')).toHaveLength(1);
  });

  it('marks a refused message as failed with the reason, and retries it with the same clientId', async () => {
    const store = useConversationStore();
    store.open('t1');
    fake.emit('messages.ofTicket', { type: 'snapshot', docs: [] });
    const sending = store.send('t1', 'Oi');
    fake.commands[0]!.reject(new BackendError('failed-precondition', 'This ticket is closed: reopen it to send a message', [], 409));
    await expect(sending).rejects.toThrow(/closed/);
    const [failed] = store.threadOf('t1');
    expect(failed).toMatchObject({ status: 'failed', failure: 'Este atendimento foi finalizado: reabra-o para enviar uma mensagem' });

    const retry = store.retry('t1', failed!.clientId!);
    expect(store.threadOf('t1')[0]!.status).toBe('pending');
    expect((fake.commands[1]!.input as { clientId: string }).clientId).toBe(failed!.clientId);
    fake.commands[1]!.resolve({ message: message('m3', { direction: 'out', text: 'Oi', clientId: failed!.clientId, status: 'sent' }) });
    await retry;
    await flush();
    expect(store.threadOf('t1').map((m) => m.id)).toEqual(['m3']);
  });

  it('keeps the thread in time order when a change arrives out of order', () => {
    const list = upsertMessage(upsertMessage([], message('b', { createdAt: 2000 })), message('a', { createdAt: 1000 }));
    expect(list.map((m) => m.id)).toEqual(['a', 'b']);
    expect(upsertMessage(list, message('a', { createdAt: 1000, status: 'read' })).map((m) => [m.id, m.status])).toEqual([
      ['a', 'read'],
      ['b', 'delivered'],
    ]);
  });
});
