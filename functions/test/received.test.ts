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
import { commandRegistry, createIdGenerator, executeCommand, providerKey, refs, seedDemo, SYSTEM, type Actor, type Store, type Ticket } from '@atende/core';
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

/** A store that notes the collection of every query its transactions ask (a query of `messages` is the provider-key lookup). */
const counting = (inner: Store): Store & { queried: string[] } => {
  const queried: string[] = [];
  const store = {
    queried,
    transaction: <T>(fn: Parameters<Store['transaction']>[0]) =>
      inner.transaction((tx) =>
        fn(
          new Proxy(tx, {
            get(target, name) {
              if (name === 'query') return (spec: { collection: string }) => (queried.push(spec.collection), target.query(spec as Parameters<typeof target.query>[0]));
              const value: unknown = Reflect.get(target, name, target);
              return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
            },
          }),
        ) as Promise<T>,
      ),
  };
  return store as Store & { queried: string[] };
};

const receive = (store: Store, phone: string, channelMessageId: string, text: string) =>
  executeCommand(commandRegistry, { store, clock: () => now, newId }, SYSTEM, 'inbound.receive', {
    channelId: 'whatsapp',
    externalId: phone,
    contact: { name: `Cliente ${phone}`, phone },
    channelMessageId,
    text,
  }) as Promise<{ ticketId: string; messageId: string; duplicate: boolean }>;

/** Every stored line with a provider key: documents, and lines that live in their ticket's copy alone (`recentKeys`). */
const messagesWithKey = async (key: string) => {
  const docs = (await emu.db.collectionGroup('messages').where('providerKeys', 'array-contains', key).get()).docs.map((d) => d.data());
  const tickets = (await emu.db.collection('tickets').where('recentKeys', 'array-contains', key).get()).docs.map((d) => d.data() as Ticket);
  const inCopies = tickets.flatMap((t) => (t.recent?.lines ?? []).filter((l) => l.providerKeys?.includes(key) && !t.recent?.stored?.includes(l.id)));
  return [...docs, ...inCopies];
};
/** A thread's customer lines' texts, as the functions' store reads the thread (documents and copy). */
const customerTexts = async (ticketId: string) =>
  (await storeOf(emu.db).transaction((tx) => tx.query({ collection: 'messages', parentId: ticketId, where: [['direction', '==', 'in']], orderBy: [] }))).map((m) => m.text);

describe('two copies of one webhook at the same moment, on Firestore', () => {
  it('opening a ticket: one message, one ticket, one contact; the copy answers as a repeat', async () => {
    const phone = '5511970001111';
    const inner = lockstep(storeOf(emu.db), 2);
    const store = counting(inner);
    const answers = await Promise.all([receive(store, phone, 'wamid.race.1', 'Oi'), receive(store, phone, 'wamid.race.1', 'Oi')]);
    // Both bodies ran before either committed, and one of them ran again: an unknown customer's message asks no
    // provider-key query, and the one that runs again finds the other's ticket, and the line in its copy.
    expect(inner.bodies).toBeGreaterThanOrEqual(3);
    expect(store.queried).not.toContain('messages');
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
    const thread = await customerTexts(ticketId);
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

const admin: Actor = { kind: 'staff', uid: 'admin', name: 'Admin', role: 'admin', sectorIds: [], seesAllHistory: true };
const asAdmin = (name: string, input: unknown) => executeCommand(commandRegistry, { store: storeOf(emu.db), clock: () => now, newId }, admin, name, input);
const ticketDoc = async (id: string) => (await emu.db.doc(`tickets/${id}`).get()).data() as Ticket;

/** A repeat only the provider-key query can find: it asks it, answers with the first message, and stores nothing. */
const expectRepeatFoundByQuery = async (phone: string, channelMessageId: string, text: string, first: { ticketId: string; messageId: string }) => {
  const store = counting(storeOf(emu.db));
  expect(await receive(store, phone, channelMessageId, text)).toMatchObject({ ticketId: first.ticketId, messageId: first.messageId, duplicate: true });
  expect(store.queried).toContain('messages');
  expect(await messagesWithKey(providerKey('whatsapp', channelMessageId))).toHaveLength(1);
};

describe('the ticket joined tells a repeat from a new message (core findInbound), on Firestore', () => {
  it('a new customer\'s ticket holds all their messages: a new one is stored once, with no provider-key query', async () => {
    const phone = '5511970005555';
    const first = await receive(storeOf(emu.db), phone, 'wamid.sole.1', 'Oi');
    expect((await ticketDoc(first.ticketId)).soleThreadOf).toBe(`whatsapp:${phone}`);
    const store = counting(storeOf(emu.db));
    const second = await receive(store, phone, 'wamid.sole.2', 'Tudo bem?');
    expect(second).toMatchObject({ ticketId: first.ticketId, duplicate: false });
    expect(store.queried).not.toContain('messages');
    expect(await messagesWithKey(providerKey('whatsapp', 'wamid.sole.2'))).toHaveLength(1);
  });

  it('a repeat of a line in the copy is dropped, answered from the copy with no query and no write', async () => {
    const phone = '5511970006666';
    const first = await receive(storeOf(emu.db), phone, 'wamid.copy.1', 'Oi');
    const second = await receive(storeOf(emu.db), phone, 'wamid.copy.2', 'Segunda');
    const before = (await emu.db.doc(`tickets/${first.ticketId}`).get()).updateTime!;
    const store = counting(storeOf(emu.db));
    expect(await receive(store, phone, 'wamid.copy.2', 'Segunda')).toMatchObject({ ticketId: first.ticketId, messageId: second.messageId, duplicate: true });
    expect(await receive(store, phone, 'wamid.copy.1', 'Oi')).toMatchObject({ ticketId: first.ticketId, messageId: first.messageId, duplicate: true });
    expect(store.queried).not.toContain('messages');
    expect((await emu.db.doc(`tickets/${first.ticketId}`).get()).updateTime!.isEqual(before)).toBe(true);
    expect(await messagesWithKey(providerKey('whatsapp', 'wamid.copy.2'))).toHaveLength(1);
  });

  it('the first message of a customer no contact knows reads no provider-key query; a repeat with no ticket open is found by it', async () => {
    const phone = '5511970005656';
    const store = counting(storeOf(emu.db));
    const first = await receive(store, phone, 'wamid.unknown.1', 'Oi');
    expect(first.duplicate).toBe(false);
    expect(store.queried).toContain('contacts');
    expect(store.queried).not.toContain('messages');
    await receive(storeOf(emu.db), phone, 'wamid.unknown.2', '1');
    await asAdmin('ticket.close', { ticketId: first.ticketId, classificationId: 'duvida' });
    // No ticket open: the contact is known, so the query decides.
    await expectRepeatFoundByQuery(phone, 'wamid.unknown.1', 'Oi', first);
  });

  it('a repeat on a channel switched off since still answers as a repeat', async () => {
    const phone = '5511970005757';
    const first = await receive(storeOf(emu.db), phone, 'wamid.off.1', 'Oi');
    await asAdmin('ticket.close', { ticketId: first.ticketId, classificationId: 'duvida' });
    // Through the store, which moves the configuration's version: the instance's cached channel goes.
    const switchChannel = (active: boolean) =>
      storeOf(emu.db).transaction(async (tx) => tx.set(refs.channel('whatsapp'), { ...(await tx.get(refs.channel('whatsapp')))!, active }));
    await switchChannel(false);
    try {
      expect(await receive(storeOf(emu.db), phone, 'wamid.off.1', 'Oi')).toMatchObject({ messageId: first.messageId, duplicate: true });
      await expect(receive(storeOf(emu.db), phone, 'wamid.off.2', 'Nova')).rejects.toThrow(/does not exist/);
    } finally {
      await switchChannel(true);
    }
  });

  it('a repeat of a message of the customer\'s earlier, closed ticket is dropped: a returning customer\'s ticket is not marked, the query decides', async () => {
    const phone = '5511970007777';
    const old = await receive(storeOf(emu.db), phone, 'wamid.old-ticket.1', 'Oi');
    await receive(storeOf(emu.db), phone, 'wamid.old-ticket.2', '1'); // the bot's menu: Suporte
    await asAdmin('ticket.close', { ticketId: old.ticketId, classificationId: 'duvida' });
    const next = await receive(storeOf(emu.db), phone, 'wamid.old-ticket.3', 'Voltei');
    expect(next.ticketId).not.toBe(old.ticketId);
    const ticket = await ticketDoc(next.ticketId);
    expect(ticket.recent?.older).toBeNull();
    expect(ticket.soleThreadOf ?? null).toBeNull();
    // Meta repeats the first message after the new ticket opened: it is the old ticket's, not a new line here.
    await expectRepeatFoundByQuery(phone, 'wamid.old-ticket.1', 'Oi', old);
  });

  it('two copies of one webhook racing on a marked ticket: one message; the copy that runs again finds it in the copy', async () => {
    const phone = '5511970008888';
    const { ticketId } = await receive(storeOf(emu.db), phone, 'wamid.sole-race.1', 'Primeira');
    const store = counting(lockstep(storeOf(emu.db), 2));
    const answers = await Promise.all([receive(store, phone, 'wamid.sole-race.2', 'Segunda'), receive(store, phone, 'wamid.sole-race.2', 'Segunda')]);
    expect(answers.map((a) => [a.ticketId, a.duplicate])).toEqual(expect.arrayContaining([[ticketId, false], [ticketId, true]]));
    expect(answers[0]!.messageId).toBe(answers[1]!.messageId);
    expect(store.queried).not.toContain('messages');
    const thread = await customerTexts(ticketId);
    expect(thread.sort()).toEqual(['Primeira', 'Segunda']);
  });

  it('a close drops the mark (the closed ticket keeps its whole copy): reopened, a repeat of a message stored on a later ticket is dropped', async () => {
    const phone = '5511970009898';
    const first = await receive(storeOf(emu.db), phone, 'wamid.reopened.1', 'Oi');
    await receive(storeOf(emu.db), phone, 'wamid.reopened.2', '1');
    await asAdmin('ticket.close', { ticketId: first.ticketId, classificationId: 'duvida' });
    const closed = await ticketDoc(first.ticketId);
    expect(closed.soleThreadOf).toBeNull();
    expect(closed.recent?.older).toBeNull();
    const later = await receive(storeOf(emu.db), phone, 'wamid.reopened.3', 'Voltei');
    expect(later.ticketId).not.toBe(first.ticketId);
    await asAdmin('ticket.close', { ticketId: later.ticketId, classificationId: 'duvida' });
    await asAdmin('ticket.reopen', { ticketId: first.ticketId });
    // Meta repeats the later ticket's message: it joins the reopened ticket, whose copy is whole but no longer proves it new.
    expect(await receive(storeOf(emu.db), phone, 'wamid.reopened.3', 'Voltei')).toMatchObject({ ticketId: later.ticketId, messageId: later.messageId, duplicate: true });
    expect(await messagesWithKey(providerKey('whatsapp', 'wamid.reopened.3'))).toHaveLength(1);
  });

  it('a move to another number drops the mark: a repeat is looked up again', async () => {
    const phone = '5511970009999';
    const first = await receive(storeOf(emu.db), phone, 'wamid.moved.1', 'Oi');
    await receive(storeOf(emu.db), phone, 'wamid.moved.2', '1');
    await asAdmin('ticket.transfer', { ticketId: first.ticketId, channelId: 'whatsapp-suporte' });
    expect((await ticketDoc(first.ticketId)).soleThreadOf).toBeNull();
    const store = counting(storeOf(emu.db));
    expect(await receive(store, phone, 'wamid.moved.3', 'Ainda aqui')).toMatchObject({ ticketId: first.ticketId, duplicate: false });
    expect(store.queried).toContain('messages');
  });
});

describe('a project deployed before providerKeys (npm run firestore:receipts)', () => {
  it('moves each receipt onto its message, after which a repeat of that old webhook is known again', async () => {
    const phone = '5511970004444';
    const old = await receive(storeOf(emu.db), phone, 'wamid.old.1', 'Mensagem de antes');
    // As stored before: no keys on the message, a receipt beside it (and one pointing at nothing).
    const key = providerKey('whatsapp', 'wamid.old.1');
    const stored = emu.db.doc(`tickets/${old.ticketId}/messages/${old.messageId}`);
    // (A customer's line now lives in its ticket's copy alone: made a document of before, named stored in the copy.)
    const ticketRef = emu.db.doc(`tickets/${old.ticketId}`);
    const recent = (await ticketRef.get()).data()!.recent as { lines: { id: string; providerKeys?: string[] }[]; stored: string[] };
    const { providerKeys: _keys, ...legacy } = recent.lines.find((l) => l.id === old.messageId)!;
    await stored.set(legacy);
    await ticketRef.update({ recent: { ...recent, stored: [...recent.stored, old.messageId] }, recentKeys: [] });
    await emu.db.doc(`receipts/${key}`).set({ id: key, ticketId: old.ticketId, messageId: old.messageId, at: now });
    await emu.db.doc('receipts/whatsapp:gone').set({ id: 'whatsapp:gone', ticketId: old.ticketId, messageId: 'gone', at: now });
    expect(await messagesWithKey(key)).toHaveLength(0);

    expect(await moveReceiptsOntoMessages(emu.db)).toEqual({ moved: 1, orphans: 1 });
    expect((await emu.db.collection('receipts').get()).size).toBe(0);
    expect(await receive(storeOf(emu.db), phone, 'wamid.old.1', 'Mensagem de antes')).toMatchObject({ messageId: old.messageId, duplicate: true });
    expect(await moveReceiptsOntoMessages(emu.db)).toEqual({ moved: 0, orphans: 0 });
  });
});
