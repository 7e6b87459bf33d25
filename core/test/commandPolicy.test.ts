import { describe, expect, it } from 'vitest';
import { isCommandError, policy, type StaffActor, type Ticket } from '../src/index.ts';
import { makeWorld, staff, type World } from './support.ts';

/**
 * Each ticket command asks the policy question of DESIGN §5 it should (the
 * policy itself is checked cell by cell in policy.test.ts): refused with
 * permission-denied exactly when that question says no.
 */
const QUESTION: Record<string, { input: (t: Ticket) => Record<string, unknown>; allowed: (a: StaffActor, t: Ticket) => boolean }> = {
  'ticket.accept': { input: () => ({}), allowed: (a, t) => policy.canAccept(a, t) === true },
  'message.send': { input: () => ({ text: 'Olá' }), allowed: (a, t) => policy.canManage(a, t) === true },
  'ticket.close': { input: () => ({}), allowed: (a, t) => policy.canManage(a, t) === true },
  'ticket.transfer': { input: () => ({ sectorId: 'financeiro' }), allowed: (a, t) => policy.canManage(a, t) === true },
  'ticket.returnToQueue': { input: () => ({}), allowed: (a, t) => policy.canManage(a, t) === true },
  'ticket.reopen': { input: () => ({}), allowed: (a, t) => policy.canReopen(a, t) === true },
  // Tags and classification follow a closed ticket: whoever may reopen it.
  'ticket.setTags': { input: () => ({ tagIds: ['vip'] }), allowed: (a, t) => (t.status === 'closed' ? policy.canReopen(a, t) : policy.canManage(a, t)) === true },
  'ticket.classify': { input: () => ({ classificationId: 'duvida' }), allowed: (a, t) => (t.status === 'closed' ? policy.canReopen(a, t) : policy.canManage(a, t)) === true },
  'ticket.markRead': { input: () => ({}), allowed: (a, t) => policy.canReadTicket(a, t) },
};

/** A Suporte ticket in each state; the open and closed ones were served by Ana. */
const STATES: Record<string, (w: World) => Promise<string>> = {
  waiting: async (w) => (await w.inbound('site', 'v1', 'Oi')).ticketId,
  open: async (w) => {
    const { ticketId } = await w.inbound('site', 'v1', 'Oi');
    await w.run(staff('ana'), 'ticket.accept', { ticketId });
    return ticketId;
  },
  closed: async (w) => {
    const { ticketId } = await w.inbound('site', 'v1', 'Oi');
    await w.run(staff('ana'), 'ticket.accept', { ticketId });
    await w.run(staff('ana'), 'ticket.close', { ticketId });
    return ticketId;
  },
  'no sector': async (w) => (await w.inbound('nosector', 'v1', 'Oi')).ticketId,
};

const ACTORS = ['ana', 'carla', 'bruno', 'sergio', 'alice'];

const cases = Object.keys(QUESTION).flatMap((command) =>
  Object.keys(STATES).flatMap((state) => ACTORS.map((who) => ({ command, state, who }))),
);

describe('ticket commands ask the policy', () => {
  it.each(cases)('$command on a $state ticket by $who', async ({ command, state, who }) => {
    const w = await makeWorld();
    const ticketId = await STATES[state]!(w);
    const ticket = w.ticket(ticketId);
    const actor = staff(who);
    const q = QUESTION[command]!;
    const before = w.dump();
    let code: string | null = null;
    try {
      await w.run(actor, command, { ticketId, ...q.input(ticket) });
    } catch (e) {
      if (!isCommandError(e)) throw e;
      code = e.code;
    }
    if (q.allowed(actor, ticket)) expect(code).not.toBe('permission-denied');
    else {
      expect(code).toBe('permission-denied');
      expect(w.dump()).toBe(before);
    }
  });
});
