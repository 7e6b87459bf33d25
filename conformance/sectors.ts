/**
 * Deleting a sector on every backend (issue 13): refused while its open
 * tickets have nowhere to go, then they move to the sector the admin names,
 * live, and the sector leaves the catalogue.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sector, Ticket } from '@atende/core';
import type { Backend, BackendError } from '../web/src/backend/types.ts';
import { Live, type ConformanceHarness } from './suite.ts';

export const defineSectorConformance = (label: string, makeHarness: () => Promise<ConformanceHarness>): void => {
  describe(`sector deletion conformance: ${label}`, () => {
    let h: ConformanceHarness;
    let admin: Backend;
    const lives: Live[] = [];

    beforeAll(async () => {
      h = await makeHarness();
      admin = await h.signIn('admin@atende.local');
    });
    afterAll(async () => {
      for (const l of lives) l.stop();
      await h?.close();
    });

    it('asks where the open tickets go, moves them there and removes the sector', async () => {
      await admin.run('sector.save', { id: 'conf-del', name: 'Excluir Depois', color: '#123456', overflowSectorId: null });
      const { ticketId } = await h.inbound({ channelId: 'site', externalId: `conf-del-${Date.now().toString(36)}`, name: 'Cliente Mudança', text: 'Olá' });
      await admin.run('ticket.transfer', { ticketId, sectorId: 'conf-del' });

      const refused = (await admin.run('sector.delete', { id: 'conf-del' }).then(
        () => null,
        (e: unknown) => e as BackendError,
      ))!;
      expect(refused).toMatchObject({ code: 'failed-precondition', reason: 'sector.hasTickets', params: { count: '1' } });

      const queue = new Live<Ticket & { id: string }>(admin, 'tickets.waiting', { sectorIds: ['financeiro'] });
      const sectors = new Live<Sector & { id: string }>(admin, 'sectors.all');
      lives.push(queue as unknown as Live, sectors as unknown as Live);
      await Promise.all([queue.ready(), sectors.until('the new sector', (l) => l.docs.has('conf-del'))]);

      await expect(admin.run('sector.delete', { id: 'conf-del', moveTo: 'financeiro' })).resolves.toEqual({ id: 'conf-del', moved: 1 });
      await queue.until('the ticket in Financeiro', (l) => l.docs.get(ticketId)?.sectorId === 'financeiro');
      await sectors.until('the sector gone', (l) => !l.docs.has('conf-del'));
    });

    it('refuses while a channel still routes to the sector, in words the admin can act on', async () => {
      const refused = (await admin.run('sector.delete', { id: 'suporte', moveTo: 'financeiro' }).then(
        () => null,
        (e: unknown) => e as BackendError,
      ))!;
      expect(refused).toMatchObject({ code: 'failed-precondition', reason: 'sector.routedFromChannel' });
    });
  });
};
