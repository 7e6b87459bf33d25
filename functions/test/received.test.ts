/**
 * Firestore keeps no receipt per customer message (core/src/channels/received.ts):
 * a repeated webhook finds the message itself with a collection-group query
 * on `providerKeys`. A query that finds nothing locks nothing, so two copies
 * of one webhook racing both see "not here yet"; what settles the race is
 * the document both transactions read and then write — the ticket the
 * message joins, or the protocol counter of the ticket it opens. These
 * tests make the two copies read everything before either commits (a
 * barrier between the transaction's body and its commit) and check that one
 * commit loses, runs again and answers as a repeat: one message, one ticket.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commandRegistry, createIdGenerator, executeCommand, providerKey, seedDemo, SYSTEM, type Store } from '@atende/core';
import { storeOf } from '../src/handlers.ts';
import { moveReceiptsOntoMessages } from '../src/upgradeReceipts.ts';
import { startEmulator, type Emulator } from './support/emulator.ts';

let emu: Emulator;
const now = Date.UTC(2026, 11, 3, 13);
const newId = createIdGenerator(() => now);

beforeAll(async () => {
  emu = await startEmulator();
  await seedDemo({ store: storeOf(emu.db), clock: () => now, newId });
});
afterAll(() => emu.stop());

/** A store whose first `n` transactions each wait, after their body and before their commit, until all `n` got there. */
const lockstep = (inner: Store, n: number): Store & { bodies: number } => {
  let arrived = 0;
  let release!: () => void;
  const together = new Promise<void>((r) => (release = r));
  const store = {
    bodies: 0,
    transaction: <T>(fn: Parameters<Store['transaction']>[0]) =>
      inner.transaction(async (tx) => {
        const result = (await fn(tx)) as T;
        store.bodies++;
        if (arrived < n && ++arrived === n) release();
        if (arrived <= n) await together;
        return result;
      }),
  };
  return store as Store & { bodies: number };
};

const receive = (store: Store, phone: string, channelMessageId: string, text: string) =>
  executeCommand(commandRegistry, { store, clock: () => now, newId }, SYSTEM, 'inbound.receive', {
    channelId: 'whatsapp',
    externalId: phone,
    contact: { name: `Cliente ${phone}`, phone },
    channelMessageId,
    text,
  }) as Promise<{ ticketId: string; messageId: string; duplicate: boolean }>;

const messagesWithKey = async (key: string) => (await emu.db.collectionGroup('messages').where('providerKeys', 'array-contains', key).get()).docs;

describe('two copies of one webhook at the same moment, on Firestore', () => {
  it('opening a ticket: one message, one ticket, one contact; the copy answers as a repeat', async () => {
    const phone = '5511970001111';
    const store = lockstep(storeOf(emu.db), 2);
    const answers = await Promise.all([receive(store, phone, 'wamid.race.1', 'Oi'), receive(store, phone, 'wamid.race.1', 'Oi')]);
    // Both bodies ran before either committed, and one of them ran again.
    expect(store.bodies).toBeGreaterThanOrEqual(3);
    expect(answers.map((a) => a.duplicate).sort()).toEqual([false, true]);
    expect(answers[0]!.messageId).toBe(answers[1]!.messageId);
    expect(await messagesWithKey(providerKey('whatsapp', 'wamid.race.1'))).toHaveLength(1);
    expect((await emu.db.collection('tickets').where('contact.phone', '==', phone).get()).size).toBe(1);
    expect((await emu.db.collection('contacts').where('phone', '==', phone).get()).size).toBe(1);
    expect((await emu.db.collection('receipts').get()).size).toBe(0);
  });

  it('joining a live ticket: one message in the thread', async () => {
    const phone = '5511970002222';
    const { ticketId } = await receive(storeOf(emu.db), phone, 'wamid.race.2', 'Primeira');
    const store = lockstep(storeOf(emu.db), 2);
    const answers = await Promise.all([receive(store, phone, 'wamid.race.3', 'Segunda'), receive(store, phone, 'wamid.race.3', 'Segunda')]);
    expect(store.bodies).toBeGreaterThanOrEqual(3);
    expect(answers.map((a) => [a.ticketId, a.duplicate])).toEqual(expect.arrayContaining([[ticketId, false], [ticketId, true]]));
    const thread = (await emu.db.collection(`tickets/${ticketId}/messages`).where('direction', '==', 'in').get()).docs.map((d) => d.get('text') as string);
    expect(thread.sort()).toEqual(['Primeira', 'Segunda']);
    expect(await messagesWithKey(providerKey('whatsapp', 'wamid.race.3'))).toHaveLength(1);
  });

  it('a later repeat is answered from the message, with no write at all', async () => {
    const phone = '5511970003333';
    const first = await receive(storeOf(emu.db), phone, 'wamid.race.4', 'Oi');
    const before = (await emu.db.doc(`tickets/${first.ticketId}`).get()).updateTime!;
    const again = await receive(storeOf(emu.db), phone, 'wamid.race.4', 'Oi');
    expect(again).toMatchObject({ ticketId: first.ticketId, messageId: first.messageId, duplicate: true });
    expect((await emu.db.doc(`tickets/${first.ticketId}`).get()).updateTime!.isEqual(before)).toBe(true);
  });
});

describe('a project deployed before providerKeys (npm run firestore:receipts)', () => {
  it('moves each receipt onto its message, after which a repeat of that old webhook is known again', async () => {
    const phone = '5511970004444';
    const old = await receive(storeOf(emu.db), phone, 'wamid.old.1', 'Mensagem de antes');
    // As stored before: no keys on the message, a receipt beside it (and one pointing at nothing).
    const key = providerKey('whatsapp', 'wamid.old.1');
    const stored = emu.db.doc(`tickets/${old.ticketId}/messages/${old.messageId}`);
    const { providerKeys: _keys, ...legacy } = (await stored.get()).data()!;
    // (The Node emulator keeps fields a set leaves out: delete the message first.)
    await stored.delete();
    await stored.set(legacy);
    await emu.db.doc(`receipts/${key}`).set({ id: key, ticketId: old.ticketId, messageId: old.messageId, at: now });
    await emu.db.doc('receipts/whatsapp:gone').set({ id: 'whatsapp:gone', ticketId: old.ticketId, messageId: 'gone', at: now });
    expect(await messagesWithKey(key)).toHaveLength(0);

    expect(await moveReceiptsOntoMessages(emu.db)).toEqual({ moved: 1, orphans: 1 });
    expect((await emu.db.collection('receipts').get()).size).toBe(0);
    expect(await receive(storeOf(emu.db), phone, 'wamid.old.1', 'Mensagem de antes')).toMatchObject({ messageId: old.messageId, duplicate: true });
    expect(await moveReceiptsOntoMessages(emu.db)).toEqual({ moved: 0, orphans: 0 });
  });
});
