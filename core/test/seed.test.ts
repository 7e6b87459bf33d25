import { describe, expect, it } from 'vitest';
import {
  collectionNames,
  counterIds,
  isCounted,
  createIdGenerator,
  DEMO_PASSWORD,
  MemoryStore,
  schemas,
  seedDemo,
  seedEmpty,
  buildReport,
  localTime,
  type RunnerDeps,
  type Stats,
} from '../src/index.ts';
import { T0 } from './support.ts';

const fresh = () => {
  const store = new MemoryStore();
  const clock = () => T0;
  const deps: RunnerDeps = { store, clock, newId: createIdGenerator(clock) };
  return { store, deps };
};

describe('seedDemo', async () => {
  const { store, deps } = fresh();
  const logins = await seedDemo(deps);
  const tickets = store.all('tickets');

  it('returns the demo logins: an admin, a supervisor and agents, all with the demo password and a user behind them', () => {
    expect(logins.map((l) => l.role).sort()).toEqual(['admin', 'agent', 'agent', 'agent', 'supervisor']);
    const users = store.all('users');
    for (const l of logins) {
      expect(l.password).toBe(DEMO_PASSWORD);
      expect(users.find((u) => u.id === l.uid)).toMatchObject({ email: l.email, role: l.role, name: l.name, active: true });
    }
    // Issue 2: agents in two sectors, one agent in both.
    const agents = users.filter((u) => u.role === 'agent');
    expect(new Set(agents.flatMap((a) => a.sectorIds)).size).toBeGreaterThanOrEqual(2);
    expect(agents.some((a) => a.sectorIds.length >= 2)).toBe(true);
  });

  it('creates tickets waiting, in service and closed, each with messages', () => {
    const statuses = new Set(tickets.map((t) => t.status));
    for (const s of ['waiting', 'open', 'closed'] as const) expect(statuses, s).toContain(s);
    const messages = store.all('messages');
    for (const t of tickets) expect(messages.some((m) => m.ticketId === t.id && m.direction === 'in'), t.protocol).toBe(true);
    const open = tickets.find((t) => t.status === 'open')!;
    expect(open.assigneeId).not.toBeNull();
    expect(messages.some((m) => m.ticketId === open.id && m.direction === 'out' && !m.automated)).toBe(true);
    expect(tickets.find((t) => t.status === 'closed')?.classificationId).not.toBeNull();
    expect(new Set(tickets.map((t) => t.protocol)).size).toBe(tickets.length);
  });

  it('keeps counters consistent with the tickets', () => {
    const expected = new Map<string, number>();
    const add = (id: string) => expected.set(id, (expected.get(id) ?? 0) + 1);
    for (const t of tickets) {
      if (isCounted(t.status, 'sector')) add(counterIds.bySector(t.status, t.sectorId));
      if (t.assigneeId && isCounted(t.status, 'assignee')) add(counterIds.byAssignee(t.status, t.assigneeId));
    }
    const stored = new Map(store.all('counters').filter((c) => c.id.startsWith('tickets.')).map((c) => [c.id, c.value]));
    for (const id of new Set([...expected.keys(), ...stored.keys()])) expect(stored.get(id) ?? 0, id).toBe(expected.get(id) ?? 0);
    expect(stored.get('tickets.waiting.sector.suporte')).toBeGreaterThan(0);
  });

  it('writes only documents its own schemas accept', () => {
    for (const c of collectionNames)
      for (const doc of store.all(c)) {
        const r = schemas[c].safeParse(doc);
        expect(r.success, `${c}/${doc.id}: ${r.error?.message}`).toBe(true);
      }
  });

  it('is deterministic given the clock and ids', async () => {
    const again = fresh();
    await seedDemo(again.deps);
    expect(again.store.all('tickets').map((t) => [t.protocol, t.status, t.sectorId, t.assigneeId]).sort()).toEqual(
      tickets.map((t) => [t.protocol, t.status, t.sectorId, t.assigneeId]).sort(),
    );
  });
});

describe('seedDemo with its month of history', async () => {
  const { store, deps } = fresh();
  await seedDemo(deps, { history: true });
  const closed = store.all('tickets').filter((t) => t.status === 'closed');
  const days = store.all('stats').filter((d): d is Stats => d.period === 'day');
  const report = buildReport(days, { businessTime: false });
  const dayOf = (at: number) => localTime(at, 'America/Sao_Paulo').date;

  it('closes a month of real tickets: Relatórios counts, per day, the tickets Histórico lists', () => {
    expect(closed.length).toBeGreaterThan(100);
    expect(new Set(closed.map((t) => dayOf(t.closedAt!))).size).toBeGreaterThanOrEqual(28);
    expect(report.totals.closed).toBe(closed.length);
    expect(report.totals.created).toBe(store.all('tickets').length);
    // Sérgio supervises Suporte and Financeiro, where every demo ticket ends up: he sees each one opened, the ones that
    // started at WhatsApp Comercial's menu included (opened in the sector the bot sent them to).
    const his = buildReport(days.filter((d) => d.sectorId === 'suporte' || d.sectorId === 'financeiro'), { businessTime: false });
    expect(his.totals.created).toBe(report.totals.created);
    expect(his.totals.closed).toBe(report.totals.closed);
    for (const { day, closed: n } of report.perDay) expect(closed.filter((t) => dayOf(t.closedAt!) === day).length, day).toBe(n);
    expect(report.totals.rated).toBe(closed.filter((t) => t.survey?.score != null).length);
    expect(report.totals.rated).toBeGreaterThan(10);
    expect(report.totals.transfers).toBeGreaterThan(0);
    expect(report.totals.abandoned).toBeGreaterThan(0);
  });

  it('gives each closed ticket a wait, a handling time, a classification and a thread; nothing is left to deliver', () => {
    const messages = store.all('messages');
    for (const t of closed) {
      const served = t.acceptedAt !== null;
      if (served) expect(t.acceptedAt! - t.createdAt, t.protocol).toBeGreaterThan(0);
      if (served) expect(t.closedAt! - t.acceptedAt!, t.protocol).toBeGreaterThanOrEqual(60_000);
      expect(t.classificationId, t.protocol).not.toBeNull();
      const thread = messages.filter((m) => m.ticketId === t.id && m.direction !== 'system');
      expect(thread.some((m) => m.direction === 'in'), t.protocol).toBe(true);
      if (served) expect(thread.some((m) => m.direction === 'out' && m.authorId === t.assigneeId), t.protocol).toBe(true);
    }
    // The past's replies on WhatsApp, Instagram and e-mail were delivered back then (today's bot menu to Pedro is due now).
    const past = new Set(closed.map((t) => t.id));
    expect(messages.filter((m) => past.has(m.ticketId) && m.delivery && m.delivery.dueAt !== null)).toEqual([]);
    const onWhatsApp = new Set(closed.filter((t) => t.channelId.startsWith('whatsapp')).map((t) => t.id));
    expect(messages.some((m) => onWhatsApp.has(m.ticketId) && m.direction === 'out' && m.status === 'delivered')).toBe(true);
    expect(new Set(closed.map((t) => t.channelId)).size).toBeGreaterThanOrEqual(4);
  });
});

describe('seedEmpty', () => {
  it('creates the settings and one admin, and keeps settings already there', async () => {
    const { store, deps } = fresh();
    const admin = await seedEmpty(deps, { id: 'root', name: 'Root', email: 'root@example.com' });
    expect(admin).toMatchObject({ role: 'admin', active: true, seesAllHistory: true });
    expect(store.all('users')).toHaveLength(1);
    expect(store.all('settings')).toHaveLength(1);
    await store.transaction(async (tx) => tx.update({ collection: 'settings', id: 'workspace' }, { name: 'Minha empresa' }));
    await seedEmpty(deps, { id: 'root2', name: 'Root 2', email: 'root2@example.com' });
    expect(store.all('settings')[0]?.name).toBe('Minha empresa');
    expect(store.all('tickets')).toHaveLength(0);
  });
});
