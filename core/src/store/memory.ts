import type { CollectionName } from '../model/index.ts';
import { runQuery } from './evaluate.ts';
import { docKey, PendingWrites } from './pending.ts';
import type { Change, Doc, DocRef, QuerySpec, Store, Tx } from './types.ts';

type AnyDoc = { id: string } & Record<string, unknown>;

/**
 * A Store held in memory, with Firestore's transaction rules (reads before
 * writes, serialised commits). The reference the drivers are tested against,
 * and what the core's own tests run on.
 */
export class MemoryStore implements Store {
  /**
   * `arrayIndexes`: behave as Firestore does for provider keys (core/src/channels/received.ts); default: as SQLite (receipts).
   * `fieldIndexes`: as Firestore, any field may be queried by equality (core/src/commands/inbound.ts).
   * `factsPerLife`: as Firestore, one fact document per ticket life (core/src/reports/lifeFacts.ts).
   */
  constructor(private readonly options: { arrayIndexes?: boolean; fieldIndexes?: boolean; factsPerLife?: boolean } = {}) {}

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
    const pending = new PendingWrites();
    const tx: Tx = {
      ...(this.options.arrayIndexes ? { arrayIndexes: true } : {}),
      ...(this.options.fieldIndexes ? { fieldIndexes: true } : {}),
      ...(this.options.factsPerLife ? { factsPerLife: true } : {}),
      get: async (ref) => {
        pending.beforeRead();
        const found = this.docs.get(docKey(ref));
        return found ? (structuredClone(found.data) as never) : null;
      },
      query: async (spec: QuerySpec) => {
        pending.beforeRead();
        const candidates = [...this.docs.values()]
          .filter((d) => d.ref.collection === spec.collection && (spec.parentId === undefined || d.ref.parentId === spec.parentId))
          .map((d) => d.data);
        return structuredClone(runQuery(spec, candidates)) as never;
      },
      ...pending.writers,
    };
    const result = await fn(tx);
    // Resolved in full before anything is applied: a transaction is all or nothing.
    const writes = pending.resolve((k) => this.docs.get(k)?.data ?? null);
    const changes: Change[] = [];
    for (const { ref, before, after } of writes) {
      const k = docKey(ref);
      if (after) this.docs.set(k, { ref, data: after });
      else this.docs.delete(k);
      changes.push({ ref, before: before as never, after: after as never });
    }
    if (changes.length > 0) for (const l of this.listeners) l(changes);
    return result;
  }
}
