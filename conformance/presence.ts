/**
 * Presence conformance (DESIGN §16, FEATURES C4/C5/C7): the same rules on
 * every backend — a console connecting brings an agent online (or paused),
 * Sair and a connection gone past the grace period take them offline, pauses
 * carry the admin's reasons, every change is a `presenceEvents` fact, and
 * overflow follows who is really there.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PresenceEvent, Ticket, User } from '@atende/core';
import type { Backend, BackendError } from '../web/src/backend/types.ts';
import { Live, type ConformanceHarness } from './suite.ts';

export interface PresenceHarness extends ConformanceHarness {
  /** One pass of the backend's presence sweep, deciding as if it were `now`. */
  sweepPresence(now: number): Promise<number>;
  /** The presence facts of one user, oldest first. */
  presenceEvents(userId: string): Promise<PresenceEvent[]>;
}

const GRACE_MS = 90_000;

export const definePresenceConformance = (label: string, makeHarness: () => Promise<PresenceHarness>): void => {
  describe(`presence conformance: ${label}`, () => {
    let h: PresenceHarness;
    let admin: Backend;
    let carla: Backend;
    const lives: Live[] = [];
    const team = (b: Backend) => {
      const live = new Live<User & { id: string }>(b, 'users.all');
      lives.push(live as unknown as Live);
      return live;
    };
    const presenceOf = (live: Live<User & { id: string }>, uid: string) => live.docs.get(uid)?.presence;

    beforeAll(async () => {
      h = await makeHarness();
      admin = await h.signIn('admin@atende.local');
    });
    afterAll(async () => {
      for (const l of lives) l.stop();
      await h?.close();
    });

    it('a console that connects makes an offline agent online, as a fact', async () => {
      const seen = team(admin);
      await seen.until('the team', (l) => l.docs.has('carla'));
      expect(presenceOf(seen, 'carla')).toBe('offline');
      carla = await h.signIn('carla@atende.local');
      team(carla);
      await seen.until('Carla online', (l) => presenceOf(l, 'carla') === 'online');
      expect(seen.docs.get('carla')).toMatchObject({ presenceCause: 'connect' });
      const events = await h.presenceEvents('carla');
      expect(events.at(-1)).toMatchObject({ userId: 'carla', presence: 'online', previous: 'offline', cause: 'connect' });
    });

    it('a pause carries one of the admin’s reasons; the supervisor sees it and since when', async () => {
      const seen = team(admin);
      await seen.until('the team', (l) => l.docs.has('carla'));
      const before = Date.now();
      await carla.run('presence.set', { presence: 'paused', pauseReasonId: 'almoco' });
      await seen.until('Carla paused for lunch', (l) => l.docs.get('carla')?.pauseReasonName === 'Almoço');
      expect(seen.docs.get('carla')).toMatchObject({ presence: 'paused', pauseReasonId: 'almoco', presenceCause: 'manual' });
      expect(seen.docs.get('carla')!.presenceSince).toBeGreaterThanOrEqual(before - 5000);
      const events = await h.presenceEvents('carla');
      expect(events.at(-1)).toMatchObject({ presence: 'paused', pauseReasonName: 'Almoço', previous: 'online' });
      const e = (await carla.run('presence.set', { presence: 'paused', pauseReasonId: 'praia' }).catch((x: unknown) => x)) as BackendError;
      expect(e.code).toBe('not-found');
      expect(e.issues.map((i) => i.path)).toEqual(['pauseReasonId']);
      // Back online: the pause's interval is closed by the next fact.
      await carla.run('presence.set', { presence: 'online' });
      await seen.until('Carla back', (l) => presenceOf(l, 'carla') === 'online');
      expect(seen.docs.get('carla')!.pauseReasonId).toBeNull();
    });

    it('Sair: offline at once', async () => {
      const bruno = await h.signIn('bruno@atende.local');
      const seen = team(admin);
      team(bruno);
      await seen.until('Bruno online', (l) => presenceOf(l, 'bruno') === 'online');
      await bruno.run('presence.set', { presence: 'offline', cause: 'logout' });
      await seen.until('Bruno offline', (l) => presenceOf(l, 'bruno') === 'offline');
      expect((await h.presenceEvents('bruno')).at(-1)).toMatchObject({ presence: 'offline', cause: 'logout' });
      await bruno.signOut();
    });

    it('a console gone: offline only once the grace period has passed', async () => {
      const supervisor = await h.signIn('supervisor@atende.local');
      const seen = team(admin);
      team(supervisor);
      await seen.until('the supervisor online', (l) => presenceOf(l, 'supervisor') === 'online');
      await supervisor.signOut();
      const gone = Date.now();
      await h.sweepPresence(gone + 5_000);
      expect(presenceOf(seen, 'supervisor')).toBe('online');
      await h.sweepPresence(gone + GRACE_MS + 20_000);
      await seen.until('the supervisor offline', (l) => presenceOf(l, 'supervisor') === 'offline');
      expect(seen.docs.get('supervisor')).toMatchObject({ presenceCause: 'expired' });
      expect((await h.presenceEvents('supervisor')).at(-1)).toMatchObject({ presence: 'offline', previous: 'online', cause: 'expired' });
    });

    it('overflow follows who is really there: a sector gone home sends new tickets to its overflow sector', async () => {
      // The day ends: Carla and the admin choose Offline; everyone else, gone, is swept.
      await carla.run('presence.set', { presence: 'offline' });
      await admin.run('presence.set', { presence: 'offline' });
      await h.sweepPresence(Date.now() + 24 * 3_600_000);
      const bruno = await h.signIn('bruno@atende.local');
      const seen = team(admin);
      team(bruno);
      await seen.until('only Bruno online', (l) => presenceOf(l, 'bruno') === 'online' && ['ana', 'carla', 'supervisor'].every((u) => presenceOf(l, u) === 'offline'));
      const { ticketId } = await h.inbound({ channelId: 'site', externalId: `presence-${Date.now()}`, name: 'Cliente da noite', text: 'Alguém aí?' });
      const ticket = new Live<Ticket & { id: string }>(bruno, 'ticket', { id: ticketId });
      lives.push(ticket as unknown as Live);
      await ticket.until('the ticket in Financeiro', (l) => l.docs.has(ticketId) || l.error !== null);
      expect(ticket.docs.get(ticketId)).toMatchObject({ sectorId: 'financeiro', overflow: true });

      const ana = await h.signIn('ana@atende.local');
      team(ana);
      await seen.until('Ana online', (l) => presenceOf(l, 'ana') === 'online');
      const second = await h.inbound({ channelId: 'site', externalId: `presence-day-${Date.now()}`, name: 'Cliente do dia', text: 'Bom dia' });
      const own = new Live<Ticket & { id: string }>(ana, 'ticket', { id: second.ticketId });
      lives.push(own as unknown as Live);
      await own.until('the ticket in Suporte', (l) => l.docs.has(second.ticketId) || l.error !== null);
      expect(own.docs.get(second.ticketId)).toMatchObject({ sectorId: 'suporte', overflow: false });
    });

    it('the workspace can make a connecting console start paused', async () => {
      await admin.run('settings.update', { presence: { startPaused: true, graceSeconds: 90, idlePauseMinutes: 0 } });
      await carla.run('presence.set', { presence: 'offline' });
      const seen = team(admin);
      await seen.until('Carla offline', (l) => presenceOf(l, 'carla') === 'offline');
      const again = await h.signIn('carla@atende.local');
      team(again);
      await seen.until('Carla paused', (l) => presenceOf(l, 'carla') === 'paused');
      expect(seen.docs.get('carla')).toMatchObject({ presenceCause: 'connect', pauseReasonId: null });
    });
  });
};
