import { describe, expect, it } from 'vitest';
import { isCommandError, MemoryStore, newMessage, refs, type Change, type Tag } from '../src/index.ts';

const tag = (id: string, name = id): Tag => ({ id, name, color: '#000000', updatedAt: 1 });

describe('MemoryStore (the reference semantics)', () => {
  it('commits all writes at once and reports each change to listeners, with before and after', async () => {
    const store = new MemoryStore();
    const seen: Change[][] = [];
    const stop = store.onCommit((changes) => seen.push(changes));
    await store.transaction(async (tx) => {
      tx.create(refs.tag('a'), tag('a'));
      tx.set(refs.tag('b'), tag('b'));
      tx.increment('tickets.waiting.sector.x', 2);
    });
    await store.transaction(async (tx) => {
      tx.update(refs.tag('a'), { name: 'A' });
      tx.delete(refs.tag('b'));
      tx.increment('tickets.waiting.sector.x', -1);
    });
    expect(seen).toHaveLength(2);
    expect(seen[1]!.map((c) => [c.ref.id, (c.before as { name?: string } | null)?.name ?? null, (c.after as { name?: string } | null)?.name ?? null])).toEqual(
      expect.arrayContaining([
        ['a', 'a', 'A'],
        ['b', 'b', null],
      ]),
    );
    expect(store.all('counters')).toEqual([{ id: 'tickets.waiting.sector.x', value: 1 }]);
    stop();
    await store.transaction(async (tx) => tx.set(refs.tag('c'), tag('c')));
    expect(seen).toHaveLength(2);
    // A transaction that writes nothing notifies nobody.
    const quiet: Change[][] = [];
    store.onCommit((c) => quiet.push(c));
    await store.transaction(async (tx) => tx.get(refs.tag('a')));
    expect(quiet).toEqual([]);
  });

  it('refuses to create what exists and to update what does not, writing nothing', async () => {
    const store = new MemoryStore();
    await store.transaction(async (tx) => tx.set(refs.tag('a'), tag('a')));
    const attempt = async (fn: Parameters<MemoryStore['transaction']>[0]) => {
      try {
        await store.transaction(fn);
        return null;
      } catch (e) {
        return isCommandError(e) ? e.code : String(e);
      }
    };
    expect(await attempt(async (tx) => { tx.set(refs.tag('z'), tag('z')); tx.create(refs.tag('a'), tag('a', 'again')); })).toBe('already-exists');
    expect(await attempt(async (tx) => { tx.set(refs.tag('z'), tag('z')); tx.update(refs.tag('ghost'), { name: 'x' }); })).toBe('not-found');
    expect(store.all('tags').map((t) => t.name)).toEqual(['a']);
  });

  it('hands out copies: changing what a read returned changes nothing stored', async () => {
    const store = new MemoryStore();
    await store.transaction(async (tx) => tx.set(refs.tag('a'), tag('a')));
    const read = await store.transaction(async (tx) => tx.get(refs.tag('a')));
    read!.name = 'mutated';
    const written = tag('b');
    await store.transaction(async (tx) => tx.set(refs.tag('b'), written));
    written.name = 'mutated';
    expect(store.all('tags').map((t) => t.name).sort()).toEqual(['a', 'b']);
  });

  it('runs transactions one after another, so a read-modify-write never loses an update', async () => {
    const store = new MemoryStore();
    await store.transaction(async (tx) => tx.set(refs.counter('n'), { id: 'n', value: 0 }));
    await Promise.all(
      Array.from({ length: 50 }, () =>
        store.transaction(async (tx) => {
          const n = await tx.get(refs.counter('n'));
          await Promise.resolve();
          tx.set(refs.counter('n'), { id: 'n', value: n!.value + 1 });
        }),
      ),
    );
    expect(store.all('counters')[0]?.value).toBe(50);
  });

  it('keeps messages under their ticket: a query with parentId sees one thread only', async () => {
    const store = new MemoryStore();
    const msg = (ticketId: string, id: string) => newMessage({ id, ticketId, contactId: 'c', direction: 'in', createdAt: 1 });
    await store.transaction(async (tx) => {
      tx.create(refs.message('t1', 'm1'), msg('t1', 'm1'));
      tx.create(refs.message('t2', 'm1'), msg('t2', 'm1'));
    });
    const one = await store.transaction((tx) => tx.query({ collection: 'messages', parentId: 't1', where: [], orderBy: [] }));
    expect(one.map((m) => m.ticketId)).toEqual(['t1']);
    const all = await store.transaction((tx) => tx.query({ collection: 'messages', where: [], orderBy: [] }));
    expect(all).toHaveLength(2);
  });
});
