import {
  type Stats,
  docPath,
  CommandError,
  type CollectionName,
  type Doc,
  type DocRef,
  type QuerySpec,
  type Store,
  type Ticket,
  type Tx,
  type MalformedDocument,
  type Message,
  copyOnlyLine,
  threadQueryLines,
  validatingTx,
  staleTimeKeys,
} from '@atende/core';
import { FieldValue, type Timestamp, type DocumentReference, type Firestore, type Query, type Transaction } from 'firebase-admin/firestore';
import { fromFirestore, toFirestore, toFirestoreSpec } from './firestoreCodec.ts';
import { writeIncrements } from './counters.ts';
import { writeStats, type StatsSums } from './statsShards.ts';
import { writeCustomerProjection } from './customerProjection.ts';
import { writeQueueEntry } from './queueEntry.ts';
import { noteLines, writeCopies, type Written } from './threadCopy.ts';
import { changesRights, ConfigCache, CONFIG_VERSION_PATH, configVersionBump, isConfigPath, type CachedSnapshot, type ConfigCacheOptions } from './configCache.ts';

export { fromFirestore, toFirestore } from './firestoreCodec.ts';

type Data = Record<string, unknown>;
export type Op = { kind: 'create' | 'set' | 'update' | 'delete'; data: Data };
/** `stale`: fields still holding a time as a number (written before the time codec), as the model reads them. */
export type ReadState = { exists: false } | { exists: true; updateTime: Timestamp; keys: string[]; stale: Data };


/** gRPC status codes the commit can fail with. */
const FAILED_PRECONDITION = 9;
const ALREADY_EXISTS = 6;
const ABORTED = 10;
const NOT_FOUND = 5;

export const docRefOf = (db: Firestore, ref: DocRef): DocumentReference => db.doc(docPath(ref));

/** The admin query for a core QuerySpec. A `messages` spec without `parentId` reads every ticket's thread. */
export const queryOf = (db: Firestore, model: QuerySpec): Query => {
  const spec = toFirestoreSpec(model);
  let q: Query =
    spec.collection === 'messages'
      ? spec.parentId !== undefined
        ? db.collection(`tickets/${spec.parentId}/messages`)
        : db.collectionGroup('messages')
      : db.collection(spec.collection);
  for (const [field, op, value] of spec.where) q = q.where(field, op, value);
  for (const [field, dir] of spec.orderBy) q = q.orderBy(field, dir);
  if (spec.startAfter) q = q.startAfter(...spec.startAfter);
  if (spec.endBefore) q = q.endBefore(...spec.endBefore);
  if (spec.limit !== undefined) q = q.limit(spec.limit);
  if (spec.limitToLast !== undefined) q = q.limitToLast(spec.limitToLast);
  return q;
};

/** Folds several writes to one document into the single write Firestore accepts per document and commit. */
const fold = (prev: Op | undefined, next: Op): Op => {
  if (!prev || next.kind === 'set' || next.kind === 'delete' || next.kind === 'create') return next;
  // next is an update of something written earlier in this transaction
  return prev.kind === 'delete' ? next : { kind: prev.kind, data: { ...prev.data, ...next.data } };
};

export { STATS_SHARDS, statsShardId } from './statsShards.ts';
export { COUNTER_SHARDS, counterShardId, sumCounterShards } from './counters.ts';

/** A ticket itself (`tickets/{id}`), not a line of its thread. */
const isTicket = (ref: DocumentReference): boolean => ref.parent.id === 'tickets' && !ref.parent.parent;

const codeOf = (e: unknown): number | undefined => {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === 'number' ? code : undefined;
};

export interface FirestoreStoreOptions {
  /** How many times a transaction that lost a race is run again. */
  maxAttempts?: number;
  /** Told of every malformed configuration document a transaction read (core/src/store/validated.ts); the functions log it. */
  onMalformed?: (report: MalformedDocument) => void;
  /** Configuration documents served from this instance's memory (functions/src/configCache.ts); `false`: every read goes to Firestore. */
  configCache?: ConfigCacheOptions | false;
}

/**
 * The core Store on Firestore (firebase-admin). Documents are stored as the
 * core writes them, `id` included, so queries on `id` (the counters) work.
 *
 * Every document a transaction reads and then writes is written with a
 * precondition on the update time it was read at (or "must not exist" when it
 * was read as missing). Firestore already serialises conflicting
 * transactions; the preconditions make the same guarantee hold on servers
 * without transaction locks (the Node Firestore emulator the tests use),
 * and a transaction that loses is simply run again on fresh data.
 *
 * Counters are sharded: Firestore sustains about one write a second per
 * document, and every new ticket of a sector bumps the same tab count.
 * `increment` adds to one of `COUNTER_SHARDS` documents `counters/{id}~{n}`
 * (a sector's three ticket counts are fields of one: core's counterLayout),
 * each carrying its document `id`, so `id in [...]` returns every shard and
 * the reader sums them (`sumCounterShards`; the Firebase driver for the SPA).
 */
export class FirestoreStore implements Store {
  private readonly maxAttempts: number;
  private readonly onMalformed: FirestoreStoreOptions['onMalformed'];
  /** Configuration read under one version document (null: not cached). */
  readonly configCache: ConfigCache | null;

  constructor(
    readonly db: Firestore,
    options: FirestoreStoreOptions = {},
  ) {
    this.maxAttempts = options.maxAttempts ?? 12;
    this.onMalformed = options.onMalformed;
    this.configCache = options.configCache === false ? null : new ConfigCache(options.configCache);
  }

  async transaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
    // Updates of messages not read first are committed to their documents; one that finds none is of a line that lives
    // in its ticket's copy (functions/src/threadCopy.ts): run again, looking there.
    let blindUpdates: 'document' | 'look' = 'document';
    for (let attempt = 1; ; attempt++) {
      const wrote = { config: false, blind: false };
      try {
        const result = await this.db.runTransaction((t) => this.attempt(t, fn, wrote, blindUpdates), { maxAttempts: 5 });
        // This instance's next command sees the configuration it just wrote.
        if (wrote.config) this.configCache?.clear();
        return result;
      } catch (e) {
        if (e instanceof CommandError) throw e;
        const code = codeOf(e);
        if (code === NOT_FOUND && wrote.blind && blindUpdates === 'document') {
          blindUpdates = 'look';
          continue;
        }
        const lostRace = code === FAILED_PRECONDITION || code === ALREADY_EXISTS || code === ABORTED;
        // The race may have been lost on a stale copy of a configuration document: read them afresh.
        if (lostRace) this.configCache?.clear();
        if (lostRace && attempt < this.maxAttempts) {
          // Back off a little, with jitter, so racing transactions spread out.
          await new Promise((r) => setTimeout(r, Math.random() * 10 * attempt));
          continue;
        }
        if (code === ALREADY_EXISTS) throw new CommandError('already-exists', 'This was created by someone else at the same moment');
        if (code === NOT_FOUND) throw new CommandError('not-found', 'A document this change needs no longer exists');
        if (lostRace) throw new CommandError('aborted', 'Too many changes at the same moment; try again');
        throw e;
      }
    }
  }

  private async attempt<T>(t: Transaction, fn: (tx: Tx) => Promise<T>, wrote: { config: boolean; blind: boolean }, blindUpdates: 'document' | 'look'): Promise<T> {
    const reads = new Map<string, ReadState>();
    // Writes are kept as the model made them (times in ms) and encoded for Firestore at commit.
    const writes = new Map<string, Written>();
    const increments = new Map<string, number>();
    const sums: StatsSums = new Map();
    // Stats documents written whole (the roll-up's months): one shard holds them, the others go.
    const replaced = new Map<string, Stats | null>();
    // Tickets (their customer projection is rewritten only when it changes) and users (changesRights) as this transaction read them.
    const ticketsRead = new Map<string, Data>();
    let writing = false;
    // The configuration collections this transaction writes: each has its own version in meta/config (the console reloads that catalogue).
    const configWritten = new Set<string>();
    const readConfig = this.configCache?.reader(this.db, t);

    /** Records what the transaction read and returns it as the model has it. */
    const note = (collection: CollectionName, snap: CachedSnapshot): Data | null => {
      if (!snap.exists || !snap.updateTime) {
        reads.set(snap.ref.path, { exists: false });
        return null;
      }
      const raw = snap.data()!;
      const data = fromFirestore(collection, raw);
      const stale = Object.fromEntries(staleTimeKeys(collection, raw).map((k) => [k, data[k]]));
      reads.set(snap.ref.path, { exists: true, updateTime: snap.updateTime, keys: Object.keys(raw), stale });
      if (collection === 'tickets' || collection === 'users') ticketsRead.set(snap.ref.path, data);
      return data;
    };
    // Messages this transaction read from their ticket's copy, where they live alone (core/src/store/threadLayout.ts).
    const fromCopy = new Set<string>();
    /** A ticket as this transaction read it, read now if it was not. */
    const ticketOf = async (path: string): Promise<Ticket | null> =>
      reads.has(path) ? ((ticketsRead.get(path) as unknown as Ticket | undefined) ?? null) : (note('tickets', await t.get(this.db.doc(path))) as Ticket | null);
    /**
     * A line of a thread: from its ticket's copy when it lives there alone, else its document. The copy is looked at
     * first when the transaction has read the ticket already (no read), else only when the document is missing.
     */
    const readLine = async (ref: DocumentReference): Promise<Message | null> => {
      const ticketPath = ref.parent.parent!.path;
      const inCopy = (ticket: Ticket | null) => {
        const line = copyOnlyLine(ticket, ref.id);
        if (line) fromCopy.add(ref.path);
        return line;
      };
      if (reads.has(ticketPath)) {
        const line = inCopy((ticketsRead.get(ticketPath) as unknown as Ticket | undefined) ?? null);
        if (line) return line;
      }
      const stored = note('messages', await t.get(ref)) as Message | null;
      if (stored || reads.has(ticketPath)) return stored;
      return inCopy(await ticketOf(ticketPath));
    };
    const beforeRead = () => {
      if (writing) throw new Error('a transaction must do all its reads before its writes');
    };
    const write = (ref: DocRef, kind: Op['kind'], data: Data = {}) => {
      writing = true;
      const docRef = docRefOf(this.db, ref);
      writes.set(docRef.path, { ref: docRef, collection: ref.collection, op: fold(writes.get(docRef.path)?.op, { kind, data }) });
    };

    const tx: Tx = {
      // A message is found by its provider's ids with a collection-group query (core/src/channels/received.ts): no receipts.
      arrayIndexes: true,
      // Every field has Firestore's single-field index: a customer's live ticket is found by the key they write from.
      fieldIndexes: true,
      // A ticket life's facts wait on the ticket and are stored as one document when it ends (core/src/reports/lifeFacts.ts).
      factsPerLife: true,
      // A thread's newest lines live on its ticket, some nowhere else (core/src/store/threadLayout.ts, ./threadCopy.ts).
      threadCopies: true,
      get: async <C extends CollectionName>(ref: DocRef<C>) => {
        beforeRead();
        const docRef = docRefOf(this.db, ref);
        if (ref.collection === 'messages') return (await readLine(docRef)) as Doc<C> | null;
        const snap = readConfig && isConfigPath(docRef.path) ? await readConfig(docRef) : await t.get(docRef);
        return note(ref.collection, snap) as Doc<C> | null;
      },
      query: async <C extends CollectionName>(spec: QuerySpec<C>) => {
        beforeRead();
        const result = await t.get(queryOf(this.db, spec));
        const docs = result.docs.map((d) => note(spec.collection, d) as Doc<C>);
        // A thread's query: with the lines its ticket's copy holds alone. (Queries over every thread — the provider
        // keys, the outbox's due deliveries — find documents only: the kinds of line they look for are not kept in the
        // copy alone yet, core's `livesInCopy`.)
        if (spec.collection !== 'messages' || spec.parentId === undefined) return docs;
        const ticketPath = `tickets/${spec.parentId}`;
        const ticket = await ticketOf(ticketPath);
        const lines = threadQueryLines(spec, docs as unknown as Message[], ticket?.recent);
        for (const l of lines) if (copyOnlyLine(ticket, l.id)) fromCopy.add(`${ticketPath}/messages/${l.id}`);
        return lines as unknown as Doc<C>[];
      },
      create: (ref, data) => write(ref, 'create', data as unknown as Data),
      set: (ref, data) => {
        if (ref.collection !== 'stats') return write(ref, 'set', data as unknown as Data);
        writing = true;
        replaced.set(ref.id, data as unknown as Stats);
      },
      update: (ref, patch) => write(ref, 'update', patch as Data),
      delete: (ref) => {
        if (ref.collection !== 'stats') return write(ref, 'delete');
        writing = true;
        replaced.set(ref.id, null);
      },
      increment: (counterId, delta) => {
        writing = true;
        increments.set(counterId, (increments.get(counterId) ?? 0) + delta);
      },
      accumulate: (ref, fields, deltas) => {
        writing = true;
        let sum = sums.get(ref.id);
        if (!sum) sums.set(ref.id, (sum = { fields: { ...fields }, v: new Map() }));
        for (const [k, d] of Object.entries(deltas)) if (d !== 0) sum.v.set(k, (sum.v.get(k) ?? 0) + d);
      },
    };

    // Configuration documents an admin may have edited by hand are checked with the core schemas as they are read.
    const result = await fn(validatingTx(tx, this.onMalformed));

    // The thread on the ticket (functions/src/threadCopy.ts): later writes of messages marked revised, new lines gathered.
    const lines = noteLines(this.db, writes, reads, fromCopy, blindUpdates);
    wrote.blind = lines.blind;
    // A ticket's queue entry and its copy of the thread follow what it was: one written without being read (no command
    // does; a test or a script may) is read now, before Firestore sees any write of this transaction.
    for (const [path, { ref, op }] of writes)
      if (isTicket(ref) && op.kind !== 'create' && !reads.has(path)) note('tickets', await t.get(ref));
    writeCopies(this.db, writes, ticketsRead, lines);

    for (const [path, { ref, collection, op }] of writes) {
      const read = reads.get(path);
      const data = toFirestore(collection, op.data);
      if (read?.exists) {
        const guard = { lastUpdateTime: read.updateTime };
        if (op.kind === 'delete') t.delete(ref, guard);
        else if (op.kind === 'create') t.create(ref, data);
        else if (op.kind === 'update') {
          // Upgrade on write: times the document still held as numbers are re-stored as timestamps with this change.
          const patched = Object.keys(op.data);
          const stale = Object.fromEntries(Object.entries(read.stale).filter(([k]) => !patched.some((p) => p === k || p.startsWith(`${k}.`))));
          t.update(ref, { ...toFirestore(collection, stale), ...data }, guard);
        } else {
          // A set of a document read in this transaction: the same content, guarded.
          const removed = Object.fromEntries(read.keys.filter((k) => !(k in op.data)).map((k) => [k, FieldValue.delete()]));
          t.update(ref, { ...data, ...removed }, guard);
        }
      } else if (read && !read.exists && (op.kind === 'set' || op.kind === 'create')) t.create(ref, data);
      else if (op.kind === 'create') t.create(ref, data);
      else if (op.kind === 'set') t.set(ref, data);
      else if (op.kind === 'update') t.update(ref, data);
      else t.delete(ref);
      if (isTicket(ref)) {
        // The ticket as read above (every ticket written but created is) and as this transaction leaves it.
        const before = ticketsRead.get(path) ?? null;
        const after = op.kind === 'delete' ? null : op.kind === 'update' ? { ...before, ...op.data } : op.data;
        writeCustomerProjection(t, this.db, ref.id, before, after);
        writeQueueEntry(t, this.db, ref.id, before, after);
      }
      if (isConfigPath(path) || (collection === 'users' && changesRights(ticketsRead.get(path), op))) configWritten.add(collection);
    }
    wrote.config = configWritten.size > 0;
    // Every instance's cached configuration is checked against `version` (functions/src/configCache.ts); consoles reload a
    // catalogue when its own field moves (web/src/live/catalogues.ts).
    if (wrote.config) t.set(this.db.doc(CONFIG_VERSION_PATH), configVersionBump(configWritten), { merge: true });
    writeIncrements(t, this.db, increments);
    writeStats(t, this.db, reads, replaced, sums);
    return result;
  }

}
