import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { issuesOf, schemas, type CollectionName } from '../src/index.ts';
import { makeWorld, staff } from './support.ts';
import { learnFromClosedTicket } from '../src/copilot/service.ts';

/** A valid document of every collection, taken from a store after a real conversation. */
const validDocs = async (): Promise<{ [C in CollectionName]: unknown }> => {
  const w = await makeWorld();
  const { ticketId } = await w.inbound('site', 'visitor-1', 'Olá', { contact: { name: 'Maria', email: 'maria@example.com' } });
  await w.run(staff('ana'), 'ticket.accept', { ticketId });
  await w.run(staff('ana'), 'message.send', { ticketId, text: 'Oi!', attachments: [{ id: 'a1', name: 'nota.pdf', mime: 'application/pdf', size: 100, kind: 'document' }] });
  await w.run(staff('alice'), 'quickReply.save', { id: 'ola', shortcut: 'ola', text: 'Olá!', sectorIds: [] });
  await w.run(staff('alice'), 'channel.connect', { channelId: 'zap', account: { id: '100000000000009', businessId: null, display: null }, accessToken: 't' });
  await w.run(staff('alice'), 'template.sync', { channelId: 'zap', templates: [{ providerId: 'p1', name: 'boas_vindas', language: 'pt_BR', category: 'UTILITY', status: 'APPROVED', body: 'Olá {{1}}!' }] });
  await w.run(staff('alice'), 'pauseReason.save', { id: 'almoco', name: 'Almoço' });
  await w.run(staff('alice'), 'user.setSip', { userId: 'ana', extension: '1001', password: 'segredo' });
  await w.run(staff('ana'), 'presence.set', { presence: 'paused', pauseReasonId: 'almoco' });
  await w.run(staff('ana'), 'ticket.close', { ticketId });
  await learnFromClosedTicket(w.store, ticketId);
  const first = <C extends CollectionName>(c: C) => {
    const doc = w.store.all(c)[0];
    if (!doc) throw new Error(`no ${c} document`);
    return doc;
  };
  return Object.fromEntries(
    (Object.keys(schemas) as CollectionName[]).map((c) => [c, c === 'messages' ? w.store.all('messages').find((m) => m.attachments.length > 0) : first(c)]),
  ) as never;
};

/** Parses and returns the distinct paths of the issues, or [] when valid. */
const pathsOf = (schema: z.ZodType, doc: unknown): string[] => {
  const r = schema.safeParse(doc);
  return r.success ? [] : [...new Set(issuesOf(r.error).map((i) => i.path))];
};

const with_ = (doc: unknown, path: string, value: unknown): unknown => {
  const copy = structuredClone(doc) as Record<string, unknown>;
  const parts = path.split('.');
  let at: Record<string, unknown> = copy;
  for (const p of parts.slice(0, -1)) at = at[p] as Record<string, unknown>;
  const last = parts.at(-1)!;
  if (value === undefined) delete at[last];
  else at[last] = value;
  return copy;
};

/** [collection, field path, bad value]: each must be refused, naming exactly that path. */
const NEAR_VALID: [CollectionName, string, unknown][] = [
  ['users', 'id', 'ana/../admin'],
  ['users', 'id', ''],
  ['users', 'email', 'not-an-email'],
  ['users', 'role', 'root'],
  ['users', 'presence', 'away'],
  ['users', 'presenceCause', 'nap'],
  ['pauseReasons', 'name', ''],
  ['presenceEvents', 'previous', 'away'],
  ['presenceEvents', 'at', -1],
  ['users', 'sectorIds.0', 'a/b'],
  ['users', 'updatedAt', -1],
  ['users', 'updatedAt', 1.5],
  ['sectors', 'color', 'blue'],
  ['sectors', 'color', '#12345'],
  ['sectors', 'color', '#12345g'],
  ['sectors', 'overflowSectorId', 'x y'],
  ['sectors', 'name', '   '],
  ['contacts', 'tagIds.0', 'a/b'],
  ['contacts', 'notes', 'x'.repeat(5001)],
  ['contacts', 'createdAt', -5],
  ['channels', 'type', 'telegram'],
  ['channels', 'bot.menu.0.sectorId', 'x/y'],
  ['channels', 'bot.menu.0.key', ''],
  ['channels', 'defaultSectorId', 'tickets/1'],
  ['tickets', 'id', 'tickets/1'],
  ['tickets', 'status', 'pending'],
  ['tickets', 'sectorId', undefined],
  ['tickets', 'lastMessageAt', -1],
  ['tickets', 'unread', -1],
  ['tickets', 'lastMessage.direction', 'sideways'],
  ['tickets', 'contact.name', 42],
  ['messages', 'direction', 'up'],
  ['messages', 'attachments.0.size', -1],
  ['messages', 'attachments.0.kind', 'spreadsheet'],
  ['messages', 'attachments.0.id', 'a/b'],
  ['messages', 'delivery.attempts', -1],
  ['messages', 'delivery.dueAt', -1],
  ['messages', 'status', 'lost'],
  ['messages', 'createdAt', Number.NaN],
  ['quickReplies', 'shortcut', 'two words'],
  ['quickReplies', 'shortcut', '/ola'],
  ['quickReplies', 'text', ''],
  ['tags', 'color', '#fff'],
  ['classifications', 'name', ''],
  ['settings', 'id', 'other'],
  ['settings', 'businessHours.days.0.open', '8:00'],
  ['settings', 'businessHours.days.0.close', '24:00'],
  ['settings', 'businessHours.days.0.open', '12:60'],
  ['settings', 'businessHours.days.0.day', 7],
  ['settings', 'businessHours.holidays', ['25/12/2026']],
  ['settings', 'autoClose.afterMinutes', 0],
  ['settings', 'attachments.maxBytes', 10],
  ['counters', 'value', 1.5],
  ['receipts', 'at', -1],
  ['receipts', 'ticketId', 'a/b'],
];

describe('model schemas', async () => {
  const docs = await validDocs();

  it.each(Object.keys(schemas) as CollectionName[])('%s: a document the commands wrote is valid', (c) => {
    expect(docs[c], `no ${c} document`).toBeTruthy();
    expect(pathsOf(schemas[c], docs[c])).toEqual([]);
  });

  it.each(NEAR_VALID)('%s: %s = %j is refused, naming that field', (c, path, value) => {
    const doc = with_(docs[c], path, value);
    // holidays is an array: zod names the element at fault.
    const expected = path === 'businessHours.holidays' ? 'businessHours.holidays.0' : path;
    expect(pathsOf(schemas[c], doc)).toEqual([expected]);
  });

  it('ids keep to path-safe characters and at most 128 of them', () => {
    const ok = ['abc', 'A-b_c.d:e', 'x'.repeat(128)];
    const bad = ['a/b', 'a b', 'ação', 'x'.repeat(129), '', 'a#b', 'a?b'];
    for (const id of ok) expect(pathsOf(schemas.tags, { ...(docs.tags as object), id })).toEqual([]);
    for (const id of bad) expect(pathsOf(schemas.tags, { ...(docs.tags as object), id }), id).toEqual(['id']);
  });

  it('HH:MM accepts the whole day and nothing else', () => {
    const day = (open: string) => with_(docs.settings, 'businessHours.days.0.open', open);
    for (const t of ['00:00', '08:30', '19:05', '23:59']) expect(pathsOf(schemas.settings, day(t)), t).toEqual([]);
    for (const t of ['24:00', '7:30', '07:3', '07-30', '07:30:00', 'ab:cd', '']) expect(pathsOf(schemas.settings, day(t)), t).toEqual(['businessHours.days.0.open']);
  });

  it('an e-mail is stored lower-cased and trimmed', () => {
    const r = schemas.users.parse({ ...(docs.users as object), email: '  Ana@Example.COM ' });
    expect(r.email).toBe('ana@example.com');
  });
});
