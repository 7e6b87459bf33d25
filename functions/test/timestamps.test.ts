/**
 * Times as Firestore timestamps (issue 15, H2; core/src/store/timeCodec.ts):
 * the functions' store writes the model's milliseconds as timestamps,
 * reads them back as milliseconds, converts query bounds, reads documents
 * stored before the codec (numbers) and upgrades them on their next write;
 * a timestamp an admin types in the console reads right, a string where a
 * time goes is the readable "malformed document" error.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commandRegistry, createIdGenerator, executeCommand, refs, seedDemo, SYSTEM, type MalformedDocument, type Ticket } from '@atende/core';
import { Timestamp } from 'firebase-admin/firestore';
import { FirestoreStore } from '../src/store.ts';
import { upgradeStoredTimes } from '../src/upgradeTimes.ts';
import { startEmulator, type Emulator } from './support/emulator.ts';

let emu: Emulator;
let store: FirestoreStore;
const reports: MalformedDocument[] = [];
let now = Date.UTC(2026, 11, 2, 14);
const runner = () => ({ store, clock: () => now, newId: createIdGenerator(() => now) });
const inbound = (externalId: string, text = 'Oi') =>
  executeCommand(commandRegistry, runner(), SYSTEM, 'inbound.receive', { channelId: 'site', externalId, contact: { name: 'Maria' }, channelMessageId: `${externalId}-${now}`, text }) as Promise<{
    ticketId: string;
    messageId: string;
  }>;
const raw = async (path: string) => (await emu.db.doc(path).get()).data()!;
/** Web-chat tickets by creation time, through the store (its bounds converted to timestamps). */
const createdIds = (where: [string, '>' | '>=' | '<' | '<=', number][], dir: 'asc' | 'desc', limitToLast?: number) =>
  store.transaction(async (tx) =>
    (await tx.query({ collection: 'tickets', where: [['channelId', '==', 'site'], ...where], orderBy: [['createdAt', dir]], ...(limitToLast ? { limitToLast } : {}) })).map((t) => t.id),
  );

beforeAll(async () => {
  emu = await startEmulator();
  // Hand edits below are read at once: how soon a cached configuration document sees one is configCache.test.ts's subject.
  store = new FirestoreStore(emu.db, { onMalformed: (r) => reports.push(r), configCache: false });
  await seedDemo(runner());
});
afterAll(() => emu.stop());

describe('times on Firestore', () => {
  it('are stored as timestamps, nested ones too, and read back as the model’s milliseconds', async () => {
    now += 60_000;
    const { ticketId, messageId } = await inbound('ts-1');
    const stored = await raw(`tickets/${ticketId}`);
    expect(stored.createdAt).toEqual(Timestamp.fromMillis(now));
    expect(stored.lastMessageAt).toEqual(Timestamp.fromMillis(now));
    expect(stored.lastMessage.at).toEqual(Timestamp.fromMillis(now));
    expect(stored.life.startedAt).toEqual(Timestamp.fromMillis(now));
    expect(stored.unread).toBeTypeOf('number');
    expect((await raw(`tickets/${ticketId}/messages/${messageId}`)).createdAt).toEqual(Timestamp.fromMillis(now));
    // The web-chat customer's projection too (the widget reads it over REST).
    expect((await raw(`customerTickets/${ticketId}`)).lastMessageAt).toEqual(Timestamp.fromMillis(now));
    const ticket = await store.transaction((tx) => tx.get(refs.ticket(ticketId)));
    expect(ticket).toMatchObject({ createdAt: now, lastMessageAt: now, lastMessage: { at: now }, life: { startedAt: now } });
  });

  it('answer range queries, orders and limits on time fields (bounds converted), on the emulator the tests use', async () => {
    const base = now;
    const ids: string[] = [];
    for (let i = 1; i <= 3; i++) {
      now = base + i * 60_000;
      ids.push((await inbound(`ts-range-${i}`)).ticketId);
    }
    // (Cursors — startAfter/endBefore — are not checked here: @firestore-emulator/server ignores them, for numbers too.)
    expect(await createdIds([['createdAt', '>', base]], 'asc')).toEqual(ids);
    expect(await createdIds([['createdAt', '>=', base + 120_000]], 'desc')).toEqual([ids[2], ids[1]]);
    expect(await createdIds([['createdAt', '<=', base + 60_000], ['createdAt', '>', base]], 'asc')).toEqual([ids[0]]);
    expect(await createdIds([['createdAt', '>', base]], 'asc', 2)).toEqual([ids[1], ids[2]]);
  });

  it('stored as numbers before the codec are read the same, and their next write stores timestamps (upgrade)', async () => {
    now += 60_000;
    const { ticketId } = await inbound('ts-old');
    const model = (await store.transaction((tx) => tx.get(refs.ticket(ticketId))))!;
    // As an earlier version stored it: every time a number of milliseconds.
    await emu.db.doc(`tickets/${ticketId}`).set(model);
    expect((await raw(`tickets/${ticketId}`)).life.startedAt).toBe(model.life!.startedAt);
    expect(await store.transaction((tx) => tx.get(refs.ticket(ticketId)))).toEqual(model);
    // Firestore compares a timestamp bound only with timestamps: until it is upgraded, range queries miss it (hence `npm run firestore:times`).
    expect(await createdIds([['createdAt', '>=', model.createdAt]], 'asc')).not.toContain(ticketId);

    now += 1000;
    await store.transaction(async (tx) => {
      await tx.get(refs.ticket(ticketId));
      tx.update(refs.ticket(ticketId), { unread: 0, updatedAt: now });
    });
    const upgraded = await raw(`tickets/${ticketId}`);
    // The fields the change did not touch are timestamps now too.
    expect(upgraded.createdAt).toEqual(Timestamp.fromMillis(model.createdAt));
    expect(upgraded.life.startedAt).toEqual(Timestamp.fromMillis(model.life!.startedAt));
    expect(upgraded.lastMessage.at).toEqual(Timestamp.fromMillis(model.lastMessage!.at));
    expect(upgraded.updatedAt).toEqual(Timestamp.fromMillis(now));
    expect(await createdIds([['createdAt', '>=', model.createdAt]], 'asc')).toContain(ticketId);
    expect(await store.transaction((tx) => tx.get(refs.ticket(ticketId)))).toEqual({ ...model, unread: 0, updatedAt: now } satisfies Ticket);
  });

  it('stored as numbers are all re-stored as timestamps by `npm run firestore:times`, once', async () => {
    now += 60_000;
    const { ticketId, messageId } = await inbound('ts-migrate');
    const ticket = (await store.transaction((tx) => tx.get(refs.ticket(ticketId))))!;
    const message = (await store.transaction((tx) => tx.get(refs.message(ticketId, messageId))))!;
    await emu.db.doc(`tickets/${ticketId}`).set(ticket);
    await emu.db.doc(`tickets/${ticketId}/messages/${messageId}`).set(message);
    expect(await createdIds([['createdAt', '>=', ticket.createdAt]], 'asc')).not.toContain(ticketId);

    const counts = await upgradeStoredTimes(emu.db);
    expect(counts.tickets).toBeGreaterThanOrEqual(1);
    expect(counts.messages).toBeGreaterThanOrEqual(1);
    expect((await raw(`tickets/${ticketId}`)).life.startedAt).toEqual(Timestamp.fromMillis(ticket.life!.startedAt));
    expect((await raw(`tickets/${ticketId}/messages/${messageId}`)).createdAt).toEqual(Timestamp.fromMillis(message.createdAt));
    expect(await createdIds([['createdAt', '>=', ticket.createdAt]], 'asc')).toContain(ticketId);
    expect(await store.transaction((tx) => tx.get(refs.ticket(ticketId)))).toEqual(ticket);
    // Again: nothing left to do.
    expect(Object.values(await upgradeStoredTimes(emu.db)).every((n) => n === 0)).toBe(true);
  });

  it('typed by hand in the console as a timestamp read as milliseconds; a string there is the readable malformed-document error', async () => {
    const typed = Date.UTC(2026, 11, 1, 10, 30);
    await emu.db.doc('sectors/suporte').update({ updatedAt: Timestamp.fromDate(new Date(typed)) });
    expect(await store.transaction((tx) => tx.get(refs.sector('suporte')))).toMatchObject({ id: 'suporte', updatedAt: typed });

    await emu.db.doc('sectors/suporte').update({ updatedAt: '01/12/2026 10:30' });
    const refused = await store.transaction((tx) => tx.get(refs.sector('suporte'))).then(
      () => null,
      (e: unknown) => e as { code: string; message: string; issues: { path: string }[] },
    );
    expect(refused?.code).toBe('failed-precondition');
    expect(refused?.message).toContain('sectors/suporte');
    expect(refused?.issues.map((i) => i.path)).toContain('sectors/suporte.updatedAt');
    expect(reports.at(-1)).toMatchObject({ path: 'sectors/suporte' });

    await emu.db.doc('sectors/suporte').update({ updatedAt: Timestamp.fromMillis(typed) });
    expect(await store.transaction((tx) => tx.get(refs.sector('suporte')))).toMatchObject({ updatedAt: typed });
  });
});
