import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { useBackend } from '@/backend';
import { useNotificationsStore } from '@/stores/notifications';
import { useTicketsStore } from '@/stores/tickets';
import { FakeBackend, ticket, user } from './fixtures';

let fake: FakeBackend;

beforeEach(() => {
  setActivePinia(createPinia());
  fake = new FakeBackend();
  useBackend(fake);
});

describe('notifications (C6)', () => {
  it('alerts for a ticket arriving in Esperando, not for the ones already there', () => {
    const notifications = useNotificationsStore();
    const newTicket = vi.spyOn(notifications, 'newTicket').mockImplementation(() => undefined);
    useTicketsStore().start(user());
    fake.emit('tickets.waiting', { type: 'snapshot', docs: [ticket('a'), ticket('b')] });
    expect(newTicket).not.toHaveBeenCalled();
    fake.emit('tickets.waiting', { type: 'changes', changes: [{ type: 'added', doc: ticket('c') }] });
    expect(newTicket).toHaveBeenCalledTimes(1);
    expect(newTicket.mock.calls[0]![0].id).toBe('c');
  });

  it('alerts for a new customer message in my tickets, not for my own replies', () => {
    const notifications = useNotificationsStore();
    const newMessage = vi.spyOn(notifications, 'newMessage').mockImplementation(() => undefined);
    useTicketsStore().start(user());
    const mine = ticket('a', { status: 'open', assigneeId: 'ana', lastCustomerMessageAt: 1000, updatedAt: 1000 });
    fake.emit('tickets.mine', { type: 'snapshot', docs: [mine] });
    fake.emit('tickets.mine', { type: 'changes', changes: [{ type: 'modified', doc: { ...mine, lastMessageAt: 2000, lastMessage: { text: 'resposta', direction: 'out', at: 2000 }, updatedAt: 2000 } }] });
    expect(newMessage).not.toHaveBeenCalled();
    fake.emit('tickets.mine', { type: 'changes', changes: [{ type: 'modified', doc: { ...mine, lastCustomerMessageAt: 3000, lastMessageAt: 3000, unread: 1, updatedAt: 3000 } }] });
    expect(newMessage).toHaveBeenCalledTimes(1);
  });
});
