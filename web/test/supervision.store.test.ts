import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import { nextTick } from 'vue';
import { useBackend } from '@/backend';
import { useCatalogStore } from '@/stores/catalog';
import { oldestWaiting, slices, supervisionCounterIds, useSupervisionStore, watchedAgents, watchedSectors } from '@/stores/supervision';
import { useTicketsStore } from '@/stores/tickets';
import { FakeBackend, ticket, user } from './fixtures';

let fake: FakeBackend;

beforeEach(() => {
  setActivePinia(createPinia());
  fake = new FakeBackend();
  useBackend(fake);
});

const sector = (id: string) => ({ id, name: id[0]!.toUpperCase() + id.slice(1), color: '#2563eb', overflowSectorId: null, updatedAt: 1 });
const supervisor = user({ id: 'sergio', name: 'Sérgio', role: 'supervisor', sectorIds: ['suporte'], presence: 'offline' });
const team = [
  user({ id: 'ana', name: 'Ana', sectorIds: ['suporte'], presence: 'paused' }),
  user({ id: 'bruno', name: 'Bruno', sectorIds: ['financeiro'], presence: 'online' }),
  user({ id: 'carla', name: 'Carla', sectorIds: ['suporte', 'financeiro'], presence: 'online' }),
  user({ id: 'dora', name: 'Dora', sectorIds: ['suporte'], presence: 'offline', active: false }),
  user({ id: 'alice', name: 'Alice', role: 'admin', sectorIds: ['suporte'] }),
  supervisor,
];

const withCatalog = () => {
  const catalog = useCatalogStore();
  catalog.apply('sectors', { type: 'snapshot', docs: [sector('suporte'), sector('financeiro'), sector('vendas')] });
  catalog.apply('users', { type: 'snapshot', docs: team });
};
const counterSubs = () => fake.subscriptions.filter((s) => s.query === 'counters' && s.active);

describe('supervision aggregation', () => {
  it('watches my sectors (admins: every sector and the tickets with none)', () => {
    expect(watchedSectors(supervisor, ['suporte', 'financeiro'])).toEqual(['suporte']);
    expect(watchedSectors(user({ role: 'admin', sectorIds: [] }), ['suporte', 'financeiro'])).toEqual(['suporte', 'financeiro', null]);
  });

  it('lists the active staff of my sectors, online first, then paused, then offline', () => {
    expect(watchedAgents(supervisor, team, ['suporte']).map((u) => u.id)).toEqual(['carla', 'ana', 'sergio']);
    expect(watchedAgents(supervisor, team, ['financeiro']).map((u) => u.id)).toEqual(['bruno', 'carla']);
  });

  it('counter ids per sector and per agent, sliced by 30 for the `in` limit', () => {
    expect(supervisionCounterIds(['suporte', null], ['ana'])).toEqual([
      'tickets.waiting.sector.suporte',
      'tickets.open.sector.suporte',
      'tickets.waiting.sector.none',
      'tickets.open.sector.none',
      'tickets.open.assignee.ana',
    ]);
    const ids = Array.from({ length: 65 }, (_, i) => `c${i}`);
    expect(slices(ids).map((s) => s.length)).toEqual([30, 30, 5]);
  });

  it('the oldest waiting ticket per sector, stopping once every sector is answered', () => {
    const queue = [
      ticket('a', { sectorId: 'suporte', queuedAt: 100 }),
      ticket('b', { sectorId: 'suporte', queuedAt: 200 }),
      ticket('c', { sectorId: 'financeiro', queuedAt: 300 }),
      ticket('d', { sectorId: null, queuedAt: 400 }),
    ];
    expect([...oldestWaiting(queue, ['suporte', 'financeiro'])]).toEqual([
      ['suporte', 100],
      ['financeiro', 300],
    ]);
    expect(oldestWaiting(queue, ['vendas']).size).toBe(0);
    // 10,000 waiting in one sector: the answer comes from the first rows, however long the queue.
    const big = Array.from({ length: 10_000 }, (_, i) => ticket(`t${i}`, { queuedAt: i }));
    let reads = 0;
    const counted = new Proxy(big, { get: (target, key, r) => (typeof key === 'string' && /^\d+$/.test(key) && reads++, Reflect.get(target, key, r)) });
    expect(oldestWaiting(counted, ['suporte']).get('suporte')).toBe(0);
    expect(reads).toBeLessThan(5);
  });
});

describe('supervision store', () => {
  it('follows the counters of my sectors and my team, and sums them per sector and agent', async () => {
    withCatalog();
    const tickets = useTicketsStore();
    tickets.start(supervisor);
    const store = useSupervisionStore();
    store.start(supervisor);
    await nextTick();
    const mine = counterSubs().filter((s) => (s.params.ids as string[]).includes('tickets.open.assignee.ana'));
    expect(mine).toHaveLength(1);
    expect([...(mine[0]!.params.ids as string[])].sort()).toEqual(
      ['tickets.waiting.sector.suporte', 'tickets.open.sector.suporte', 'tickets.open.assignee.ana', 'tickets.open.assignee.carla', 'tickets.open.assignee.sergio'].sort(),
    );
    // Not answered yet: unknown, not zero.
    expect(store.sectors[0]).toMatchObject({ waiting: null, inService: null });
    mine[0]!.listener({
      type: 'snapshot',
      docs: [
        { id: 'tickets.waiting.sector.suporte', value: 10_000 },
        { id: 'tickets.open.sector.suporte', value: 4 },
        { id: 'tickets.open.assignee.ana', value: 3 },
      ],
    } as never);
    fake.emit('tickets.waiting', { type: 'snapshot', docs: [ticket('w1', { queuedAt: 500 }), ticket('w2', { queuedAt: 900 })] });
    expect(store.sectors).toEqual([expect.objectContaining({ id: 'suporte', waiting: 10_000, inService: 4, oldestSince: 500 })]);
    expect(store.agents.map((a) => [a.user.id, a.load])).toEqual([
      ['carla', 0],
      ['ana', 3],
      ['sergio', 0],
    ]);

    // A change arrives: the counts move without a recount of rows.
    mine[0]!.listener({ type: 'changes', changes: [{ type: 'modified', doc: { id: 'tickets.open.assignee.ana', value: 4 } }] } as never);
    expect(store.agents.find((a) => a.user.id === 'ana')!.load).toBe(4);

    // The tab counts come from the tickets store's own (whole) queue, not from the supervision counters.
    expect(counterSubs().filter((s) => !mine.includes(s))).toEqual([]);
    expect(tickets.counts.waiting).toBe(2);
    expect(store.sectors[0]!.waiting).toBe(10_000);

    store.stop();
    expect(mine[0]!.active).toBe(false);
  });

  it('the oldest wait per sector comes from a one-row query, right even past the 10,000 rows the queue holds', async () => {
    withCatalog();
    const tickets = useTicketsStore();
    tickets.start(supervisor);
    const store = useSupervisionStore();
    store.start(supervisor);
    await nextTick();
    const oneRow = fake.subscriptions.filter((s) => s.query === 'tickets.waiting' && s.params.limit === 1);
    expect(oneRow.map((s) => s.params)).toEqual([{ sectorIds: ['suporte'], limit: 1 }]);
    // The queue loaded only newer tickets (the ceiling cut the rest); the one-row query knows better.
    fake.emit('tickets.waiting', { type: 'snapshot', docs: [ticket('new', { queuedAt: 9_000 })] }, (p) => p.limit !== 1);
    expect(store.sectors[0]!.oldestSince).toBe(9_000);
    fake.emit('tickets.waiting', { type: 'snapshot', docs: [ticket('old', { queuedAt: 10 })] }, (p) => p.limit === 1);
    expect(store.sectors[0]!.oldestSince).toBe(10);
    // Taken: the next oldest arrives in its place; then nobody waits.
    fake.emit('tickets.waiting', { type: 'changes', changes: [{ type: 'removed', doc: ticket('old') }, { type: 'added', doc: ticket('next', { queuedAt: 20 }) }] }, (p) => p.limit === 1);
    expect(store.sectors[0]!.oldestSince).toBe(20);
    fake.emit('tickets.waiting', { type: 'changes', changes: [{ type: 'removed', doc: ticket('next') }] }, (p) => p.limit === 1);
    expect(store.sectors[0]!.oldestSince).toBeNull();
    store.stop();
    expect(oneRow[0]!.active).toBe(false);
  });

  it('a presence change reorders the agents without resubscribing', async () => {
    withCatalog();
    const store = useSupervisionStore();
    store.start(supervisor);
    await nextTick();
    const before = fake.subscriptions.length;
    useCatalogStore().apply('users', { type: 'changes', changes: [{ type: 'modified', doc: { ...team[0]!, presence: 'online' } }] });
    await nextTick();
    expect(store.agents.map((a) => a.user.id)).toEqual(['ana', 'carla', 'sergio']);
    expect(fake.subscriptions.length).toBe(before);
  });

  it('an admin sees every sector, and the no-sector row only when it has tickets', async () => {
    withCatalog();
    const store = useSupervisionStore();
    store.start(user({ id: 'alice', role: 'admin', sectorIds: [] }));
    await nextTick();
    expect(store.sectors.map((s) => s.id)).toEqual(['suporte', 'financeiro', 'vendas']);
    const sub = counterSubs().find((s) => (s.params.ids as string[]).includes('tickets.waiting.sector.none'))!;
    sub.listener({ type: 'snapshot', docs: [{ id: 'tickets.waiting.sector.none', value: 2 }] } as never);
    expect(store.sectors.map((s) => s.id)).toEqual(['suporte', 'financeiro', 'vendas', null]);
    expect(store.totals.waiting).toBe(2);
  });
});
