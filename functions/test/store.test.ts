import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CommandError, counterDocIds, refs, type Ticket } from '@atende/core';
import { COUNTER_SHARDS, FirestoreStore, sumCounterShards } from '../src/store.ts';
import { startEmulator, type Emulator } from './support/emulator.ts';

let emu: Emulator;
let store: FirestoreStore;
beforeAll(async () => {
  emu = await startEmulator();
  store = new FirestoreStore(emu.db);
});
afterAll(() => emu.stop());

describe('FirestoreStore on the Node Firestore emulator', () => {
  it('creates, reads, updates and counts in one transaction', async () => {
    await store.transaction(async (tx) => {
      tx.create(refs.tag('a'), { id: 'a', name: 'A', color: '#000000', updatedAt: 1 });
      tx.increment('c1', 2);
      tx.increment('c1', 1);
    });
    const read = await store.transaction(async (tx) => ({ tag: await tx.get(refs.tag('a')), counter: await tx.query({ collection: 'counters', where: [['id', 'in', ['c1']]], orderBy: [] }) }));
    expect(read.tag?.name).toBe('A');
    expect(sumCounterShards(read.counter)).toEqual([{ id: 'c1', value: 3 }]);
    await store.transaction(async (tx) => tx.increment('c1', -3));
    const counters = await store.transaction((tx) => tx.query({ collection: 'counters', where: [['id', 'in', ['c1', 'nope']]], orderBy: [] }));
    expect(sumCounterShards(counters)).toEqual([{ id: 'c1', value: 0 }]);
  });

  it('spreads a hot counter over shards that always sum to the truth', async () => {
    await Promise.all(Array.from({ length: 40 }, () => store.transaction(async (tx) => tx.increment('hot', 1))));
    const shards = await store.transaction((tx) => tx.query({ collection: 'counters', where: [['id', 'in', ['hot']]], orderBy: [] }));
    expect(shards.length).toBeGreaterThan(1);
    expect(shards.length).toBeLessThanOrEqual(COUNTER_SHARDS);
    expect(sumCounterShards(shards)).toEqual([{ id: 'hot', value: 40 }]);
  });

  it("keeps a sector's three ticket counts in one document: a move inside the sector is one write, and older per-count documents still add up", async () => {
    // A count written before the grouped layout: its own document, no longer written.
    await emu.db.doc('counters/tickets.waiting.sector.s1~0').set({ id: 'tickets.waiting.sector.s1', value: 5 });
    await store.transaction(async (tx) => {
      tx.increment('tickets.waiting.sector.s1', -1);
      tx.increment('tickets.open.sector.s1', 1);
      tx.increment('tickets.open.assignee.ana', 1);
    });
    const ids = ['tickets.waiting.sector.s1', 'tickets.open.sector.s1', 'tickets.closed.sector.s1', 'tickets.open.assignee.ana'];
    const docIds = counterDocIds(ids);
    expect(docIds).toEqual(['tickets.waiting.sector.s1', 'tickets.sector.s1', 'tickets.open.sector.s1', 'tickets.closed.sector.s1', 'tickets.open.assignee.ana', 'tickets.assignee.ana']);
    const grouped = await emu.db.collection('counters').where('id', '==', 'tickets.sector.s1').get();
    expect(grouped.docs.map((d) => d.data())).toEqual([{ id: 'tickets.sector.s1', waiting: -1, open: 1 }]);
    const shards = await store.transaction((tx) => tx.query({ collection: 'counters', where: [['id', 'in', docIds]], orderBy: [] }));
    expect(sumCounterShards(shards, ids)).toEqual([
      { id: 'tickets.waiting.sector.s1', value: 4 },
      { id: 'tickets.open.sector.s1', value: 1 },
      { id: 'tickets.open.assignee.ana', value: 1 },
    ]);
  });

  it('refuses to create what exists', async () => {
    await expect(store.transaction(async (tx) => tx.create(refs.tag('a'), { id: 'a', name: 'B', color: '#000000', updatedAt: 2 }))).rejects.toMatchObject({ code: 'already-exists' });
  });

  it('lets exactly one of racing read-modify-write transactions win', async () => {
    await store.transaction(async (tx) => tx.set(refs.classification('race'), { id: 'race', name: 'free', updatedAt: 0 }));
    const results = await Promise.allSettled(
      Array.from({ length: 8 }, (_, i) =>
        store.transaction(async (tx) => {
          const doc = await tx.get(refs.classification('race'));
          if (doc?.name !== 'free') throw new CommandError('failed-precondition', 'taken');
          tx.set(refs.classification('race'), { ...doc, name: `taken by ${i}` });
          return i;
        }),
      ),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(results.filter((r) => r.status === 'rejected').map((r) => (r as PromiseRejectedResult).reason.code)).toEqual(Array(7).fill('failed-precondition'));
  });

  it('runs queries with in, order and limitToLast on a sub-collection', async () => {
    await store.transaction(async (tx) => {
      for (let i = 0; i < 5; i++)
        tx.create(refs.message('t1', `m${i}`), {
          id: `m${i}`, ticketId: 't1', contactId: 'c', direction: i % 2 ? 'in' : 'system', authorId: null, authorName: null, text: `${i}`,
          attachments: [], status: 'delivered', createdAt: 100 + i, channelMessageId: null, clientId: null, event: null, automated: false,
        });
    });
    const last = await store.transaction((tx) => tx.query({ collection: 'messages', parentId: 't1', where: [], orderBy: [['createdAt', 'asc']], limitToLast: 2 }));
    expect(last.map((m) => m.id)).toEqual(['m3', 'm4']);
    const incoming = await store.transaction((tx) => tx.query({ collection: 'messages', parentId: 't1', where: [['direction', 'in', ['in', 'out']]], orderBy: [['createdAt', 'desc']] }));
    expect(incoming.map((m) => m.id)).toEqual(['m3', 'm1']);
    const none = await store.transaction((tx) => tx.get(refs.ticket('missing')));
    expect(none satisfies Ticket | null).toBeNull();
  });
});
