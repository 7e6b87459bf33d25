import type { Attachment, DocChange, Message, Ticket } from '@atende/core';

/** What the customer has sent and the server has not yet echoed back. */
export interface PendingMessage {
  clientMessageId: string;
  text: string;
  attachments: Attachment[];
  /** A local file being uploaded: shown by name (and preview) before it has an id. */
  file: { name: string; size: number; previewUrl: string | null } | null;
  createdAt: number;
  state: 'sending' | 'failed';
}

export type ThreadItem =
  | { kind: 'ticket'; key: string; ticket: Ticket }
  | { kind: 'message'; key: string; message: Message }
  | { kind: 'pending'; key: string; pending: PendingMessage };

const byCreation = <T extends { createdAt: number; id: string }>(a: T, b: T) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** Applies live changes in place of what is held; an update older than what is held is ignored. */
export const applyChanges = <T extends { id: string; createdAt: number; updatedAt?: number }>(held: readonly T[], changes: readonly DocChange<T>[]): T[] => {
  const map = new Map(held.map((d) => [d.id, d]));
  for (const { type, doc } of changes) {
    if (type === 'removed') {
      map.delete(doc.id);
      continue;
    }
    const current = map.get(doc.id);
    if (current?.updatedAt !== undefined && doc.updatedAt !== undefined && doc.updatedAt < current.updatedAt) continue;
    map.set(doc.id, doc);
  }
  return [...map.values()].sort(byCreation);
};

export const sortByCreation = <T extends { createdAt: number; id: string }>(docs: readonly T[]): T[] => [...docs].sort(byCreation);

/** The server stores the widget's clientMessageId as the message's channelMessageId. */
export const echoes = (message: Message, pending: PendingMessage): boolean =>
  message.channelMessageId === pending.clientMessageId || message.clientId === pending.clientMessageId;

/** Pending messages the server has not yet echoed back. */
export const unconfirmed = (pending: readonly PendingMessage[], messages: Iterable<Message>): PendingMessage[] => {
  const seen = new Set<string>();
  for (const m of messages) {
    if (m.direction !== 'in') continue;
    if (m.channelMessageId) seen.add(m.channelMessageId);
    if (m.clientId) seen.add(m.clientId);
  }
  return pending.filter((p) => !seen.has(p.clientMessageId));
};

/**
 * The whole conversation, oldest first: each ticket opens with a line naming
 * its protocol, so the messages of a closed ticket stay readable above the
 * new one. Pending messages go last, where the customer just wrote them.
 */
export const buildThread = (
  ticketsNewestFirst: readonly Ticket[],
  messagesByTicket: ReadonlyMap<string, readonly Message[]>,
  pending: readonly PendingMessage[],
): ThreadItem[] => {
  const items: ThreadItem[] = [];
  const all: Message[] = [];
  for (const ticket of [...ticketsNewestFirst].reverse()) {
    const messages = messagesByTicket.get(ticket.id) ?? [];
    items.push({ kind: 'ticket', key: `t:${ticket.id}`, ticket });
    for (const message of messages) {
      if (message.direction === 'system') continue;
      items.push({ kind: 'message', key: `m:${message.id}`, message });
      all.push(message);
    }
  }
  for (const p of unconfirmed(pending, all)) items.push({ kind: 'pending', key: `p:${p.clientMessageId}`, pending: p });
  return items;
};

const sideOf = (item: ThreadItem | undefined): string | null => {
  if (!item || item.kind === 'ticket') return null;
  if (item.kind === 'pending' || item.message.direction === 'in') return 'customer';
  const m = item.message;
  return m.automated || m.authorId === null ? 'bot' : `agent:${m.authorId}`;
};

/** Consecutive messages from the same author read as one run: the name once on top, the time once below. */
export const sameRun = (a: ThreadItem | undefined, b: ThreadItem | undefined): boolean => {
  const side = sideOf(a);
  return side !== null && side === sideOf(b);
};

/** A person (not the bot, not the automation) has written in this ticket. */
export const hasHumanReply = (messages: readonly Message[]): boolean => messages.some((m) => m.direction === 'out' && !m.automated);

/**
 * "Aguardando um atendente…": the ticket is in the bot or the queue, or no
 * agent has written yet. A closed ticket waits for nobody.
 */
export const isAwaitingAgent = (ticket: Ticket | null, messages: readonly Message[]): boolean => {
  if (!ticket || ticket.status === 'closed') return false;
  if (ticket.status === 'waiting' || ticket.status === 'bot') return true;
  // Taken by an agent: the customer is told who (servedBy), not "waiting" until the first reply.
  if (ticket.assigneeName) return false;
  return !hasHumanReply(messages);
};

/** Splits text into plain runs and http(s) links, so links can be clickable without any HTML from the customer. */
export const linkify = (text: string): { text: string; href: string | null }[] => {
  const parts: { text: string; href: string | null }[] = [];
  const pattern = /\b(?:https?:\/\/|www\.)[^\s<>"']+/gi;
  let last = 0;
  for (const match of text.matchAll(pattern)) {
    let url = match[0];
    // Trailing punctuation belongs to the sentence, not the link.
    const trail = /[.,;:!?)\]]+$/.exec(url)?.[0] ?? '';
    if (trail) url = url.slice(0, -trail.length);
    const start = match.index;
    if (start > last) parts.push({ text: text.slice(last, start), href: null });
    parts.push({ text: url, href: url.toLowerCase().startsWith('www.') ? `https://${url}` : url });
    last = start + url.length;
  }
  if (last < text.length) parts.push({ text: text.slice(last), href: null });
  return parts;
};

export const newClientMessageId = (): string =>
  typeof crypto !== 'undefined' && 'randomUUID' in crypto ? `w-${crypto.randomUUID()}` : `w-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;
