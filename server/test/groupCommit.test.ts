import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Sqlite from 'better-sqlite3';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { MemoryStore, refs, type Change, type QuerySpec, type Store, type Tag } from '@atende/core';
import { migrate } from '../src/db/migrate.ts';
import { SqliteStore } from '../src/db/store.ts';

/**
 * Group commit: transactions started in the same turn share one COMMIT, yet
 * each must behave as if it had committed alone (MemoryStore is the
 * reference), fail alone, and be acknowledged only once it is on disk.
 */
let dir: string;
let db: Sqlite.Database;
let store: SqliteStore;
const tag = (id: string, name = id, color = '#000000'): Tag => ({ id, name, color, updatedAt: 1 });

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'atende-group-'));
  db = new Sqlite(join(dir, 'atende.db'));
  db.pragma('journal_mode = WAL');
  migrate(db);
  store = new SqliteStore(db);
});
afterEach(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

const onDisk = (id: string): boolean => {
  const other = new Sqlite(join(dir, 'atende.db'), { readonly: true });
  try {
    return other.prepare('SELECT 1 FROM tags WHERE id = ?').get(id) !== undefined;
  } finally {
    other.close();
  }
};

describe('SqliteStore group commit', () => {
  it('commits the transactions of one turn together, and answers each only after the COMMIT', async () => {
    const order: string[] = [];
    store.onCommit((changes) => {
      // When the first one is told, the last one of its group is already on disk: one COMMIT for all.
      order.push(`${changes[0]!.ref.id} heard, t9 on disk: ${onDisk('t9')}`);
    });
    const all = Array.from({ length: 10 }, (_, i) =>
      store.transaction(async (tx) => tx.set(refs.tag(`t${i}`), tag(`t${i}`))).then(() => {
        order.push(`t${i} answered, on disk: ${onDisk(`t${i}`)}`);
      }),
    );
    await Promise.all(all);
    expect(order[0]).toBe('t0 heard, t9 on disk: true');
    expect(order.filter((o) => o.includes('answered'))).toEqual(Array.from({ length: 10 }, (_, i) => `t${i} answered, on disk: true`));
  });

  it('a later transaction of the group reads what an earlier one staged; a read outside transactions does not', async () => {
    const first = store.transaction(async (tx) => tx.set(refs.tag('a'), tag('a', 'Alfa')));
    let outside: Tag | null | undefined;
    const second = store.transaction(async (tx) => {
      outside = store.get(refs.tag('a'));
      const inside = await tx.get(refs.tag('a'));
      const listed = await tx.query({ collection: 'tags', where: [['name', '==', 'Alfa']], orderBy: [], limit: 1 });
      tx.update(refs.tag('a'), { name: 'Beta' });
      return { inside: inside?.name, listed: listed.map((t) => t.id) };
    });
    await first;
    expect(await second).toEqual({ inside: 'Alfa', listed: ['a'] });
    expect(outside).toBeNull();
    expect(store.get(refs.tag('a'))?.name).toBe('Beta');
  });

  it("a query in a group merges the staged documents of its own collection only", async () => {
    const staging = [
      store.transaction(async (tx) => tx.set(refs.tag('x'), tag('x', 'Mesmo'))),
      store.transaction(async (tx) => tx.set(refs.classification('x'), { id: 'x', name: 'Mesmo', updatedAt: 1 } as never)),
      store.transaction(async (tx) => tx.set(refs.tag('y'), tag('y', 'Mesmo'))),
    ];
    const listed = store.transaction(async (tx) => {
      const tags = await tx.query({ collection: 'tags', where: [['name', '==', 'Mesmo']], orderBy: [], limit: 10 });
      const classifications = await tx.query({ collection: 'classifications', where: [['name', '==', 'Mesmo']], orderBy: [], limit: 10 });
      return { tags: tags.map((t) => t.id), classifications: classifications.map((c) => c.id) };
    });
    await Promise.all(staging);
    expect(await listed).toEqual({ tags: ['x', 'y'], classifications: ['x'] });
  });

  it('a transaction that fails in a group fails alone: the others commit, the next ones see them', async () => {
    await store.transaction(async (tx) => tx.set(refs.tag('x'), tag('x')));
    const seen: Change[][] = [];
    store.onCommit((c) => seen.push(c));
    const ok = store.transaction(async (tx) => tx.set(refs.tag('y'), tag('y')));
    const bad = store.transaction(async (tx) => {
      tx.set(refs.tag('z'), tag('z'));
      tx.create(refs.tag('x'), tag('x', 'again'));
    });
    const after = store.transaction(async (tx) => (await tx.get(refs.tag('y')))?.id ?? null);
    await expect(bad).rejects.toMatchObject({ code: 'already-exists' });
    await ok;
    expect(await after).toBe('y');
    expect(store.get(refs.tag('z'))).toBeNull();
    expect(store.get(refs.tag('x'))?.name).toBe('x');
    expect(seen.map((c) => c.map((x) => x.ref.id))).toEqual([['y']]);
  });

  it('a create taken to be new (never read) that is there after all: the group runs again, the creator fails alone, and what read its staged write sees the stored one', async () => {
    // Written and never read: neither the cache nor the group knows it, so the create below is checked only by its INSERT.
    await store.transaction(async (tx) => tx.set(refs.tag('x'), tag('x', 'stored')));
    const runs: string[] = [];
    const heard: string[][] = [];
    store.onCommit((c) => heard.push(c.map((x) => x.ref.id)));
    const bad = store.transaction(async (tx) => {
      runs.push('bad');
      tx.create(refs.tag('x'), tag('x', 'again'));
    });
    const reader = store.transaction(async (tx) => {
      runs.push('reader');
      const name = (await tx.get(refs.tag('x')))?.name ?? null;
      tx.set(refs.tag('r'), tag('r', String(name)));
      return name;
    });
    const other = store.transaction(async (tx) => tx.create(refs.tag('y'), tag('y')));
    await expect(bad).rejects.toMatchObject({ code: 'already-exists' });
    expect(await reader).toBe('stored');
    await other;
    expect(runs).toEqual(['bad', 'reader', 'bad', 'reader']);
    expect(store.get(refs.tag('x'))?.name).toBe('stored');
    expect(store.get(refs.tag('r'))?.name).toBe('stored');
    expect(heard).toEqual([['r'], ['y']]);
  });

  it('a read hinted expectAbsent of a document that is there after all is answered as a plain read, whether the transaction then creates it or not', async () => {
    // Written and never read, so nothing in memory knows it: the hinted reads below take it to be absent at first.
    await store.transaction(async (tx) => {
      tx.set(refs.tag('k'), tag('k', 'stored'));
      tx.set(refs.tag('j'), tag('j', 'stored'));
    });
    const heard: string[][] = [];
    store.onCommit((c) => heard.push(c.map((x) => x.ref.id)));
    // Creates it when not found (as inbound.receive does its receipt): the INSERT meets the row, the group runs again.
    const createsIt = store.transaction(async (tx) => {
      const found = await tx.get(refs.tag('k'), { expectAbsent: true });
      if (!found) tx.create(refs.tag('k'), tag('k', 'new'));
      return found?.name ?? null;
    });
    // Writes something else when not found: it is looked up before the transaction is staged.
    const writesOther = store.transaction(async (tx) => {
      const found = await tx.get(refs.tag('j'), { expectAbsent: true });
      if (!found) tx.set(refs.tag('o'), tag('o'));
      return found?.name ?? null;
    });
    // Fails when not found: looked up too, and its answer is the found one's.
    const failsWithout = store.transaction(async (tx) => {
      const found = await tx.get(refs.tag('j'), { expectAbsent: true });
      if (!found) throw new Error('not there');
      return found.name;
    });
    const absent = store.transaction(async (tx) => {
      const found = await tx.get(refs.tag('n'), { expectAbsent: true });
      if (!found) tx.create(refs.tag('n'), tag('n'));
      return found?.name ?? null;
    });
    expect(await Promise.all([createsIt, writesOther, failsWithout, absent])).toEqual(['stored', 'stored', 'stored', null]);
    expect(store.get(refs.tag('k'))?.name).toBe('stored');
    expect(store.get(refs.tag('o'))).toBeNull();
    expect(store.get(refs.tag('n'))?.name).toBe('n');
    expect(heard).toEqual([['n']]);
  });

  // Random groups of read-then-write transactions, all started in one turn, on both stores (reads hinted expectAbsent or not: the hint never changes an answer).
  const ids = ['a', 'b', 'c', 'd', 'e', 'f'];
  const names = ['Ana', 'Bia', 'Caio', 'Duda'];
  const colors = ['#111111', '#222222'];
  const step = fc.record({
    read: fc.oneof(
      fc.record({ kind: fc.constant('get' as const), id: fc.constantFrom(...ids), expectAbsent: fc.boolean() }),
      fc.record({
        kind: fc.constant('query' as const),
        color: fc.option(fc.constantFrom(...colors), { nil: undefined }),
        dir: fc.constantFrom('asc' as const, 'desc' as const),
        limit: fc.option(fc.integer({ min: 1, max: 4 }), { nil: undefined }),
        last: fc.boolean(),
        byId: fc.boolean(),
      }),
    ),
    write: fc.oneof(
      fc.record({ kind: fc.constant('set' as const), id: fc.constantFrom(...ids), name: fc.constantFrom(...names), color: fc.constantFrom(...colors) }),
      fc.record({ kind: fc.constant('update' as const), id: fc.constantFrom(...ids), name: fc.constantFrom(...names) }),
      fc.record({ kind: fc.constant('create' as const), id: fc.constantFrom(...ids), name: fc.constantFrom(...names), color: fc.constantFrom(...colors) }),
      fc.record({ kind: fc.constant('delete' as const), id: fc.constantFrom(...ids) }),
      fc.record({ kind: fc.constant('increment' as const), by: fc.integer({ min: -3, max: 3 }) }),
    ),
  });
  type Step = typeof step extends fc.Arbitrary<infer S> ? S : never;

  const runGroup = async (s: Store, steps: Step[]) => {
    const results = await Promise.allSettled(
      steps.map(({ read, write }) =>
        s.transaction(async (tx) => {
          let got: unknown;
          if (read.kind === 'get') got = await tx.get(refs.tag(read.id), read.expectAbsent ? { expectAbsent: true } : undefined);
          else {
            const spec: QuerySpec<'tags'> = {
              collection: 'tags',
              where: read.color ? [['color', '==', read.color]] : [],
              orderBy: read.byId ? [] : [['name', read.dir]],
              ...(read.limit !== undefined && (read.last && !read.byId ? { limitToLast: read.limit } : { limit: read.limit })),
            };
            got = (await tx.query(spec)).map((t) => t.id);
          }
          if (write.kind === 'set') tx.set(refs.tag(write.id), tag(write.id, write.name, write.color));
          else if (write.kind === 'create') tx.create(refs.tag(write.id), tag(write.id, write.name, write.color));
          else if (write.kind === 'update') tx.update(refs.tag(write.id), { name: write.name });
          else if (write.kind === 'delete') tx.delete(refs.tag(write.id));
          else tx.increment('n', write.by);
          return got;
        }),
      ),
    );
    return results.map((r) => (r.status === 'fulfilled' ? { ok: r.value } : { failed: (r.reason as { code?: string }).code }));
  };

  it('behaves as MemoryStore, transaction by transaction, whatever the group does', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.array(step, { minLength: 1, maxLength: 12 }), { minLength: 1, maxLength: 5 }), async (groups) => {
        db.exec('DELETE FROM tags; DELETE FROM counters;');
        // A new store: the old one's cache of documents would not know of the DELETE behind its back.
        store = new SqliteStore(db);
        const memory = new MemoryStore();
        // What the commits' listeners hear (each write's before and after) is MemoryStore's too.
        const heard = { sqlite: [] as unknown[], memory: [] as unknown[] };
        store.onCommit((c) => heard.sqlite.push(JSON.parse(JSON.stringify(c))));
        memory.onCommit((c) => heard.memory.push(JSON.parse(JSON.stringify(c))));
        for (const group of groups) expect(await runGroup(store, group)).toEqual(await runGroup(memory, group));
        expect(heard.sqlite).toEqual(heard.memory);
        const all: QuerySpec<'tags'> = { collection: 'tags', where: [], orderBy: [] };
        expect(store.query(all).sort((x, y) => x.id.localeCompare(y.id))).toEqual(memory.all('tags').sort((x, y) => x.id.localeCompare(y.id)));
        expect(store.get(refs.counter('n'))?.value ?? null).toBe(memory.all('counters')[0]?.value ?? null);
      }),
      { numRuns: 80 },
    );
  });
});

describe('SqliteStore query cache', () => {
  const byColor = (color: string) => store.transaction(async (tx) => (await tx.query({ collection: 'tags', where: [['color', '==', color]], orderBy: [['name', 'asc']] })).map((t) => t.id));

  it('a document that leaves, enters or moves within a cached result is seen at once', async () => {
    await store.transaction(async (tx) => {
      tx.set(refs.tag('p'), tag('p', 'Paula', '#111111'));
      tx.set(refs.tag('q'), tag('q', 'Quito', '#111111'));
    });
    expect(await byColor('#111111')).toEqual(['p', 'q']);
    expect(await byColor('#222222')).toEqual([]);
    await store.transaction(async (tx) => tx.update(refs.tag('p'), { color: '#222222' }));
    expect(await byColor('#111111')).toEqual(['q']);
    expect(await byColor('#222222')).toEqual(['p']);
    await store.transaction(async (tx) => tx.update(refs.tag('q'), { name: 'Aldo' }));
    await store.transaction(async (tx) => tx.set(refs.tag('r'), tag('r', 'Bia', '#111111')));
    expect(await byColor('#111111')).toEqual(['q', 'r']);
    await store.transaction(async (tx) => tx.delete(refs.tag('q')));
    expect(await byColor('#111111')).toEqual(['r']);
  });

  it('a small query outside transactions shares the cache, and sees only what is committed', async () => {
    const spec = { collection: 'tags', where: [['color', '==', '#555555']], orderBy: [], limit: 5 } as const satisfies QuerySpec<'tags'>;
    await store.transaction(async (tx) => tx.set(refs.tag('o1'), tag('o1', 'one', '#555555')));
    expect(store.query(spec).map((t) => t.id)).toEqual(['o1']);
    let outside: string[] = [];
    const staged = store.transaction(async (tx) => tx.set(refs.tag('o2'), tag('o2', 'two', '#555555')));
    await store.transaction(async () => {
      outside = store.query(spec).map((t) => t.id);
    });
    await staged;
    expect(outside).toEqual(['o1']);
    expect(store.query(spec).map((t) => t.id)).toEqual(['o1', 'o2']);
  });

  it('a result ordered by id follows the rewrites of a document that stays in it', async () => {
    const firstOf = (color: string) =>
      store.transaction(async (tx) => (await tx.query({ collection: 'tags', where: [['color', '==', color]], orderBy: [], limit: 1 })).map((t) => `${t.id}:${t.name}`));
    await store.transaction(async (tx) => tx.set(refs.tag('m'), tag('m', 'v1', '#333333')));
    expect(await firstOf('#333333')).toEqual(['m:v1']);
    await store.transaction(async (tx) => tx.update(refs.tag('m'), { name: 'v2' }));
    expect(await firstOf('#333333')).toEqual(['m:v2']);
    await store.transaction(async (tx) => tx.set(refs.tag('l'), tag('l', 'before m', '#333333')));
    expect(await firstOf('#333333')).toEqual(['l:before m']);
    await store.transaction(async (tx) => tx.update(refs.tag('l'), { color: '#444444' }));
    expect(await firstOf('#333333')).toEqual(['m:v2']);
  });
});

describe('SqliteStore document cache', () => {
  it("takes a write's before from the object the last commit wrote, not from parsing its text again", async () => {
    const heard: Change[] = [];
    store.onCommit((c) => heard.push(...c));
    await store.transaction(async (tx) => tx.set(refs.tag('k'), tag('k', 'one')));
    expect(store.get(refs.tag('k'))?.name).toBe('one');
    await store.transaction(async (tx) => tx.set(refs.tag('k'), tag('k', 'two')));
    await store.transaction(async (tx) => {
      await tx.get(refs.tag('k'));
      tx.update(refs.tag('k'), { name: 'three' });
    });
    expect(heard.map((c) => [c.before === null ? null : (c.before as Tag).name, (c.after as Tag).name])).toEqual([[null, 'one'], ['one', 'two'], ['two', 'three']]);
    // The first rewrite parsed the text read into the cache; each later one got the very object the commit before it wrote.
    expect(heard[1]!.before).not.toBe(heard[0]!.after);
    expect(heard[2]!.before).toBe(heard[1]!.after);
    // Behind the store's back the text no longer matches the cache's: not taken for the stored one.
    db.prepare("UPDATE tags SET data = json_set(data, '$.name', 'sqlite') WHERE id = 'k'").run();
    store = new SqliteStore(db);
    store.onCommit((c) => heard.push(...c));
    await store.transaction(async (tx) => tx.update(refs.tag('k'), { name: 'four' }));
    expect((heard[3]!.before as Tag).name).toBe('sqlite');
  });


  it('a transaction reading a document the last commit rewrote gets a copy of the object it wrote, as JSON gives it back, parsing nothing', async () => {
    const heard: Change[] = [];
    store.onCommit((c) => heard.push(...c));
    const ref = refs.counter('c');
    const doc = (value: number, extra: Record<string, unknown> = {}) => ({ id: 'c', value, nested: { list: [1, { a: 'x' }] }, ...extra }) as never;
    await store.transaction(async (tx) => tx.set(ref, doc(1)));
    await store.transaction(async (tx) => tx.set(ref, doc(2)));
    const parse = vi.spyOn(JSON, 'parse');
    try {
      const read = (await store.transaction(async (tx) => tx.get(ref))) as unknown as { value: number; nested: { list: unknown[] } };
      expect(parse).not.toHaveBeenCalled();
      const written = heard[1]!.after as unknown as typeof read;
      expect(read).toStrictEqual(written);
      expect(read.nested).not.toBe(written.nested);
      // The reader's copy is its own: changing it changes neither what the commit wrote nor the next read.
      read.nested.list.push(3);
      expect(written.nested.list).toEqual([1, { a: 'x' }]);
      // A field JSON drops (undefined) is not read back: the text is parsed instead.
      await store.transaction(async (tx) => tx.set(ref, doc(3, { gone: undefined })));
      parse.mockClear();
      const again = await store.transaction(async (tx) => tx.get(ref));
      expect(parse).toHaveBeenCalledTimes(1);
      expect(again).toStrictEqual({ id: 'c', value: 3, nested: { list: [1, { a: 'x' }] } });
    } finally {
      parse.mockRestore();
    }
  });

  it('serves a document read before, and never a stale one after a write or a delete', async () => {
    await store.transaction(async (tx) => tx.set(refs.tag('k'), tag('k', 'one')));
    expect(store.get(refs.tag('k'))?.name).toBe('one');
    // Behind the store's back: a cached document is served from memory, not from SQLite.
    db.prepare("UPDATE tags SET data = json_set(data, '$.name', 'sqlite') WHERE id = 'k'").run();
    expect(store.get(refs.tag('k'))?.name).toBe('one');
    await store.transaction(async (tx) => tx.update(refs.tag('k'), { name: 'two' }));
    expect(store.get(refs.tag('k'))?.name).toBe('two');
    expect(await store.transaction(async (tx) => (await tx.get(refs.tag('k')))?.name)).toBe('two');
    await store.transaction(async (tx) => tx.delete(refs.tag('k')));
    expect(store.get(refs.tag('k'))).toBeNull();
    expect(await store.transaction(async (tx) => tx.get(refs.tag('k')))).toBeNull();
  });
});
