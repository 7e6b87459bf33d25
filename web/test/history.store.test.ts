import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import { nextTick } from 'vue';
import { useBackend } from '@/backend';
import { emptyHistoryFilters, HISTORY_PAGE, historyFigures, planHistoryQuery, useHistoryStore, type HistoryFilters } from '@/stores/history';
import { FakeBackend, ticket, user } from './fixtures';

let fake: FakeBackend;

beforeEach(() => {
  setActivePinia(createPinia());
  fake = new FakeBackend();
  useBackend(fake);
});

const filters = (f: Partial<HistoryFilters> = {}): HistoryFilters => ({ ...emptyHistoryFilters(), ...f });
const agent = user({ sectorIds: ['suporte'], seesAllHistory: false });
const historian = user({ sectorIds: ['suporte'], seesAllHistory: true });
const admin = user({ id: 'admin', role: 'admin', sectorIds: [], seesAllHistory: false });
const closed = (id: string, closedAt: number, fields: Parameters<typeof ticket>[1] = {}) =>
  ticket(id, { status: 'closed', createdAt: closedAt - 600_000, acceptedAt: closedAt - 300_000, closedAt, queuedAt: null, updatedAt: closedAt, ...fields });
const history = () => fake.subscriptions.filter((s) => s.query === 'tickets.history' && s.active);

describe('history filters → tickets.history parameters', () => {
  it('an agent without seesAllHistory always names their sectors; others list every sector', () => {
    expect(planHistoryQuery(filters(), agent).params).toEqual({ sectorIds: ['suporte'] });
    expect(planHistoryQuery(filters(), historian).params).toEqual({});
    expect(planHistoryQuery(filters(), admin).params).toEqual({});
    expect(planHistoryQuery(filters({ sectorId: 'financeiro' }), historian).params).toEqual({ sectorIds: ['financeiro'] });
    // A sector outside mine is never asked for (the server would refuse it): nothing to list.
    expect(planHistoryQuery(filters({ sectorId: 'financeiro' }), agent).params).toBeNull();
    expect(planHistoryQuery(filters(), user({ sectorIds: [], seesAllHistory: false })).params).toBeNull();
  });

  it('the closed-between days become a local-midnight range, the end day included', () => {
    const { params } = planHistoryQuery(filters({ from: '2026-11-02', to: '2026-11-03' }), historian);
    expect(params).toEqual({ closedFrom: new Date(2026, 10, 2).getTime(), closedTo: new Date(2026, 10, 4).getTime() });
    expect(planHistoryQuery(filters({ from: 'garbage' }), historian).params).toEqual({});
  });

  it('sends one narrowing filter to the server and applies the others to the page', () => {
    const plan = planHistoryQuery(filters({ classificationId: 'duvida', tagId: 'vip', assigneeId: 'ana' }), agent);
    expect(plan.params).toEqual({ sectorIds: ['suporte'], assigneeId: 'ana' });
    expect(plan.narrowsLocally).toBe(true);
    expect(plan.keep(closed('a', 5, { assigneeId: 'ana', classificationId: 'duvida', tagIds: ['vip'] }))).toBe(true);
    expect(plan.keep(closed('b', 5, { assigneeId: 'ana', classificationId: 'duvida', tagIds: [] }))).toBe(false);
    expect(plan.keep(closed('c', 5, { assigneeId: 'ana', classificationId: 'cobranca', tagIds: ['vip'] }))).toBe(false);

    const tagOnly = planHistoryQuery(filters({ tagId: 'vip', classificationId: 'duvida' }), historian);
    expect(tagOnly.params).toEqual({ tagId: 'vip' });
    const one = planHistoryQuery(filters({ classificationId: 'duvida' }), historian);
    expect(one).toMatchObject({ params: { classificationId: 'duvida' }, narrowsLocally: false });
  });

  it('the contact search matches name, phone or protocol on the loaded rows, without refetching', () => {
    const plan = planHistoryQuery(filters({ contact: ' mARia ' }), historian);
    expect(plan.params).toEqual({});
    expect(plan.keep(closed('a', 5, { contact: { name: 'Maria Oliveira', phone: null, email: null } }))).toBe(true);
    expect(plan.keep(closed('b', 5))).toBe(false);
    expect(planHistoryQuery(filters({ contact: '20261121-b' }), historian).keep(closed('b', 5))).toBe(true);
  });
});

describe('history store', () => {
  it('subscribes the first page, resubscribes when a server filter changes, not when the contact text does', async () => {
    const store = useHistoryStore();
    store.start(agent);
    expect(history().map((s) => s.params)).toEqual([{ sectorIds: ['suporte'], limit: HISTORY_PAGE }]);
    store.filters.classificationId = 'duvida';
    await nextTick();
    expect(history().map((s) => s.params)).toEqual([{ sectorIds: ['suporte'], classificationId: 'duvida', limit: HISTORY_PAGE }]);
    const before = fake.subscriptions.length;
    store.filters.contact = 'maria';
    await nextTick();
    expect(fake.subscriptions.length).toBe(before);
    store.stop();
    expect(history()).toEqual([]);
  });

  it('pages with `before` from the oldest row of the last page, and merges the boundary without duplicates', async () => {
    const store = useHistoryStore();
    store.start(historian);
    const page1 = Array.from({ length: HISTORY_PAGE }, (_, i) => closed(`p${i}`, 10_000 - i));
    fake.emit('tickets.history', { type: 'snapshot', docs: page1 });
    expect(store.rows).toHaveLength(HISTORY_PAGE);
    expect(store.hasMore).toBe(true);
    store.loadMore();
    const second = history()[1]!;
    // The boundary millisecond is asked again: rows sharing it are not skipped.
    expect(second.params).toEqual({ limit: HISTORY_PAGE, before: 10_000 - (HISTORY_PAGE - 1) + 1 });
    second.listener({ type: 'snapshot', docs: [page1.at(-1)!, closed('old', 100)] } as never);
    expect(store.rows.map((t) => t.id).slice(-2)).toEqual([`p${HISTORY_PAGE - 1}`, 'old']);
    expect(store.rows).toHaveLength(HISTORY_PAGE + 1);
    expect(store.hasMore).toBe(false);
    // Reopened elsewhere: it leaves the history live.
    history()[0]!.listener({ type: 'changes', changes: [{ type: 'removed', doc: page1[0] }] } as never);
    expect(store.rows.map((t) => t.id)).not.toContain('p0');
  });

  it('a refused query shows its reason', () => {
    const store = useHistoryStore();
    store.start(agent);
    fake.emit('tickets.history', { type: 'error', error: Object.assign(new Error('you are not in sector financeiro'), { code: 'permission-denied', issues: [], status: 403 }) } as never);
    expect(store.error?.message).toMatch(/financeiro/);
    expect(store.loading).toBe(false);
  });

  it('figures: volumes by classification, sector and channel, average wait (created → accepted) and handling (accepted → closed)', () => {
    const rows = [
      closed('a', 1_000_000, { classificationId: 'duvida', createdAt: 0, acceptedAt: 60_000, closedAt: 360_000 }),
      closed('b', 2_000_000, { classificationId: 'duvida', sectorId: 'financeiro', createdAt: 0, acceptedAt: 180_000, closedAt: 300_000 }),
      closed('c', 3_000_000, { classificationId: null, channelId: 'whatsapp', acceptedAt: null }),
    ];
    const f = historyFigures(rows);
    expect(f.count).toBe(3);
    expect(f.byClassification).toEqual([['duvida', 2], [null, 1]]);
    expect(f.bySector).toEqual([['suporte', 2], ['financeiro', 1]]);
    expect(f.byChannel).toEqual([['site', 2], ['whatsapp', 1]]);
    // Only accepted tickets have a wait and a handling time.
    expect(f.averageWaitMs).toBe(120_000);
    expect(f.averageHandlingMs).toBe(210_000);
    expect(historyFigures([]).averageWaitMs).toBeNull();
  });
});
