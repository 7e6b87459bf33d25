import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { useBackend } from '@/backend';
import { useNotificationsStore } from '@/stores/notifications';
import { useTicketsStore } from '@/stores/tickets';
import { FakeBackend, ticket, user } from './fixtures';

let fake: FakeBackend;
/** What the browser was asked to show: the real store runs; only the browser's Notification is a stand-in (jsdom has none). */
let shown: { title: string; body: string; tag: string }[];

beforeEach(() => {
  shown = [];
  vi.stubGlobal(
    'Notification',
    class {
      static permission = 'granted';
      onclick: (() => void) | null = null;
      constructor(title: string, options: { body: string; tag: string }) {
        shown.push({ title, body: options.body, tag: options.tag });
      }
      close() {}
    },
  );
  // Alerts go to the desktop only when the console is not in front.
  vi.spyOn(document, 'hasFocus').mockReturnValue(false);
  setActivePinia(createPinia());
  fake = new FakeBackend();
  useBackend(fake);
});
afterEach(() => {
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

describe('notifications (C6)', () => {
  it('alerts for a ticket arriving in Esperando, not for the ones already there', () => {
    expect(useNotificationsStore().permission).toBe('granted');
    useTicketsStore().start(user());
    fake.emit('tickets.waiting', { type: 'snapshot', docs: [ticket('a'), ticket('b')] });
    expect(shown).toEqual([]);
    fake.emit('tickets.waiting', { type: 'changes', changes: [{ type: 'added', doc: ticket('c') }] });
    expect(shown).toEqual([expect.objectContaining({ tag: 'ticket-c' })]);
    expect(shown[0]!.title).toContain(ticket('c').contact.name);
  });

  it('alerts for a new customer message in my tickets, not for my own replies', () => {
    useNotificationsStore();
    useTicketsStore().start(user());
    const mine = ticket('a', { status: 'open', assigneeId: 'ana', lastCustomerMessageAt: 1000, updatedAt: 1000 });
    fake.emit('tickets.mine', { type: 'snapshot', docs: [mine] });
    fake.emit('tickets.mine', { type: 'changes', changes: [{ type: 'modified', doc: { ...mine, lastMessageAt: 2000, lastMessage: { text: 'resposta', direction: 'out', at: 2000 }, updatedAt: 2000 } }] });
    expect(shown).toEqual([]);
    fake.emit('tickets.mine', { type: 'changes', changes: [{ type: 'modified', doc: { ...mine, lastCustomerMessageAt: 3000, lastMessageAt: 3000, unread: 1, updatedAt: 3000 } }] });
    expect(shown).toEqual([expect.objectContaining({ tag: 'message-a' })]);
  });
});
