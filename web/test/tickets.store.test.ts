import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { nextTick } from 'vue';
import { useBackend } from '@/backend';
import { useCatalogStore } from '@/stores/catalog';
import { counterIdsFor, useTicketsStore } from '@/stores/tickets';
import { FakeBackend, ticket, user } from './fixtures';

let fake: FakeBackend;

beforeEach(() => {
  setActivePinia(createPinia());
  fake = new FakeBackend();
  useBackend(fake);
});

describe('tickets store', () => {
  it('subscribes to my sectors waiting queue and my tickets; my sectors history only while Finalizados is shown', async () => {
    const store = useTicketsStore();
    store.start(user({ sectorIds: ['suporte', 'financeiro'] }));
    const byQuery = Object.fromEntries(fake.subscriptions.map((s) => [s.query, s.params]));
    // Esperando's first page first (the first cards do not wait for the whole queue), then the whole queue: the sectors the
    // backend resolves for me when it subscribes, so the queue follows a change of my sectors.
    expect(byQuery['tickets.waiting']).toEqual({ sectorIds: 'visible', limit: 50 });
    fake.emit('tickets.waiting', { type: 'snapshot', docs: [] });
    expect(fake.subscriptions.filter((s) => s.query === 'tickets.waiting').map((s) => s.params)).toContainEqual({ sectorIds: 'visible', limit: 10_000 });
    expect(byQuery['tickets.mine']).toEqual({ limit: 2000 });
    // Finalizados is history: nobody pays for a closed ticket's live update unless the tab is on screen.
    expect(byQuery['tickets.closed']).toBeUndefined();
    store.tab = 'closed';
    await nextTick();
    const closed = fake.subscriptions.find((s) => s.query === 'tickets.closed')!;
    expect(closed.params).toMatchObject({ sectorIds: ['suporte', 'financeiro'], limit: 100 });
    fake.emit('tickets.closed', { type: 'snapshot', docs: [ticket('z', { status: 'closed', closedAt: 5 })] });
    expect(store.closed.map((t) => t.id)).toEqual(['z']);
    store.tab = 'waiting';
    await nextTick();
    expect(closed.active).toBe(false);
    expect(store.closed).toEqual([]);
  });

  it('lets an admin list every sector (no sectorIds)', () => {
    useTicketsStore().start(user({ id: 'admin', role: 'admin', sectorIds: [] }));
    expect(fake.subscriptions.find((s) => s.query === 'tickets.waiting')!.params).not.toHaveProperty('sectorIds');
  });

  it('applies a snapshot, then added, modified and removed changes', () => {
    const store = useTicketsStore();
    store.start(user());
    fake.emit('tickets.waiting', { type: 'snapshot', docs: [ticket('a', { queuedAt: 2000 }), ticket('b', { queuedAt: 1000 })] });
    expect(store.waiting.map((t) => t.id)).toEqual(['b', 'a']);

    fake.emit('tickets.waiting', { type: 'changes', changes: [{ type: 'added', doc: ticket('c', { queuedAt: 3000 }) }] });
    expect(store.waiting.map((t) => t.id)).toEqual(['b', 'a', 'c']);

    fake.emit('tickets.waiting', { type: 'changes', changes: [{ type: 'modified', doc: ticket('a', { contact: { name: 'Maria', phone: null, email: null }, updatedAt: 2000 }) }] });
    expect(store.byId.get('a')!.contact.name).toBe('Maria');

    fake.emit('tickets.waiting', { type: 'changes', changes: [{ type: 'removed', doc: ticket('b') }] });
    expect(store.waiting.map((t) => t.id)).toEqual(['a', 'c']);

    // A fresh snapshot (after a reconnect) replaces the list: what left while offline is gone.
    fake.emit('tickets.waiting', { type: 'snapshot', docs: [ticket('c', { queuedAt: 3000 })] });
    expect(store.waiting.map((t) => t.id)).toEqual(['c']);
  });

  it('ignores an update older than the copy it holds', () => {
    const store = useTicketsStore();
    store.start(user());
    fake.emit('tickets.mine', { type: 'snapshot', docs: [ticket('a', { status: 'open', assigneeId: 'ana', unread: 2, updatedAt: 5000 })] });
    fake.emit('tickets.mine', { type: 'changes', changes: [{ type: 'modified', doc: ticket('a', { status: 'open', assigneeId: 'ana', unread: 7, updatedAt: 4000 }) }] });
    expect(store.byId.get('a')!.unread).toBe(2);
    fake.emit('tickets.mine', { type: 'changes', changes: [{ type: 'modified', doc: ticket('a', { status: 'open', assigneeId: 'ana', unread: 0, updatedAt: 6000 }) }] });
    expect(store.byId.get('a')!.unread).toBe(0);
  });

  it('does not show a ticket in Esperando once a newer copy says someone took it, whatever order the lists deliver', () => {
    const store = useTicketsStore();
    store.start(user());
    fake.emit('tickets.waiting', { type: 'snapshot', docs: [] });
    fake.emit('tickets.mine', { type: 'snapshot', docs: [ticket('a', { status: 'open', assigneeId: 'ana', updatedAt: 2000 })] });
    // The waiting list's older news arrives late.
    fake.emit('tickets.waiting', { type: 'changes', changes: [{ type: 'added', doc: ticket('a', { updatedAt: 1000 }) }] });
    expect(store.waiting).toEqual([]);
    expect(store.mine.map((t) => t.id)).toEqual(['a']);
  });

  it('filters the visible tab by text, channel, sector and tag', async () => {
    const store = useTicketsStore();
    store.start(user());
    fake.emit('tickets.waiting', {
      type: 'snapshot',
      docs: [
        ticket('a', { contact: { name: 'Maria Oliveira', phone: null, email: null }, tagIds: ['vip'] }),
        ticket('b', { contact: { name: 'João', phone: null, email: null }, channelId: 'whatsapp', channelType: 'whatsapp', sectorId: 'financeiro' }),
      ],
    });
    // The text filter waits for typing to pause (a debounce): the clock is the test's.
    vi.useFakeTimers();
    try {
      store.filters.text = 'MAR';
      await nextTick();
      expect(store.visible.map((t) => t.id)).toEqual(['a', 'b']);
      await vi.advanceTimersByTimeAsync(200);
      expect(store.visible.map((t) => t.id)).toEqual(['a']);
      store.filters.text = '';
      await nextTick();
      await vi.advanceTimersByTimeAsync(200);
    } finally {
      vi.useRealTimers();
    }
    store.filters.channelId = 'whatsapp';
    expect(store.visible.map((t) => t.id)).toEqual(['b']);
    store.filters.channelId = null;
    store.filters.tagId = 'vip';
    expect(store.visible.map((t) => t.id)).toEqual(['a']);
    store.filters.tagId = null;
    store.filters.sectorId = 'financeiro';
    expect(store.visible.map((t) => t.id)).toEqual(['b']);
  });
});

describe("the team's tickets in service (C2)", () => {
  it('follows the open tickets of my sectors while a screen needs them, oldest unanswered first', () => {
    const store = useTicketsStore();
    store.start(user({ id: 'supervisor', role: 'supervisor', sectorIds: ['suporte', 'financeiro'] }));
    const stop = store.followTeam();
    const sub = fake.subscriptions.find((s) => s.query === 'tickets.open')!;
    expect(sub.params).toMatchObject({ sectorIds: 'visible' });
    fake.emit('tickets.open', {
      type: 'snapshot',
      docs: [
        ticket('a', { status: 'open', assigneeId: 'ana', lastCustomerMessageAt: 5000 }),
        ticket('b', { status: 'open', assigneeId: 'bruno', lastCustomerMessageAt: 2000 }),
      ],
    });
    expect(store.team.map((t) => t.id)).toEqual(['b', 'a']);
    stop();
    expect(sub.active).toBe(false);
    expect(store.team).toEqual([]);
  });
});

describe('tab counts', () => {
  it('names the counters of my sectors, or of every sector and none for an admin', () => {
    expect(counterIdsFor({ id: 'carla', role: 'agent', sectorIds: ['suporte', 'financeiro'] }, ['suporte', 'financeiro', 'vendas'])).toEqual({
      waiting: ['tickets.waiting.sector.suporte', 'tickets.waiting.sector.financeiro'],
      mine: ['tickets.open.assignee.carla'],
      closed: ['tickets.closed.sector.suporte', 'tickets.closed.sector.financeiro'],
    });
    const admin = counterIdsFor({ id: 'admin', role: 'admin', sectorIds: [] }, ['suporte', 'financeiro']);
    expect(admin.waiting).toEqual(['tickets.waiting.sector.suporte', 'tickets.waiting.sector.financeiro', 'tickets.waiting.sector.none']);
  });

  it('counts whole lists by their length, with no counters listener', () => {
    const store = useTicketsStore();
    store.start(user({ id: 'carla', sectorIds: ['suporte', 'financeiro'] }));
    fake.emit('tickets.waiting', { type: 'snapshot', docs: [ticket('a'), ticket('b')] });
    fake.emit('tickets.waiting', { type: 'snapshot', docs: [ticket('a'), ticket('b'), ticket('c')] }, (p) => p.limit === 10_000);
    fake.emit('tickets.mine', { type: 'snapshot', docs: [ticket('m', { status: 'open', assigneeId: 'carla' })] });
    expect(store.counts).toEqual({ waiting: 3, mine: 1, closed: null });
    fake.emit('tickets.waiting', { type: 'changes', changes: [{ type: 'removed', doc: ticket('a') }] }, (p) => p.limit === 10_000);
    expect(store.counts.waiting).toBe(2);
    expect(fake.subscriptions.filter((s) => s.query === 'counters')).toEqual([]);
  });

  it('shows a full first page as partial until the whole queue arrives', () => {
    const store = useTicketsStore();
    store.start(user({ id: 'carla', sectorIds: ['suporte'] }));
    fake.emit('tickets.waiting', { type: 'snapshot', docs: Array.from({ length: 50 }, (_, i) => ticket(`t${i}`)) });
    expect(store.counts.waiting).toBe(50);
    expect(store.partial.waiting).toBe(true);
    fake.emit('tickets.waiting', { type: 'snapshot', docs: Array.from({ length: 70 }, (_, i) => ticket(`t${i}`)) }, (p) => p.limit === 10_000);
    expect(store.counts.waiting).toBe(70);
    expect(store.partial.waiting).toBe(false);
    expect(fake.subscriptions.filter((s) => s.query === 'counters')).toEqual([]);
  });

  it('follows the counters of a truncated queue, and of Finalizados while it is shown', async () => {
    const store = useTicketsStore();
    store.start(user({ id: 'carla', sectorIds: ['suporte', 'financeiro'] }));
    fake.emit('tickets.waiting', { type: 'snapshot', docs: [] });
    fake.emit('tickets.waiting', { type: 'snapshot', docs: Array.from({ length: 10_000 }, (_, i) => ticket(`t${i}`)) }, (p) => p.limit === 10_000);
    await nextTick();
    let sub = fake.subscriptions.find((s) => s.query === 'counters' && s.active)!;
    expect(sub.params.ids).toEqual(['tickets.waiting.sector.suporte', 'tickets.waiting.sector.financeiro']);
    fake.emit('counters', {
      type: 'snapshot',
      docs: [
        { id: 'tickets.waiting.sector.suporte', value: 12_000 },
        { id: 'tickets.waiting.sector.financeiro', value: 2 },
      ],
    });
    expect(store.counts.waiting).toBe(12_002);
    fake.emit('counters', { type: 'changes', changes: [{ type: 'modified', doc: { id: 'tickets.waiting.sector.suporte', value: 12_001 } }] });
    expect(store.counts.waiting).toBe(12_003);
    store.tab = 'closed';
    await nextTick();
    sub = fake.subscriptions.find((s) => s.query === 'counters' && s.active)!;
    expect(sub.params.ids).toEqual(expect.arrayContaining(['tickets.waiting.sector.suporte', 'tickets.closed.sector.suporte', 'tickets.closed.sector.financeiro']));
    fake.emit('counters', { type: 'snapshot', docs: [{ id: 'tickets.closed.sector.financeiro', value: 9 }] });
    expect(store.counts.closed).toBe(9);
  });

  it("resubscribes an admin's Finalizados counters when a sector appears", async () => {
    const store = useTicketsStore();
    const catalog = useCatalogStore();
    store.start(user({ id: 'admin', role: 'admin', sectorIds: [] }));
    store.tab = 'closed';
    await nextTick();
    catalog.apply('sectors', { type: 'snapshot', docs: [{ id: 'suporte', name: 'Suporte', color: '#2563eb', overflowSectorId: null, updatedAt: 1 }] });
    await nextTick();
    const active = fake.subscriptions.filter((s) => s.query === 'counters' && s.active);
    expect(active).toHaveLength(1);
    expect(active[0]!.params.ids).toContain('tickets.closed.sector.suporte');
  });
});
