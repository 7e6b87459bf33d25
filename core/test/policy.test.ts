import { describe, expect, it } from 'vitest';
import { policy, type Decision, type Role, type StaffActor, type Ticket, type TicketStatus } from '../src/index.ts';

/**
 * DESIGN §5, written out as data. This table is the specification; the code
 * is checked against it, cell by cell.
 *
 * Every role is given the sectors ['s1']: "own" is s1, "other" is s2, "none"
 * is a ticket with no sector. "me" is a ticket assigned to the actor,
 * "someone" to another user.
 *
 *   read    yes | no | history  (history: only once closed, and only with seesAllHistory — §5 "history of other sectors")
 *   accept  yes | no            (who may take it; that it must be waiting is the command's precondition)
 *   manage  yes | no | waiting  (send, tag, classify, close, transfer, return to queue;
 *                                waiting: only while it waits in Esperando — agents close or transfer
 *                                from Esperando, seeds 002/003, a deliberate extension of "own tickets")
 *   reopen  yes | no
 */
type Place = 'own' | 'other' | 'none';
type Holder = 'nobody' | 'me' | 'someone';
type Read = 'yes' | 'no' | 'history';
type Manage = 'yes' | 'no' | 'waiting';
type Row = readonly [Place, Holder, Read, 'yes' | 'no', Manage, 'yes' | 'no'];

const TABLE: Record<Role, readonly Row[]> = {
  agent: [
    //  sector   assignee   read       accept  manage     reopen
    ['own', 'nobody', 'yes', 'yes', 'waiting', 'yes'],
    ['own', 'me', 'yes', 'yes', 'yes', 'yes'],
    ['own', 'someone', 'yes', 'yes', 'waiting', 'yes'],
    ['other', 'nobody', 'history', 'no', 'no', 'no'],
    // The assignee may always read their ticket (so "assigneeId == me" queries are provably allowed).
    ['other', 'me', 'yes', 'no', 'yes', 'no'],
    ['other', 'someone', 'history', 'no', 'no', 'no'],
    ['none', 'nobody', 'history', 'no', 'no', 'no'],
    ['none', 'me', 'yes', 'no', 'yes', 'no'],
    ['none', 'someone', 'history', 'no', 'no', 'no'],
  ],
  supervisor: [
    ['own', 'nobody', 'yes', 'yes', 'yes', 'yes'],
    ['own', 'me', 'yes', 'yes', 'yes', 'yes'],
    ['own', 'someone', 'yes', 'yes', 'yes', 'yes'],
    ['other', 'nobody', 'history', 'no', 'no', 'no'],
    // §5 says "no" for other sectors; the code lets a supervisor read and act on a ticket assigned to
    // them (it can only happen after their sectors changed): the assignee rule, as for agents.
    ['other', 'me', 'yes', 'no', 'yes', 'no'],
    ['other', 'someone', 'history', 'no', 'no', 'no'],
    ['none', 'nobody', 'history', 'no', 'no', 'no'],
    ['none', 'me', 'yes', 'no', 'yes', 'no'],
    ['none', 'someone', 'history', 'no', 'no', 'no'],
  ],
  admin: [
    ['own', 'nobody', 'yes', 'yes', 'yes', 'yes'],
    ['own', 'me', 'yes', 'yes', 'yes', 'yes'],
    ['own', 'someone', 'yes', 'yes', 'yes', 'yes'],
    ['other', 'nobody', 'yes', 'yes', 'yes', 'yes'],
    ['other', 'me', 'yes', 'yes', 'yes', 'yes'],
    ['other', 'someone', 'yes', 'yes', 'yes', 'yes'],
    ['none', 'nobody', 'yes', 'yes', 'yes', 'yes'],
    ['none', 'me', 'yes', 'yes', 'yes', 'yes'],
    ['none', 'someone', 'yes', 'yes', 'yes', 'yes'],
  ],
};

/** The per-role rows of §5 that do not depend on a ticket. */
const ROLE_TABLE: Record<Role, { editContact: boolean; editCatalogue: boolean; administer: boolean }> = {
  agent: { editContact: true, editCatalogue: false, administer: false },
  supervisor: { editContact: true, editCatalogue: true, administer: false },
  admin: { editContact: true, editCatalogue: true, administer: true },
};

const STATUSES: TicketStatus[] = ['bot', 'waiting', 'open', 'closed'];
const ROLES: Role[] = ['agent', 'supervisor', 'admin'];

const actorOf = (role: Role, seesAllHistory: boolean): StaffActor => ({ kind: 'staff', uid: 'me', name: 'Me', role, sectorIds: ['s1'], seesAllHistory });

const ticketOf = (place: Place, holder: Holder, status: TicketStatus): Pick<Ticket, 'sectorId' | 'assigneeId' | 'status' | 'contactId' | 'channelId'> => ({
  sectorId: place === 'own' ? 's1' : place === 'other' ? 's2' : null,
  assigneeId: holder === 'me' ? 'me' : holder === 'someone' ? 'zed' : null,
  status,
  contactId: 'c1',
  channelId: 'site',
});

/** A Decision is true, or a reason a person can read. */
const allowed = (d: Decision): boolean => {
  if (d !== true) expect(typeof d === 'string' && d.length > 0, 'a refusal must carry a reason').toBe(true);
  return d === true;
};

describe('policy: DESIGN §5 cell by cell', () => {
  const cells = ROLES.flatMap((role) =>
    TABLE[role].flatMap(([place, holder, read, accept, manage, reopen]) =>
      STATUSES.flatMap((status) =>
        [false, true].map((seesAll) => ({ role, place, holder, status, seesAll, read, accept, manage, reopen })),
      ),
    ),
  );

  it('covers every combination of role, sector, assignee, status and history flag', () => {
    expect(cells).toHaveLength(3 * 9 * 4 * 2);
    for (const role of ROLES) expect(new Set(TABLE[role].map(([p, h]) => `${p}/${h}`)).size).toBe(9);
  });

  it.each(cells)('$role, sector $place, assigned to $holder, $status, seesAllHistory=$seesAll', (c) => {
    const actor = actorOf(c.role, c.seesAll);
    const ticket = ticketOf(c.place, c.holder, c.status);
    const canRead = c.read === 'yes' || (c.read === 'history' && c.status === 'closed' && c.seesAll);
    const canManage = c.manage === 'yes' || (c.manage === 'waiting' && c.status === 'waiting');
    expect(policy.canReadTicket(actor, ticket), 'canReadTicket').toBe(canRead);
    expect(allowed(policy.canAccept(actor, ticket)), 'canAccept').toBe(c.accept === 'yes');
    expect(allowed(policy.canManage(actor, ticket)), 'canManage').toBe(canManage);
    expect(allowed(policy.canReopen(actor, ticket)), 'canReopen').toBe(c.reopen === 'yes');
  });

  it.each(ROLES.flatMap((role) => [false, true].map((seesAll) => ({ role, seesAll }))))('$role (seesAllHistory=$seesAll): contacts, catalogues, administration, lists', ({ role, seesAll }) => {
    const actor = actorOf(role, seesAll);
    expect(allowed(policy.canEditContact(actor))).toBe(ROLE_TABLE[role].editContact);
    expect(allowed(policy.canEditCatalogue(actor))).toBe(ROLE_TABLE[role].editCatalogue);
    expect(allowed(policy.canAdminister(actor))).toBe(ROLE_TABLE[role].administer);
    // Queues: own sectors; admins every sector and none.
    expect(policy.visibleSectors(actor)).toEqual(role === 'admin' ? null : ['s1']);
    // History: other sectors with seesAllHistory; admins always.
    expect(policy.historySectors(actor)).toEqual(role === 'admin' || seesAll ? null : ['s1']);
  });

  it('a refusal says why, in words about the ticket', () => {
    const agent = actorOf('agent', false);
    expect(policy.canManage(agent, ticketOf('own', 'someone', 'open'))).toMatch(/assigned to someone else/);
    expect(policy.canManage(agent, ticketOf('other', 'nobody', 'waiting'))).toMatch(/sector/);
    expect(policy.canAccept(agent, ticketOf('other', 'nobody', 'waiting'))).toMatch(/sector/);
    expect(policy.canAdminister(agent)).toMatch(/admin/);
  });
});

describe('policy: customers and the system', () => {
  it('a web-chat customer reads only their own tickets on their own channel', () => {
    const customer = { kind: 'customer', contactId: 'c1', channelId: 'site' } as const;
    expect(policy.canReadTicket(customer, ticketOf('own', 'nobody', 'open'))).toBe(true);
    expect(policy.canReadTicket(customer, { ...ticketOf('own', 'nobody', 'open'), contactId: 'c2' })).toBe(false);
    expect(policy.canReadTicket(customer, { ...ticketOf('own', 'nobody', 'open'), channelId: 'zap' })).toBe(false);
  });

  it('the system reads everything', () => {
    for (const status of STATUSES) expect(policy.canReadTicket({ kind: 'system' }, ticketOf('none', 'someone', status))).toBe(true);
  });
});
