/**
 * The Firestore half of the Firebase driver (./firebase.ts): everything that
 * needs Firestore's web SDK (~120 KB gzip) — catalogue queries as listeners,
 * document reads, the claims watch, the presence heartbeat. The driver
 * imports this module dynamically as soon as it starts, so the SDK downloads
 * while Auth restores the session and the first screen draws without
 * waiting for it.
 */
import {
  CommandError,
  decodeTimes,
  docPath,
  encodeSpec,
  firestoreCollectionOf,
  millisOf,
  QUEUE,
  resolveSubscription,
  statsField,
  sortValidated,
  sumStatsShards,
  VALIDATED,
  type Actor,
  type CollectionName,
  type DocChange,
  type DocRef,
  type MalformedDocument,
  type QuerySpec,
  type Reader,
} from '@atende/core';
import type { FirebaseApp } from 'firebase/app';
import {
  collection,
  collectionGroup,
  connectFirestoreEmulator,
  doc,
  endBefore,
  getDoc,
  getDocFromCache,
  getDocFromServer,
  getDocsFromServer,
  getFirestore,
  limit,
  limitToLast,
  onSnapshot,
  orderBy,
  query,
  serverTimestamp,
  setDoc,
  startAfter,
  Timestamp,
  where,
  type DocumentData,
  type Firestore,
  type Query,
  type QueryConstraint,
  type QuerySnapshot,
} from 'firebase/firestore';
import { listenCounters, removedOf } from './firebaseCounters.ts';
import { backendErrorOf } from './firebaseErrors.ts';
import { listenThread, readsCopy, readThread } from './firebaseThread.ts';
import type { LiveEvent } from './types.ts';

import type { WriteBeat } from './firebasePresence.ts';
import type { Meter } from './firebaseSubscriptions.ts';

/** The presence heartbeat's write: the console's own document, stamped by the server (the rules check `at == request.time`). */
export const firestoreBeat =
  (db: Firestore): WriteBeat =>
  (uid) =>
    setDoc(doc(db, 'presenceBeats', uid), { at: serverTimestamp() });

/** The app's Firestore (on the local emulator's port 8080 with `VITE_FIREBASE_EMULATORS`). */
export const openFirestore = (app: FirebaseApp, emulators: string | undefined): Firestore => {
  const db = getFirestore(app);
  if (emulators) connectFirestoreEmulator(db, emulators, 8080);
  return db;
};

/**
 * A stored document as the model reads it: times in milliseconds (core's
 * codec, core/src/store/timeCodec.ts, by the collection in `path`). Documents
 * outside the model (`claims/{uid}`) get their top-level timestamps converted.
 */
export const fromStore = (path: string, data: DocumentData): DocumentData => {
  const segments = path.split('/');
  const collection = segments[segments.length - 2] ?? '';
  const decoded = decodeTimes(collection, data);
  if (decoded !== data || collection !== 'claims') return decoded;
  return Object.fromEntries(Object.entries(data).map(([k, v]) => [k, millisOf(v)]));
};

const fromMillis = (ms: number) => Timestamp.fromMillis(ms);

/** The web SDK's query for a core spec; `from`: the collection it is read from, when not the spec's own (the queue's entries). */
export const webQueryOf = (db: Firestore, model: QuerySpec, from: string = model.collection): Query<DocumentData> => {
  // Bounds on time fields as timestamps, as they are stored.
  const spec = encodeSpec(model, fromMillis);
  const base =
    spec.collection === 'messages'
      ? spec.parentId !== undefined
        ? collection(db, 'tickets', spec.parentId, 'messages')
        : collectionGroup(db, 'messages')
      : collection(db, from);
  const constraints: QueryConstraint[] = [
    ...spec.where.map(([f, op, v]) => where(f, op, v)),
    ...spec.orderBy.map(([f, dir]) => orderBy(f, dir)),
  ];
  if (spec.startAfter) constraints.push(startAfter(...spec.startAfter));
  if (spec.endBefore) constraints.push(endBefore(...spec.endBefore));
  if (spec.limit !== undefined) constraints.push(limit(spec.limit));
  if (spec.limitToLast !== undefined) constraints.push(limitToLast(spec.limitToLast));
  return query(base, ...constraints);
};

/**
 * Documents for the catalogue's authorization (the ticket of a conversation);
 * a document the rules refuse reads as "you cannot see this". One another
 * listener holds is read from the SDK's cache: a read from the server is
 * billed, and an open conversation's ticket is nearly always in Em
 * atendimento or Esperando already. The rules still judge the listener.
 */
export const docReader = (db: Firestore): Reader => ({
  async get(ref) {
    const at = doc(db, docPath(ref as DocRef));
    const cached = await getDocFromCache(at).catch(() => null);
    if (cached?.exists()) return fromStore(cached.ref.path, cached.data()) as never;
    // A waiting ticket is held by Esperando's listener as its queue entry (core/src/store/queueLayout.ts).
    const entry = ref.collection === 'tickets' ? await getDocFromCache(doc(db, QUEUE, ref.id)).catch(() => null) : null;
    if (entry?.exists()) return fromStore(entry.ref.path, entry.data()) as never;
    try {
      const snap = await getDoc(at);
      return snap.exists() ? (fromStore(snap.ref.path, snap.data()) as never) : null;
    } catch (err) {
      const be = backendErrorOf(err);
      if (be.code === 'permission-denied') throw new CommandError('permission-denied', 'You cannot see this');
      throw err;
    }
  },
});

export const readDoc = async (db: Firestore, path: string): Promise<DocumentData | null> => {
  const snap = await getDoc(doc(db, path));
  return snap.exists() ? fromStore(path, snap.data()) : null;
};

/** A document's changes (the claims watch). */
export const watchDoc = (db: Firestore, path: string, next: (data: DocumentData | undefined) => void, error: () => void): (() => void) =>
  onSnapshot(doc(db, path), (snap) => next(snap.exists() ? fromStore(path, snap.data()) : undefined), error);

/** The catalogue's target for this actor (the same code the local server runs). */
export const resolveTarget = (actor: Actor, queryName: string, params: Record<string, unknown>, db: Firestore) => resolveSubscription(actor, queryName, params, docReader(db));

type Target = Awaited<ReturnType<typeof resolveTarget>>;

/**
 * Issue 15, H2 (console editing): a document of a collection core validates on read (settings, sectors, channels,
 * the team, quick replies, tags, …: core/src/store/validated.ts `VALIDATED`) is checked with its core schema as the
 * console receives it, as the functions and the embedded server check it: one broken by hand in the Firebase
 * console (a string where a number was, a deleted field) is left out and reported, naming the document and the
 * field (`LiveEvent.malformed`), instead of reaching the screens. Other collections pass as they are.
 */
const checked = (collection: string, docs: DocumentData[]): { docs: DocumentData[]; malformed: MalformedDocument[] } =>
  VALIDATED[collection as CollectionName] ? sortValidated(collection, docs) : { docs, malformed: [] };

const withMalformed = (malformed: MalformedDocument[]) => (malformed.length > 0 ? { malformed } : {});

/**
 * A target read once from the server (never the SDK's cache, which may hold
 * an older copy from an earlier listener), as the model has it. `meter` is
 * told what it costs as Firestore bills it: its documents, at least one.
 */
export const readTarget = async (
  db: Firestore,
  target: Target,
  queryName: string,
  meter?: Meter,
  malformed?: (reports: MalformedDocument[]) => void,
): Promise<DocumentData[]> => {
  let read: ReturnType<typeof checked>;
  if (target.kind === 'doc') {
    const snap = await getDocFromServer(doc(db, docPath(target.ref)));
    meter?.(queryName, 1);
    read = checked(target.ref.collection, snap.exists() ? [fromStore(snap.ref.path, snap.data())] : []);
  } else if (readsCopy(queryName, target.spec)) {
    // A thread: its documents with its ticket's copy (./firebaseThread.ts).
    return readThread(db, webQueryOf(db, target.spec), target.spec, queryName, meter);
  } else {
    const snap = await getDocsFromServer(webQueryOf(db, target.spec, firestoreCollectionOf(queryName, target.spec)));
    meter?.(queryName, Math.max(1, snap.size));
    read = checked(target.spec.collection, snap.docs.map((d) => decodeTimes(target.spec.collection, d.data())));
  }
  malformed?.(read.malformed);
  return read.docs;
};

/**
 * One live query as a Firestore listener, producing the local server's
 * `snapshot` / `changes` events. `meter` is told what each snapshot costs as
 * Firestore bills it (the bench counts reads with it).
 */
export const listenTarget = (
  db: Firestore,
  target: Target,
  queryName: string,
  emit: (event: LiveEvent<never>) => void,
  onError: (err: unknown) => void,
  meter?: Meter,
): (() => void) => {
  if (target.kind === 'doc') {
    let had: DocumentData | null = null;
    let first = true;
    return onSnapshot(
      doc(db, docPath(target.ref)),
      (snap) => {
        const read = checked(target.ref.collection, snap.exists() ? [fromStore(snap.ref.path, snap.data())] : []);
        const data = (read.docs[0] ?? null) as never;
        if (meter && (first || !snap.metadata.fromCache)) meter(queryName, 1, !first && had && !snap.exists() ? [snap.ref.path] : undefined);
        if (first) {
          first = false;
          emit({ type: 'snapshot', docs: data ? [data] : [], ...withMalformed(read.malformed) });
        } else if (data || had || read.malformed.length > 0) {
          const type = data && had ? 'modified' : data ? 'added' : 'removed';
          emit({ type: 'changes', changes: data || had ? [{ type, doc: (data ?? had) as never }] : [], ...withMalformed(read.malformed) });
        }
        had = data;
      },
      onError,
    );
  }
  let first = true;
  const metered = (snap: QuerySnapshot<DocumentData>) => {
    if (first) meter?.(queryName, Math.max(1, snap.size));
    else meter?.(queryName, snap.docChanges().length, removedOf(snap));
    const wasFirst = first;
    first = false;
    return wasFirst;
  };
  if (queryName === 'counters') {
    const ids = (target.spec.where.find(([field, op]) => field === 'id' && op === 'in')?.[2] ?? []) as string[];
    return listenCounters(db, (spec) => webQueryOf(db, spec), target.spec, ids, emit, onError, meter);
  }
  const collection = target.spec.collection;
  if (queryName === 'stats.range')
    // Report aggregates are sharded too (functions/src/store.ts): each snapshot is folded whole, one document per day/month and sector.
    return onSnapshot(
      webQueryOf(db, target.spec),
      (snap) => {
        metered(snap);
        emit({ type: 'snapshot', docs: sumStatsShards(snap.docs.map((d) => statsField.toStats(d.data()))) as never[] });
      },
      onError,
    );
  if (readsCopy(queryName, target.spec)) return listenThread(db, webQueryOf(db, target.spec), target.spec, queryName, emit, onError, meter);
  // Esperando listens to the queue's entries, deleted (free) when a ticket stops waiting.
  return onSnapshot(
    webQueryOf(db, target.spec, firestoreCollectionOf(queryName, target.spec)),
    (snap) => {
      if (metered(snap)) {
        const read = checked(collection, snap.docs.map((d) => decodeTimes(collection, d.data())));
        emit({ type: 'snapshot', docs: read.docs as never[], ...withMalformed(read.malformed) });
        return;
      }
      const malformed: MalformedDocument[] = [];
      const changes: DocChange<never>[] = snap.docChanges().map((c) => {
        const raw = decodeTimes(collection, c.doc.data());
        if (c.type === 'removed') return { type: c.type, doc: raw as never };
        const read = checked(collection, [raw]);
        if (read.docs[0]) return { type: c.type, doc: read.docs[0] as never };
        // Broken by an edit: out of the results, as if it had left them (its Firestore id, in case the edit deleted `id`).
        malformed.push(...read.malformed);
        return { type: 'removed', doc: { ...raw, id: c.doc.id } as never };
      });
      if (changes.length > 0) emit({ type: 'changes', changes, ...withMalformed(malformed) });
    },
    onError,
  );
};
