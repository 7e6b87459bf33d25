import type { CollectionName } from '../model/index.ts';
import type { DocRef } from './types.ts';

export const ref = <C extends CollectionName>(collection: C, id: string, parentId?: string): DocRef<C> =>
  parentId === undefined ? { collection, id } : { collection, id, parentId };

export const refs = {
  user: (id: string) => ref('users', id),
  sector: (id: string) => ref('sectors', id),
  contact: (id: string) => ref('contacts', id),
  channel: (id: string) => ref('channels', id),
  ticket: (id: string) => ref('tickets', id),
  message: (ticketId: string, id: string) => ref('messages', id, ticketId),
  quickReply: (id: string) => ref('quickReplies', id),
  tag: (id: string) => ref('tags', id),
  classification: (id: string) => ref('classifications', id),
  settings: () => ref('settings', 'workspace'),
  counter: (id: string) => ref('counters', id),
  receipt: (id: string) => ref('receipts', id),
  channelSecrets: (channelId: string) => ref('channelSecrets', channelId),
  fact: (id: string) => ref('facts', id),
  stats: (id: string) => ref('stats', id),
  pauseReason: (id: string) => ref('pauseReasons', id),
  presenceEvent: (id: string) => ref('presenceEvents', id),
  copilotExample: (ticketId: string) => ref('copilotExamples', ticketId),
  template: (id: string) => ref('templates', id),
  sipSecret: (userId: string) => ref('sipSecrets', userId),
};

/** The Firestore path of a document. */
export const docPath = (r: DocRef): string =>
  r.collection === 'messages' ? `tickets/${r.parentId}/messages/${r.id}` : `${r.collection}/${r.id}`;
