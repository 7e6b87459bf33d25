import type { Message, Ticket } from '@atende/core';
import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import { nextTick } from 'vue';
import { useBackend } from '@/backend';
import { useConversationStore } from '@/stores/conversation';
import { useTicketsStore } from '@/stores/tickets';
import { FakeBackend, message, ticket, user } from './fixtures';

/** The conversation store on Firebase: the open thread read from its ticket's copy (`Ticket.recent`). */

let fake: FakeBackend;

beforeEach(() => {
  setActivePinia(createPinia());
  fake = new FakeBackend();
  fake.kind = 'firebase';
  useBackend(fake);
});

const line = (id: string, createdAt: number, fields: Partial<Message> = {}) => message(id, { createdAt, ...fields });
const withCopy = (updatedAt: number, older: number | null, lines: Message[], fields: Partial<Ticket> = {}) =>
  ticket('t1', { status: 'open', assigneeId: 'ana', updatedAt, recent: { lines, older }, ...fields });
const active = (query: string) => fake.subscriptions.filter((s) => s.active && s.query === query).map((s) => s.params);
const shown = (store: ReturnType<typeof useConversationStore>) => store.threadOf('t1').map((m) => m.id);
const historyIds = (store: ReturnType<typeof useConversationStore>) => store.historyRowsOf('t1').flatMap((r) => (r.kind === 'message' ? [r.message.id] : []));

/** Ana's console with t1 in Em atendimento as `t`, and its conversation open. */
const openWith = async (t: Ticket) => {
  const tickets = useTicketsStore();
  tickets.start(user({ id: 'ana', sectorIds: ['suporte'] }));
  fake.emit('tickets.mine', { type: 'snapshot', docs: [t] });
  const store = useConversationStore();
  store.open('t1');
  await nextTick();
  return store;
};
const mine = async (t: Ticket) => {
  fake.emit('tickets.mine', { type: 'changes', changes: [{ type: 'modified', doc: t }] });
  await nextTick();
};

describe('the open thread from its ticket (Firebase)', () => {
  it('shows the copy at once and hears only the revised lines, which win over the copy', async () => {
    const store = await openWith(withCopy(3, null, [line('m1', 1), line('m2', 2, { direction: 'out', status: 'sent' })]));
    expect(active('messages.ofTicket')).toEqual([]);
    expect(active('messages.revisedOfTicket')).toEqual([{ ticketId: 't1', limit: 100 }]);
    expect(store.threads.get('t1')).toMatchObject({ loaded: true, error: null });
    expect(shown(store)).toEqual(['m1', 'm2']);

    fake.emit('messages.revisedOfTicket', { type: 'snapshot', docs: [line('m2', 2, { direction: 'out', status: 'delivered', revised: true })] });
    expect(store.threadOf('t1').map((m) => m.status)).toEqual(['delivered', 'delivered']);
    // A later change of the ticket still carries the line as created: the revised document stays on top.
    await mine(withCopy(4, null, [line('m1', 1), line('m2', 2, { direction: 'out', status: 'sent' }), line('m3', 4)]));
    expect(store.threadOf('t1').map((m) => [m.id, m.status])).toEqual([
      ['m1', 'delivered'],
      ['m2', 'delivered'],
      ['m3', 'delivered'],
    ]);
  });

  it('keeps the lines that slide out of the copy on screen, as older history; older pages come from the thread', async () => {
    const store = await openWith(withCopy(3, null, [line('m1', 1), line('m2', 2), line('m3', 3)]));
    fake.emit('messages.revisedOfTicket', { type: 'snapshot', docs: [] });
    await mine(withCopy(5, 2, [line('m3', 3), line('m4', 4), line('m5', 5)]));
    expect(shown(store)).toEqual(['m3', 'm4', 'm5']);
    expect(historyIds(store)).toEqual(['m1', 'm2']);
    // A revision of a line of that history replaces it there.
    fake.emit('messages.revisedOfTicket', { type: 'changes', changes: [{ type: 'added', doc: line('m1', 1, { status: 'read', revised: true }) }] });
    expect(store.historyRowsOf('t1').find((r) => r.kind === 'message' && r.message.id === 'm1')).toMatchObject({ message: { status: 'read' } });

    // The copy does not hold the whole thread: scrolling up asks the thread for what is above the oldest line held.
    void store.loadOlder('t1');
    await nextTick();
    expect(fake.subscriptions.at(-1)).toMatchObject({ query: 'messages.ofTicket', params: { ticketId: 't1', limit: 200, before: 2 } });
  });

  it('knows a copy that holds the whole thread needs no older page', async () => {
    const store = await openWith(withCopy(3, null, [line('m1', 1), line('m2', 2)]));
    const before = fake.subscriptions.length;
    void store.loadOlder('t1');
    await nextTick();
    expect(fake.subscriptions.slice(before).map((s) => s.query)).not.toContain('messages.ofTicket');
  });

  it("confirms a sent message by its clientId when the ticket's copy brings it", async () => {
    const store = await openWith(withCopy(3, null, [line('m1', 1)]));
    void store.send('t1', 'Vou verificar');
    const clientId = store.threadOf('t1')[1]!.clientId!;
    await mine(withCopy(4, null, [line('m1', 1), line('m2', 4, { direction: 'out', text: 'Vou verificar', clientId, status: 'sent' })]));
    expect(store.threadOf('t1').map((m) => [m.id, m.status])).toEqual([
      ['m1', 'delivered'],
      ['m2', 'sent'],
    ]);
    expect(store.pending.get('t1') ?? []).toEqual([]);
  });

  it('waits for the ticket before choosing, and takes no decision from a command answer (it lacks the copy)', async () => {
    const tickets = useTicketsStore();
    tickets.start(user({ id: 'ana', sectorIds: ['suporte'] }));
    fake.emit('tickets.mine', { type: 'snapshot', docs: [] });
    fake.emit('tickets.waiting', { type: 'snapshot', docs: [ticket('t1')] });
    const accepting = tickets.accept('t1');
    fake.commands[0]!.resolve({ ticket: ticket('t1', { status: 'open', assigneeId: 'ana', updatedAt: 2000 }) });
    await accepting;
    const store = useConversationStore();
    store.open('t1');
    await nextTick();
    expect([...active('messages.ofTicket'), ...active('messages.revisedOfTicket')]).toEqual([]);
    expect(store.threads.get('t1')).toBeUndefined();
    await mine(withCopy(2000, null, [line('m1', 1)]));
    expect(active('messages.revisedOfTicket')).toHaveLength(1);
    expect(active('messages.ofTicket')).toEqual([]);
    expect(shown(store)).toEqual(['m1']);

    // A later command's answer (mark read) keeps the copy held: the thread does not fall back to its own listener.
    const reading = tickets.markRead('t1');
    fake.commands[1]!.resolve({ ticket: ticket('t1', { status: 'open', assigneeId: 'ana', updatedAt: 3000 }) });
    await reading;
    await nextTick();
    expect(active('messages.ofTicket')).toEqual([]);
    expect(shown(store)).toEqual(['m1']);
  });

  it('a ticket without a copy (stored before it existed) is followed through its thread as before, then through the copy it gains', async () => {
    const store = await openWith(ticket('t1', { status: 'open', assigneeId: 'ana', updatedAt: 3 }));
    expect(active('messages.ofTicket')).toEqual([{ ticketId: 't1', limit: 200 }]);
    expect(active('messages.revisedOfTicket')).toEqual([]);
    fake.emit('messages.ofTicket', { type: 'snapshot', docs: [line('m1', 1), line('m2', 2, { status: 'read', revised: true })] });
    expect(shown(store)).toEqual(['m1', 'm2']);
    // Its next line starts a copy (older: the ticket's last write): no blank, the thread's revised line stays right.
    await mine(withCopy(5, 3, [line('m3', 5)]));
    expect(active('messages.ofTicket')).toEqual([]);
    expect(active('messages.revisedOfTicket')).toHaveLength(1);
    expect(shown(store)).toEqual(['m3']);
    expect(historyIds(store)).toEqual(['m1', 'm2']);
    expect(store.historyRowsOf('t1').find((r) => r.kind === 'message' && r.message.id === 'm2')).toMatchObject({ message: { status: 'read' } });
  });

  it('closed, the ticket keeping its copy: the close line comes with it, and no listener of the thread opens', async () => {
    const store = await openWith(withCopy(3, null, [line('m1', 1), line('m2', 2)]));
    fake.emit('messages.revisedOfTicket', { type: 'snapshot', docs: [] });
    await mine(withCopy(9, null, [line('m1', 1), line('m2', 2), line('close', 9, { event: { kind: 'closed' } as never })], { status: 'closed' }));
    expect(active('messages.ofTicket')).toEqual([]);
    expect(active('messages.revisedOfTicket')).toHaveLength(1);
    expect(shown(store)).toEqual(['m1', 'm2', 'close']);
  });

  it('closed before closed tickets kept their copy (none on it): keeps what it shows and hears only the lines after the newest one held', async () => {
    const store = await openWith(withCopy(3, null, [line('m1', 1), line('m2', 2)]));
    fake.emit('messages.revisedOfTicket', { type: 'snapshot', docs: [] });
    await mine(ticket('t1', { status: 'closed', assigneeId: 'ana', updatedAt: 9 }));
    expect(active('messages.ofTicket')).toEqual([{ ticketId: 't1', limit: 200, after: 2 }]);
    expect(active('messages.revisedOfTicket')).toHaveLength(1);
    expect(shown(store)).toEqual(['m1', 'm2']);
    fake.emit('messages.ofTicket', { type: 'snapshot', docs: [line('close', 9, { event: { kind: 'closed' } as never })] });
    expect(shown(store)).toEqual(['m1', 'm2', 'close']);
    // Reopened: a new copy; what it does not hold goes above it.
    await mine(withCopy(12, 9, [line('reopen', 12)]));
    expect(active('messages.ofTicket')).toEqual([]);
    expect(shown(store)).toEqual(['reopen']);
    expect(historyIds(store)).toEqual(['m1', 'm2', 'close']);
  });

  it('the embedded server never waits: its tickets carry no copy', () => {
    fake.kind = 'local';
    useConversationStore().open('t1');
    expect(active('messages.ofTicket')).toEqual([{ ticketId: 't1', limit: 200 }]);
  });
});
