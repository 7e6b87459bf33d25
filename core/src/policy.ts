import type { Role, Ticket } from './model/index.ts';

/** Who is acting: a staff member, a web-chat customer, or the system itself (webhooks, automation). */
export type StaffActor = {
  kind: 'staff';
  uid: string;
  name: string;
  role: Role;
  sectorIds: readonly string[];
  seesAllHistory: boolean;
};
export type CustomerActor = { kind: 'customer'; contactId: string; channelId: string };
export type SystemActor = { kind: 'system' };
export type Actor = StaffActor | CustomerActor | SystemActor;

export const SYSTEM: SystemActor = { kind: 'system' };

/** true, or the reason it is refused, phrased for the person who tried. */
export type Decision = true | string;

const isAdmin = (a: StaffActor) => a.role === 'admin';
const inMySectors = (a: StaffActor, t: Pick<Ticket, 'sectorId'>) => t.sectorId !== null && a.sectorIds.includes(t.sectorId);
const isAssignee = (a: StaffActor, t: Pick<Ticket, 'assigneeId'>) => t.assigneeId === a.uid;

type TicketView = Pick<Ticket, 'sectorId' | 'assigneeId' | 'status'>;

/**
 * DESIGN §5, one function per question. `firestore.rules` mirrors these
 * line by line. Whoever is assigned a ticket can always read it (for any
 * role), so that "assigneeId == me" queries are provably allowed.
 */
export const policy = {
  canReadTicket(a: Actor, t: TicketView & Pick<Ticket, 'contactId' | 'channelId'>): boolean {
    if (a.kind === 'system') return true;
    if (a.kind === 'customer') return t.contactId === a.contactId && t.channelId === a.channelId;
    if (isAdmin(a) || inMySectors(a, t) || isAssignee(a, t)) return true;
    return t.status === 'closed' && a.seesAllHistory;
  },

  canAccept(a: StaffActor, t: TicketView): Decision {
    if (isAdmin(a) || inMySectors(a, t)) return true;
    return 'this ticket belongs to a sector you are not in';
  },

  /**
   * Send, tag, classify, close, transfer, return to queue. Agents act on
   * their own tickets, and on waiting tickets of their sectors (close or
   * transfer straight from Esperando); supervisors on any ticket of their
   * sectors; admins on any.
   */
  canManage(a: StaffActor, t: TicketView): Decision {
    if (isAdmin(a)) return true;
    if (a.role === 'supervisor') return inMySectors(a, t) || isAssignee(a, t) ? true : 'this ticket belongs to a sector you do not supervise';
    if (isAssignee(a, t)) return true;
    if (t.status === 'waiting' && inMySectors(a, t)) return true;
    return t.assigneeId !== null ? 'this ticket is assigned to someone else' : 'this ticket belongs to a sector you are not in';
  },

  canReopen(a: StaffActor, t: TicketView): Decision {
    if (isAdmin(a) || inMySectors(a, t)) return true;
    return 'you may only reopen tickets of your sectors';
  },

  /** Contacts are shared by the whole team (they appear in every sector's tickets). */
  canEditContact(a: StaffActor): Decision {
    return a.kind === 'staff' ? true : 'only staff may edit contacts';
  },

  /** Quick replies, tags, classifications and the attachment policy. */
  canEditCatalogue(a: StaffActor): Decision {
    return a.role === 'admin' || a.role === 'supervisor' ? true : 'only supervisors and admins may change this';
  },

  /** Users, sectors, channels, automation and the workspace settings. */
  canAdminister(a: StaffActor): Decision {
    return isAdmin(a) ? true : 'only admins may change this';
  },

  /** Which sectors' tickets a staff member may list; null means every sector and none. */
  visibleSectors(a: StaffActor): readonly string[] | null {
    return isAdmin(a) ? null : a.sectorIds;
  },

  /** Which sectors' closed tickets a staff member may list in the history; null means all. */
  historySectors(a: StaffActor): readonly string[] | null {
    return isAdmin(a) || a.seesAllHistory ? null : a.sectorIds;
  },
};

export const asStaff = (a: Actor): StaffActor | null => (a.kind === 'staff' ? a : null);
