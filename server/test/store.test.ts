import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Sqlite from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CommandError, refs, type Change, type Tag } from '@atende/core';
import { migrate } from '../src/db/migrate.ts';
import { SqliteStore } from '../src/db/store.ts';

/** The SQLite Store keeps MemoryStore's semantics (the core's reference). */
let dir: string;
let db: Sqlite.Database;
let store: SqliteStore;
const tag = (id: string, name = id): Tag => ({ id, name, color: '#123456', updatedAt: 1 });
const open = () => {
  db = new Sqlite(join(dir, 'atende.db'));
  db.pragma('journal_mode = WAL');
  migrate(db);
  store = new SqliteStore(db);
};

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'atende-store-'));
  open();
});
afterEach(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('SqliteStore', () => {
  it('applies migrations once, in order', () => {
    const files = readdirSync(fileURLToPath(new URL('../src/db/migrations/', import.meta.url))).filter((f) => /^\d+_.+\.sql$/.test(f));
    const versions = files.map((f) => ({ version: Number.parseInt(f, 10) })).sort((a, b) => a.version - b.version);
    expect(versions.slice(0, 3)).toEqual([{ version: 1 }, { version: 2 }, { version: 3 }]);
    expect(new Set(versions.map((v) => v.version)).size, 'two migrations share a number').toBe(versions.length);
    expect(db.prepare('SELECT version FROM schema_migrations ORDER BY version').all()).toEqual(versions);
    expect(migrate(db)).toEqual([]);
  });

  it('counts what a query finds as the query does, after every commit (small queries from the cache of committed results)', async () => {
    const small = { collection: 'tags', where: [['color', '==', '#123456']], orderBy: [], limit: 3 } as const;
    const large = { collection: 'tags', where: [['color', '==', '#123456']], orderBy: [] } as const;
    const counts = () => [store.count(small), store.count(large)];
    expect(counts()).toEqual([0, 0]);
    await store.transaction(async (tx) => void tx.create(refs.tag('a'), tag('a')));
    expect(counts()).toEqual([1, 1]);
    await store.transaction(async (tx) => {
      for (const id of ['b', 'c', 'd']) tx.create(refs.tag(id), tag(id));
    });
    expect(counts()).toEqual([3, 4]);
    await store.transaction(async (tx) => {
      tx.delete(refs.tag('a'));
      tx.set(refs.tag('b'), { ...tag('b'), color: '#000000' });
    });
    expect(counts()).toEqual([2, 2]);
    expect(counts()).toEqual([store.query(small).length, store.query(large).length]);
  });

  it('commits all or nothing: a create of an existing document aborts every write of the transaction', async () => {
    await store.transaction(async (tx) => tx.create(refs.tag('a'), tag('a')));
    const attempt = store.transaction(async (tx) => {
      tx.set(refs.tag('b'), tag('b'));
      tx.increment('n', 1);
      tx.create(refs.tag('a'), tag('a', 'again'));
    });
    await expect(attempt).rejects.toMatchObject({ code: 'already-exists' });
    expect(store.get(refs.tag('b'))).toBeNull();
    expect(store.get(refs.counter('n'))).toBeNull();
    expect(store.get(refs.tag('a'))?.name).toBe('a');
  });

  it('update of a missing document fails with not-found; a throwing function writes nothing', async () => {
    await expect(store.transaction(async (tx) => tx.update(refs.tag('ghost'), { name: 'x' }))).rejects.toBeInstanceOf(CommandError);
    await expect(
      store.transaction(async (tx) => {
        tx.set(refs.tag('c'), tag('c'));
        throw new Error('changed my mind');
      }),
    ).rejects.toThrow('changed my mind');
    expect(store.get(refs.tag('c'))).toBeNull();
  });

  it('refuses a read after a write', async () => {
    await expect(
      store.transaction(async (tx) => {
        tx.set(refs.tag('d'), tag('d'));
        await tx.get(refs.tag('d'));
      }),
    ).rejects.toThrow(/reads before/);
  });

  it('serialises transactions: concurrent read-modify-write loses no update', async () => {
    await Promise.all(
      Array.from({ length: 30 }, () =>
        store.transaction(async (tx) => {
          const current = (await tx.get(refs.counter('rmw')))?.value ?? 0;
          await new Promise((r) => setTimeout(r, 1));
          tx.set(refs.counter('rmw'), { id: 'rmw', value: current + 1 });
        }),
      ),
    );
    expect(store.get(refs.counter('rmw'))?.value).toBe(30);
  });

  it('increments counters without reading them, on top of a set in the same transaction', async () => {
    await store.transaction(async (tx) => {
      tx.increment('k', 2);
      tx.increment('k', 3);
    });
    await store.transaction(async (tx) => {
      tx.set(refs.counter('k2'), { id: 'k2', value: 10 });
      tx.increment('k2', -1);
    });
    expect(store.get(refs.counter('k'))?.value).toBe(5);
    expect(store.get(refs.counter('k2'))?.value).toBe(9);
  });

  it('tells listeners every change with before and after, once per commit', async () => {
    const seen: Change[][] = [];
    store.onCommit((c) => seen.push(c));
    await store.transaction(async (tx) => tx.set(refs.tag('e'), tag('e')));
    await store.transaction(async (tx) => {
      tx.update(refs.tag('e'), { name: 'E' });
      tx.delete(refs.tag('e'));
      tx.set(refs.tag('f'), tag('f'));
    });
    await store.transaction(async () => undefined);
    expect(seen).toHaveLength(2);
    expect(seen[0]).toEqual([{ ref: refs.tag('e'), before: null, after: tag('e') }]);
    expect(seen[1]).toEqual([
      { ref: refs.tag('e'), before: tag('e'), after: null },
      { ref: refs.tag('f'), before: null, after: tag('f') },
    ]);
  });

  it('keeps messages under their ticket: the same id under two tickets is two documents', async () => {
    const msg = (ticketId: string) => ({ id: 'm1', ticketId, contactId: 'c', direction: 'in' as const, authorId: null, authorName: null, text: ticketId, attachments: [], status: 'delivered' as const, createdAt: 1, channelMessageId: null, clientId: null, event: null, automated: false });
    await store.transaction(async (tx) => {
      tx.create(refs.message('t1', 'm1'), msg('t1'));
      tx.create(refs.message('t2', 'm1'), msg('t2'));
    });
    expect(store.get(refs.message('t1', 'm1'))?.text).toBe('t1');
    expect(store.query({ collection: 'messages', where: [], orderBy: [] })).toHaveLength(2);
    expect(store.query({ collection: 'messages', parentId: 't2', where: [], orderBy: [] }).map((m) => m.text)).toEqual(['t2']);
  });

  it('finds contacts by identity through the side index, kept in step with every write', async () => {
    const contact = { id: 'c1', name: 'Ana', phone: null, email: null, identityKeys: ['site:v1', 'whatsapp:55'], tagIds: [], notes: '', createdAt: 1, updatedAt: 1 };
    await store.transaction(async (tx) => tx.create(refs.contact('c1'), contact));
    const find = (key: string) => store.query({ collection: 'contacts', where: [['identityKeys', 'array-contains', key]], orderBy: [], limit: 1 }).map((c) => c.id);
    expect(find('whatsapp:55')).toEqual(['c1']);
    await store.transaction(async (tx) => tx.set(refs.contact('c1'), { ...contact, identityKeys: ['site:v1'] }));
    expect(find('whatsapp:55')).toEqual([]);
    await store.transaction(async (tx) => tx.delete(refs.contact('c1')));
    expect(find('site:v1')).toEqual([]);
  });

  it('a committed transaction is on disk: a new connection sees it', async () => {
    await store.transaction(async (tx) => tx.set(refs.tag('durable'), tag('durable')));
    const other = new Sqlite(join(dir, 'atende.db'), { readonly: true });
    try {
      expect(JSON.parse((other.prepare("SELECT data FROM tags WHERE id = 'durable'").get() as { data: string }).data)).toEqual(tag('durable'));
    } finally {
      other.close();
    }
  });

  it('close waits for the running transaction, then refuses new ones', async () => {
    let release!: () => void;
    const running = store.transaction(async (tx) => {
      await new Promise<void>((r) => (release = r));
      tx.set(refs.tag('last'), tag('last'));
    });
    const closing = store.close();
    await expect(store.transaction(async () => undefined)).rejects.toMatchObject({ code: 'aborted' });
    release();
    await running;
    await closing;
    expect(store.get(refs.tag('last'))).not.toBeNull();
  });
});
