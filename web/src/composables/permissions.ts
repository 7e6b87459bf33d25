import type { Ticket, User } from '@atende/core';
import { policy, type StaffActor } from '@core/policy.ts';

/**
 * The console asks the same policy the server enforces (core/policy.ts), so
 * it only offers what will be allowed. The server still decides.
 */
export const actorOf = (u: User): StaffActor => ({ kind: 'staff', uid: u.id, name: u.name, role: u.role, sectorIds: u.sectorIds, seesAllHistory: u.seesAllHistory });

export const permissionsFor = (u: User | null, t: Ticket | null) => {
  if (!u || !t) return { read: false, accept: false, manage: false, reopen: false, reply: false };
  const a = actorOf(u);
  const manage = t.status !== 'closed' && policy.canManage(a, t) === true;
  return {
    read: policy.canReadTicket(a, t),
    accept: t.status === 'waiting' && policy.canAccept(a, t) === true,
    manage,
    reopen: t.status === 'closed' && policy.canReopen(a, t) === true,
    reply: t.status === 'open' && manage,
  };
};
