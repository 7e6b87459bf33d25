import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import { nextTick } from 'vue';
import { BackendError, useBackend } from '@/backend';
import { useConversationStore } from '@/stores/conversation';
import { useTicketsStore } from '@/stores/tickets';
import { FakeBackend, ticket, user } from './fixtures';

let fake: FakeBackend;

beforeEach(() => {
  setActivePinia(createPinia());
  fake = new FakeBackend();
  useBackend(fake);
});

const ticketSubs = () => fake.subscriptions.filter((s) => s.query === 'ticket' && s.active);

describe("an open conversation's ticket: its own listener only while no live list carries it", () => {
  it('a ticket in Em atendimento is followed by that list; once it leaves, by its own listener, which says when it is gone', async () => {
    const tickets = useTicketsStore();
    tickets.start(user({ id: 'ana', sectorIds: ['suporte'] }));
    fake.emit('tickets.mine', { type: 'snapshot', docs: [ticket('t1', { status: 'open', assigneeId: 'ana' })] });
    const conversation = useConversationStore();
    conversation.open('t1');
    expect(fake.subscriptions.filter((s) => s.active && s.query === 'messages.ofTicket')).toHaveLength(1);
    expect(ticketSubs()).toEqual([]);

    // Transferred away: it leaves Em atendimento, the conversation follows the ticket itself.
    fake.emit('tickets.mine', { type: 'changes', changes: [{ type: 'removed', doc: ticket('t1', { status: 'open', assigneeId: 'ana', updatedAt: 2000 }) }] });
    await nextTick();
    expect(ticketSubs().map((s) => s.params)).toEqual([{ id: 't1' }]);
    fake.emit('ticket', { type: 'snapshot', docs: [ticket('t1', { status: 'open', assigneeId: 'carla', updatedAt: 3000 })] });
    expect(tickets.byId.get('t1')!.assigneeId).toBe('carla');
    // Moved to a sector I am not in: the rules refuse, the conversation says so.
    fake.emit('ticket', { type: 'error', error: new BackendError('permission-denied', 'no') });
    expect(conversation.lost.has('t1')).toBe(true);

    conversation.close('t1');
    expect(fake.subscriptions.every((s) => !s.active || s.query !== 'ticket')).toBe(true);
  });

  it('a ticket no list carries (opened from the history) has its own listener at once, closed when a list takes it', async () => {
    const tickets = useTicketsStore();
    tickets.start(user({ id: 'ana', sectorIds: ['suporte'] }));
    fake.emit('tickets.mine', { type: 'snapshot', docs: [] });
    const conversation = useConversationStore();
    conversation.open('t9');
    expect(ticketSubs().map((s) => s.params)).toEqual([{ id: 't9' }]);
    fake.emit('tickets.mine', { type: 'changes', changes: [{ type: 'added', doc: ticket('t9', { status: 'open', assigneeId: 'ana' }) }] });
    await nextTick();
    expect(ticketSubs()).toEqual([]);
  });
});
