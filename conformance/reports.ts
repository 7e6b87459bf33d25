/**
 * Reports conformance (DESIGN §15, issue 14): the same permissions over the
 * report aggregates (`stats.range`) on every backend. Admins read every
 * sector's rows; a supervisor reads only their sectors' rows, must name
 * them, and is refused any other sector; agents read none. And the rows a
 * command writes are there to read (the ticket counted the day it opened).
 * Month documents hold their days up to the roll-up's mark (a counter any
 * staff reads; the demo's history is rolled up at seeding): read as
 * Relatórios reads it, a period with the current month gives its days' report.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, buildReport, localTime, periodPlan, reportOf, ROLLED_UP_COUNTER, rollUpMarkDay, type Report, type Stats } from '@atende/core';
import type { Backend } from '../web/src/backend/types.ts';
import { Live, type ConformanceHarness } from './suite.ts';

const created = (docs: Iterable<Stats>) => [...docs].reduce((n, d) => n + Object.entries(d.v).reduce((m, [k, v]) => m + (k.startsWith('c|') && k.endsWith('|created') ? v : 0), 0), 0);

export const defineReportsConformance = (label: string, makeHarness: () => Promise<ConformanceHarness>): void => {
  describe(`reports conformance: ${label}`, () => {
    let h: ConformanceHarness;
    let admin: Backend;
    let supervisor: Backend;
    let ana: Backend;
    const lives: Live[] = [];
    const follow = (b: Backend, params: Record<string, unknown>, query = 'stats.range') => {
      const live = new Live<Stats & { id: string }>(b, query, params);
      lives.push(live as unknown as Live);
      return live;
    };
    const today = () => localTime(Date.now(), 'America/Sao_Paulo').date;
    const otherSector = `conf-${Date.now().toString(36)}`;

    beforeAll(async () => {
      h = await makeHarness();
      [admin, supervisor, ana] = await Promise.all([h.signIn('admin@atende.local'), h.signIn('supervisor@atende.local'), h.signIn('ana@atende.local')]);
      // A sector Sérgio does not supervise, with a ticket counted in it today.
      await admin.run('sector.save', { id: otherSector, name: `Conformidade ${otherSector}`, color: '#7c3aed', overflowSectorId: null });
      const { ticketId } = await h.inbound({ channelId: 'site', externalId: `${otherSector}-v`, name: 'Cliente Relatório', text: 'Oi' });
      await admin.run('ticket.transfer', { ticketId, sectorId: otherSector });
    });
    afterAll(async () => {
      for (const l of lives) l.stop();
      await h?.close();
    });

    it("an admin reads every sector's rows, the new sector's included", async () => {
      const live = follow(admin, { period: 'day', from: today(), to: today() });
      await live.until('the other sector counted', (l) => [...l.docs.values()].some((d) => d.sectorId === otherSector));
      expect(live.error).toBeNull();
      expect(new Set([...live.docs.values()].map((d) => d.sectorId))).toContain('suporte');
    });

    it("a supervisor reads their sectors' rows only, and they move when a ticket opens", async () => {
      const live = follow(supervisor, { period: 'day', from: today(), to: today(), sectorIds: ['suporte', 'financeiro'] });
      await live.ready();
      expect(live.error).toBeNull();
      const before = created(live.docs.values());
      await h.inbound({ channelId: 'site', externalId: `${otherSector}-s`, name: 'Cliente Supervisor', text: 'Olá' });
      await live.until('one more ticket counted', (l) => created(l.docs.values()) === before + 1);
      for (const d of live.docs.values()) expect(['suporte', 'financeiro']).toContain(d.sectorId);
    });

    it('the 30 days through the roll-up mark read as their days do, the current month included', async () => {
      const mark = follow(supervisor, { ids: [ROLLED_UP_COUNTER] }, 'counters');
      await mark.ready();
      expect(mark.error).toBeNull();
      const rolledUpThrough = rollUpMarkDay((mark.docs.get(ROLLED_UP_COUNTER) as unknown as { value?: number } | undefined)?.value);
      expect(rolledUpThrough).toBe(addDays(today(), -2));
      const sectorIds = ['suporte', 'financeiro'];
      const from = addDays(today(), -29);
      const plan = periodPlan(from, today(), { today: today(), rolledUpThrough });
      expect(plan.some((p) => p.period === 'month')).toBe(true);
      // Each read on a console of its own: Firestore's first snapshot may come from the cache other listeners filled.
      const read = async (params: Record<string, unknown>) => {
        const live = follow(await h.signIn('supervisor@atende.local'), { ...params, sectorIds });
        await live.ready();
        expect(live.error).toBeNull();
        return [...live.docs.values()];
      };
      const parts = await Promise.all(plan.map(async (p) => ({ sign: p.sign, docs: await read({ period: p.period, from: p.from, to: p.to }) })));
      const sort = <T extends object>(xs: T[]) => [...xs].sort((x, y) => (JSON.stringify(x) < JSON.stringify(y) ? -1 : 1));
      const sorted = (r: Report) => ({ ...r, bySector: sort(r.bySector), byChannel: sort(r.byChannel), byAgent: sort(r.byAgent), byClassification: sort(r.byClassification), byTag: sort(r.byTag) });
      const days = buildReport(await read({ period: 'day', from, to: today() }), { businessTime: false });
      expect(days.totals.created).toBeGreaterThan(0);
      expect(sorted(reportOf(parts, { businessTime: false }))).toEqual(sorted(days));
    });

    it("a supervisor is refused another sector's rows, every sector at once, and an agent any", async () => {
      const other = follow(supervisor, { period: 'day', from: today(), to: today(), sectorIds: [otherSector] });
      await other.ready();
      expect(other.error?.code).toBe('permission-denied');
      expect(other.docs.size).toBe(0);
      const mixed = follow(supervisor, { period: 'month', from: today().slice(0, 7), to: today().slice(0, 7), sectorIds: ['suporte', otherSector] });
      await mixed.ready();
      expect(mixed.error?.code).toBe('permission-denied');
      const all = follow(supervisor, { period: 'day', from: today(), to: today() });
      await all.ready();
      expect(all.error?.code).toBe('permission-denied');
      const agent = follow(ana, { period: 'day', from: today(), to: today(), sectorIds: ['suporte'] });
      await agent.ready();
      expect(agent.error?.code).toBe('permission-denied');
    });
  });
};
