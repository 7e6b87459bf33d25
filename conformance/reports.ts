/**
 * Reports conformance (DESIGN §15, issue 14): the same permissions over the
 * report aggregates (`stats.range`) on every backend. Admins read every
 * sector's rows; a supervisor reads only their sectors' rows, must name
 * them, and is refused any other sector; agents read none. And the rows a
 * command writes are there to read (the ticket counted the day it opened).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localTime, type Stats } from '@atende/core';
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
    const follow = (b: Backend, params: Record<string, unknown>) => {
      const live = new Live<Stats & { id: string }>(b, 'stats.range', params);
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
