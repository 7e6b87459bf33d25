import type { CollectionName } from '../model/index.ts';
import { CommandError } from '../errors.ts';
import { runQuery } from './evaluate.ts';
import type { Change, Doc, DocRef, QuerySpec, Store, Tx } from './types.ts';

type AnyDoc = { id: string } & Record<string, unknown>;

const key = (r: DocRef): string => `${r.collection}/${r.parentId ?? ''}/${r.id}`;

/**
 * A Store held in memory, with Firestore's transaction rules (reads before
 * writes, serialised commits). The reference the drivers are tested against,
 * and what the core's own tests run on.
 */
export class MemoryStore implements Store {
  private readonly docs = new Map<string, { ref: DocRef; data: AnyDoc }>();
  private queue: Promise<unknown> = Promise.resolve();
  private readonly listeners = new Set<(changes: Change[]) => void>();

  onCommit(listener: (changes: Change[]) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  all<C extends CollectionName>(collection: C): Doc<C>[] {
    return [...this.docs.values()].filter((d) => d.ref.collection === collection).map((d) => d.data as unknown as Doc<C>);
  }

  transaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
    const run = this.queue.then(() => this.runTransaction(fn));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async runTransaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
    const writes = new Map<string, { ref: DocRef; op: 'create' | 'set' | 'update' | 'delete'; data?: AnyDoc | Partial<AnyDoc> }[]>();
    const increments = new Map<string, number>();
    let wrote = false;
    const read = () => {
      if (wrote) throw new Error('a transaction must do all its reads before its writes');
    };
    const write = (ref: DocRef, op: 'create' | 'set' | 'update' | 'delete', data?: AnyDoc | Partial<AnyDoc>) => {
      wrote = true;
      const k = key(ref);
      writes.set(k, [...(writes.get(k) ?? []), data === undefined ? { ref, op } : { ref, op, data: structuredClone(data) }]);
    };
    const tx: Tx = {
      get: async (ref) => {
        read();
        const found = this.docs.get(key(ref));
        return found ? (structuredClone(found.data) as never) : null;
      },
      query: async (spec: QuerySpec) => {
        read();
        const candidates = [...this.docs.values()]
          .filter((d) => d.ref.collection === spec.collection && (spec.parentId === undefined || d.ref.parentId === spec.parentId))
          .map((d) => d.data);
        return structuredClone(runQuery(spec, candidates)) as never;
      },
      create: (ref, data) => write(ref, 'create', data as unknown as AnyDoc),
      set: (ref, data) => write(ref, 'set', data as unknown as AnyDoc),
      update: (ref, patch) => write(ref, 'update', patch as Partial<AnyDoc>),
      delete: (ref) => write(ref, 'delete'),
      increment: (counterId, delta) => {
        wrote = true;
        increments.set(counterId, (increments.get(counterId) ?? 0) + delta);
      },
    };
    const result = await fn(tx);

    // Validate everything before applying anything: a transaction is all or nothing.
    const next = new Map<string, { ref: DocRef; data: AnyDoc } | null>();
    for (const [k, ops] of writes) {
      let current: AnyDoc | null = this.docs.get(k)?.data ?? null;
      for (const { ref, op, data } of ops) {
        if (op === 'create') {
          if (current) throw new CommandError('already-exists', `${ref.collection}/${ref.id} already exists`);
          current = data as AnyDoc;
        } else if (op === 'set') current = data as AnyDoc;
        else if (op === 'update') {
          if (!current) throw new CommandError('not-found', `${ref.collection}/${ref.id} does not exist`);
          current = { ...current, ...data };
        } else current = null;
        next.set(k, current ? { ref, data: current } : null);
      }
    }
    for (const [id, delta] of increments) {
      const k = key({ collection: 'counters', id });
      const current = (next.get(k)?.data ?? this.docs.get(k)?.data ?? { id, value: 0 }) as AnyDoc;
      next.set(k, { ref: { collection: 'counters', id }, data: { ...current, value: Number(current.value) + delta } });
    }
    const changes: Change[] = [];
    for (const [k, value] of next) {
      const before = this.docs.get(k);
      if (value) this.docs.set(k, value);
      else this.docs.delete(k);
      const ref = value?.ref ?? before?.ref;
      if (ref) changes.push({ ref, before: (before?.data ?? null) as never, after: (value?.data ?? null) as never });
    }
    if (changes.length > 0) for (const l of this.listeners) l(changes);
    return result;
  }
}
