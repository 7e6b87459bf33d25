/**
 * Softphone conformance (issue 17): on every backend the admin sets the PBX
 * and an agent's extension, the password reaches only that agent's own
 * `sip.credentials`, a call opens (or finds) the ticket, is logged in its
 * thread, and "em ligação" reaches the supervisor's team list.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Message, User } from '@atende/core';
import type { Backend, BackendError } from '../web/src/backend/types.ts';
import { Live, type ConformanceHarness } from './suite.ts';

const PBX = { wsUrl: 'wss://pbx.conformance.test:8089/ws', domain: 'pbx.conformance.test' };

export const definePhoneConformance = (label: string, makeHarness: () => Promise<ConformanceHarness>): void => {
  describe(`softphone conformance: ${label}`, () => {
    let h: ConformanceHarness;
    let admin: Backend;
    let ana: Backend;
    let bruno: Backend;
    const lives: Live[] = [];
    const follow = <T extends { id: string }>(b: Backend, query: string, params: Record<string, unknown> = {}) => {
      const live = new Live<T & Record<string, unknown>>(b, query, params);
      lives.push(live as unknown as Live);
      return live;
    };

    beforeAll(async () => {
      h = await makeHarness();
      admin = await h.signIn('admin@atende.local');
      ana = await h.signIn('ana@atende.local');
      bruno = await h.signIn('bruno@atende.local');
    }, 90_000);
    afterAll(async () => {
      for (const l of lives) l.stop();
      await h?.close();
    });

    it('the SIP password is write-only: only its agent gets it back', async () => {
      expect(await ana.run('sip.credentials', {})).toEqual({ configured: false, missing: 'pbx' });
      const refused = await ana.run('user.setSip', { userId: 'ana', extension: '1001', password: 'segredo-ana' }).catch((e: BackendError) => e);
      expect((refused as BackendError).code).toBe('permission-denied');
      await admin.run('settings.update', { phone: PBX });
      await admin.run('user.setSip', { userId: 'ana', extension: '1001', password: 'segredo-ana' });
      expect(await ana.run('sip.credentials', {})).toEqual({ configured: true, ...PBX, iceServers: [], extension: '1001', password: 'segredo-ana' });
      expect(await bruno.run('sip.credentials', {})).toEqual({ configured: false, missing: 'extension' });
      const team = follow<User>(admin, 'users.all');
      await team.until('Ana with her extension', (l) => (l.docs.get('ana') as User | undefined)?.sip?.extension === '1001');
      expect(team.docs.get('ana')!.sip).toEqual({ extension: '1001', passwordSet: true });
      expect(JSON.stringify([...team.docs.values()])).not.toContain('segredo-ana');
    });

    it('an answered call opens a Telefone ticket with the agent and is logged in its thread', async () => {
      const opened = await ana.run('call.open', { number: '+55 21 99876-0001' });
      expect(opened.created).toBe(true);
      const ticket = follow<{ id: string; status: string; assigneeId: string; channelType: string }>(ana, 'ticket', { id: opened.ticketId });
      await ticket.until('the ticket', (l) => l.docs.has(opened.ticketId));
      expect(ticket.docs.get(opened.ticketId)).toMatchObject({ status: 'open', assigneeId: 'ana', channelType: 'phone' });
      // The same caller without the ninth digit is the same contact and ticket.
      expect(await ana.run('call.identify', { number: '552198760001' })).toMatchObject({ ticket: { id: opened.ticketId } });
      await ana.run('call.log', { ticketId: opened.ticketId, callId: 'conf-call-1', direction: 'in', number: '+55 21 99876-0001', outcome: 'answered', durationSeconds: 42 });
      const thread = follow<Message>(ana, 'messages.ofTicket', { ticketId: opened.ticketId });
      await thread.until('the call line', (l) => [...l.docs.values()].some((m) => (m as Message).event?.kind === 'call'));
      const line = [...thread.docs.values()].find((m) => (m as Message).event?.kind === 'call') as Message;
      expect(line.call).toMatchObject({ direction: 'in', outcome: 'answered', durationSeconds: 42, agentId: 'ana' });
      const denied = await bruno.run('call.log', { ticketId: opened.ticketId, callId: 'conf-call-2', direction: 'out', number: '21998760001', outcome: 'busy', durationSeconds: 0 }).catch((e: BackendError) => e);
      expect((denied as BackendError).code).toBe('permission-denied');
    });

    it('a missed call from an unknown number waits in Esperando, once for every phone that rang', async () => {
      const first = await ana.run('call.missed', { callId: 'conf-missed-1', number: '+55 21 99876-0002', name: '' });
      expect(first.created).toBe(true);
      expect(await ana.run('call.missed', { callId: 'conf-missed-1', number: '+55 21 99876-0002', name: '' })).toEqual({ ticketId: first.ticketId, created: false });
      const waiting = follow<{ id: string; status: string; assigneeId: string | null; contact: { name: string } }>(ana, 'tickets.waiting', { sectorIds: ['suporte'] });
      await waiting.until('the call back in Esperando', (l) => l.docs.has(first.ticketId));
      expect(waiting.docs.get(first.ticketId)).toMatchObject({ status: 'waiting', assigneeId: null, contact: { name: '+55 21 99876-0002' } });
      const thread = follow<Message>(ana, 'messages.ofTicket', { ticketId: first.ticketId });
      await thread.until('the missed call line', (l) => [...l.docs.values()].some((m) => (m as Message).call?.outcome === 'noAnswer'));
    });

    it('an agent on a call shows "em ligação" to the supervisor', async () => {
      const team = follow<User>(admin, 'users.all');
      await team.until('the team', (l) => l.docs.has('ana'));
      await ana.run('presence.call', { onCall: true });
      await team.until('Ana on a call', (l) => typeof (l.docs.get('ana') as User | undefined)?.onCallSince === 'number');
      await ana.run('presence.call', { onCall: false });
      await team.until('Ana off the call', (l) => (l.docs.get('ana') as User | undefined)?.onCallSince === null);
    });
  });
};
