import type { Message, Ticket, User } from '@atende/core';
import { BackendError, type Backend, type LiveEvent } from '@/backend';

export const ticket = (id: string, fields: Partial<Ticket> = {}): Ticket => ({
  id,
  protocol: `20261121-${id}`,
  contactId: `contact-${id}`,
  contact: { name: `Cliente ${id}`, phone: null, email: null },
  channelId: 'site',
  channelType: 'webchat',
  sectorId: 'suporte',
  assigneeId: null,
  status: 'waiting',
  origin: 'bot',
  overflow: false,
  tagIds: [],
  classificationId: null,
  createdAt: 1000,
  queuedAt: 1000,
  acceptedAt: null,
  closedAt: null,
  closedBy: null,
  lastMessageAt: 1000,
  lastCustomerMessageAt: 1000,
  lastMessage: { text: 'Oi', direction: 'in', at: 1000 },
  unread: 0,
  inactivityWarnedAt: null,
  sentiment: null,
  updatedAt: 1000,
  ...fields,
});

export const message = (id: string, fields: Partial<Message> = {}): Message => ({
  id,
  ticketId: 't1',
  contactId: 'contact-t1',
  direction: 'in',
  authorId: null,
  authorName: null,
  text: 'Olá',
  attachments: [],
  status: 'delivered',
  createdAt: 1000,
  channelMessageId: null,
  clientId: null,
  event: null,
  automated: false,
  ...fields,
});

export const user = (fields: Partial<User> = {}): User => ({
  id: 'ana',
  name: 'Ana Souza',
  email: 'ana@atende.local',
  role: 'agent',
  sectorIds: ['suporte'],
  presence: 'online',
  seesAllHistory: false,
  active: true,
  updatedAt: 1,
  ...fields,
});

type Listener = (event: LiveEvent<never>) => void;

/**
 * A Backend at the edge of the world for store tests: it records what the
 * stores subscribe to and lets the test play the server's events.
 */
export class FakeBackend implements Backend {
  /** 'firebase' for the Firestore paths of the stores (the thread from its ticket's copy). */
  kind: 'local' | 'firebase' = 'local';
  subscriptions: { query: string; params: Record<string, unknown>; listener: Listener; active: boolean }[] = [];
  commands: { name: string; input: unknown; resolve: (v: unknown) => void; reject: (e: unknown) => void }[] = [];

  restore = async () => null;
  signIn = async () => user();
  signOut = async () => undefined;
  run<T>(name: string, input: unknown): Promise<T> {
    return new Promise<T>((resolve, reject) => this.commands.push({ name, input, resolve: resolve as (v: unknown) => void, reject }));
  }
  subscribe<T>(query: string, params: Record<string, unknown>, listener: (event: LiveEvent<T>) => void) {
    const sub = { query, params, listener: listener as Listener, active: true };
    this.subscriptions.push(sub);
    return () => {
      sub.active = false;
    };
  }
  uploadFile = async () => {
    throw new Error('not in these tests');
  };
  fileUrl = (t: string, a: string) => `/api/files/${t}/${a}`;
  onConnection: Backend['onConnection'] = () => () => undefined;
  /** Copilot calls made; an action answers with `copilotAnswers[action]` (streamed first through `copilotDeltas`), else fails as unavailable. */
  copilotCalls: { action: string; input: unknown }[] = [];
  copilotAnswers: Record<string, unknown> = {};
  copilotDeltas: string[] = [];
  copilot<T>(action: string, input: unknown, onDelta?: (text: string) => void): Promise<T> {
    this.copilotCalls.push({ action, input });
    if (!(action in this.copilotAnswers)) return Promise.reject(new BackendError('unavailable', 'no copilot in this test'));
    for (const d of this.copilotDeltas) onDelta?.(d);
    return Promise.resolve(this.copilotAnswers[action] as T);
  }

  /** Plays an event to the active subscription(s) of a query. */
  emit<T>(query: string, event: LiveEvent<T>, match: (params: Record<string, unknown>) => boolean = () => true) {
    const subs = this.subscriptions.filter((s) => s.active && s.query === query && match(s.params));
    if (subs.length === 0) throw new Error(`nothing subscribed to ${query}`);
    for (const s of subs) s.listener(event as LiveEvent<never>);
  }
}
