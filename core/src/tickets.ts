import { withIdle } from './automation/idle.ts';
import type { DeliveryFailure } from './channels/types.ts';
import type { Channel, Contact, Message, SystemEvent, Ticket } from './model/index.ts';
import { refs } from './store/refs.ts';
import type { Tx } from './store/types.ts';

/**
 * The counters behind the tab counts (*Esperando* 12). Kept by the same
 * transaction that changes the ticket, never counted from rows.
 */
export const counterIds = {
  bySector: (status: Ticket['status'], sectorId: string | null) => `tickets.${status}.sector.${sectorId ?? 'none'}`,
  /** A person's total, what readers ask for. */
  byAssignee: (status: Ticket['status'], uid: string) => `tickets.${status}.assignee.${uid}`,
  /**
   * What a ticket adds to its assignee's total: kept in its sector's document on Firestore, so a move inside the
   * sector writes one document; added to `byAssignee`'s row where each counter is a row (store/counterLayout.ts).
   */
  byAssigneeIn: (status: Ticket['status'], uid: string, sectorId: string | null) => `tickets.${status}.assignee.${uid}@${sectorId ?? 'none'}`,
};

/**
 * Only the counts a screen shows are kept (each kept count costs a write per
 * move on Firestore): Esperando, Em atendimento and Encerrados per sector,
 * and each person's Meus atendimentos (open). Tickets at the bot and an
 * agent's closed tickets are counted by nobody.
 */
export const isCounted = (status: Ticket['status'], by: 'sector' | 'assignee'): boolean => (by === 'sector' ? status !== 'bot' : status === 'open');

const countersOf = (t: Ticket | null): string[] => {
  if (!t) return [];
  const ids = isCounted(t.status, 'sector') ? [counterIds.bySector(t.status, t.sectorId)] : [];
  if (t.assigneeId !== null && isCounted(t.status, 'assignee')) ids.push(counterIds.byAssigneeIn(t.status, t.assigneeId, t.sectorId));
  return ids;
};

/** Writes a ticket (with its automation group, `idle`) and moves its counters from what it was to what it is. */
export const writeTicket = (tx: Tx, before: Ticket | null, next: Ticket): void => {
  // A close drops the sole-thread mark (core/src/channels/received.ts `findInbound`): while the ticket is closed, its
  // customer's messages open other tickets, and it keeps its copy of the thread, whole, if it is reopened.
  const after = withIdle(next.status === 'closed' && next.soleThreadOf ? { ...next, soleThreadOf: null } : next);
  if (before) tx.set(refs.ticket(after.id), after);
  else tx.create(refs.ticket(after.id), after);
  const was = countersOf(before);
  const is = countersOf(after);
  for (const id of was) if (!is.includes(id)) tx.increment(id, -1);
  for (const id of is) if (!was.includes(id)) tx.increment(id, 1);
};

/** Clears the card's "!" when `message`, sent again, is the ticket's last message (a failure sets it: `markFailed`). */
export const clearLastFailed = (tx: Tx, ticket: Ticket | null, message: Pick<Message, 'direction' | 'createdAt'>): void => {
  const patch = ticket && lastFailedPatch(ticket, message, false);
  if (ticket && patch) tx.update(refs.ticket(ticket.id), patch);
};

/**
 * The card's mark (or its removal) when `message` is the ticket's last message — ours, written at the same instant.
 * Only a final failure, a later failure report or a retry changes it.
 */
const lastFailedPatch = (ticket: Ticket, message: Pick<Message, 'direction' | 'createdAt'>, failed: boolean): Pick<Ticket, 'lastMessage'> | null => {
  const last = ticket.lastMessage;
  if (!last || message.direction !== 'out' || last.direction !== 'out' || last.at !== message.createdAt || (last.failed ?? false) === failed) return null;
  return { lastMessage: failed ? { ...last, failed: true } : { text: last.text, direction: last.direction, at: last.at } };
};

/**
 * What one of our messages failing for good changes on its ticket, in one write: the card's "!" when it was the last
 * message, and, when the provider says the reply window is closed (WhatsApp 131047), the window — closed until the
 * customer writes again, since the provider's clock decides (the thread read "janela fechada" while the composer still
 * counted hours left and offered free text). A customer message after ours keeps the window it opened.
 */
export const markFailed = (tx: Tx, ticket: Ticket | null, message: Pick<Message, 'direction' | 'createdAt'>, failure: Pick<DeliveryFailure, 'code'> | null): void => {
  if (!ticket) return;
  const closesWindow = failure?.code === 'window-closed' && ticket.windowFrom != null && ticket.windowFrom <= message.createdAt;
  const patch = { ...lastFailedPatch(ticket, message, true), ...(closesWindow && { windowFrom: null, windowClosedAt: message.createdAt }) };
  if (Object.keys(patch).length > 0) tx.update(refs.ticket(ticket.id), patch);
};

export const preview = (text: string, attachments: Message['attachments']): string => {
  const trimmed = text.trim();
  if (trimmed) return trimmed.length > 140 ? `${trimmed.slice(0, 139)}…` : trimmed;
  const first = attachments[0];
  return first ? `📎 ${first.name}` : '';
};

/** A message with every optional field at its default. */
export const newMessage = (fields: Pick<Message, 'id' | 'ticketId' | 'contactId' | 'direction' | 'createdAt'> & Partial<Message>): Message => ({
  authorId: null,
  authorName: null,
  text: '',
  attachments: [],
  status: fields.direction === 'out' ? 'pending' : 'delivered',
  channelMessageId: null,
  clientId: null,
  event: null,
  automated: false,
  ...fields,
});

/** A message an agent writes on the ticket (text and files, a template…): `fields` says what it carries. */
export const agentMessage = (ticket: Ticket, id: string, now: number, author: { uid: string; name: string }, fields: Partial<Message>): Message =>
  newMessage({ id, ticketId: ticket.id, contactId: ticket.contactId, direction: 'out', createdAt: now, authorId: author.uid, authorName: author.name, ...fields });

export const addMessage = (tx: Tx, message: Message): void => tx.create(refs.message(message.ticketId, message.id), message);

/** A line in the thread for something that happened to the ticket (accepted, transferred…). */
export const systemMessage = (ticket: Ticket, id: string, now: number, event: SystemEvent): Message =>
  newMessage({ id, ticketId: ticket.id, contactId: ticket.contactId, direction: 'system', createdAt: now, event });

export const OPEN_STATUSES = ['bot', 'waiting', 'open'] as const;

/** Where a new ticket stands: who has it, where it waits, how it came. */
export type TicketStart = Pick<Ticket, 'sectorId' | 'assigneeId' | 'assigneeName' | 'status' | 'origin' | 'overflow' | 'queuedAt' | 'acceptedAt' | 'lastCustomerMessageAt'>;

/** A new ticket of a contact on a channel: nothing said, tagged or classified yet. */
export const newTicket = (contact: Contact, channel: Channel, protocol: string, start: TicketStart, ctx: { newId: () => string; now: number }): Ticket => ({
  id: ctx.newId(),
  protocol,
  contactId: contact.id,
  contact: { name: contact.name, phone: contact.phone, email: contact.email },
  channelId: channel.id,
  channelType: channel.type,
  ...start,
  tagIds: [],
  classificationId: null,
  createdAt: ctx.now,
  closedAt: null,
  closedBy: null,
  lastMessageAt: ctx.now,
  lastMessage: null,
  unread: 0,
  inactivityWarnedAt: null,
  sentiment: null,
  // No agent has sent anything yet: a first send needs no lookup (sentBefore.ts).
  recentSends: [],
  updatedAt: ctx.now,
});
