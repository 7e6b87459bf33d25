/**
 * The `counters` live query on Firestore. Counters are sharded
 * (`counters/{docId}~{n}`, each shard carrying its document's `id`;
 * functions/src/counters.ts) and grouped (a sector's counts, its agents'
 * included, in one document: core/src/store/counterLayout.ts): this listens
 * to the shard documents that hold the ids asked for and folds them into one
 * `{id, value}` per counter, as the local server sends them.
 *
 * An agent's total is the sum of their field over every sector's document,
 * so asking for one listens to all of them (`tickets.sector.*`, a range on
 * `id`). That listener is shared by every `counters` subscription of the same
 * Firestore instance (Supervisão asks for its agents 30 ids at a time), and
 * a subscription for sectors' counts opened while it runs joins it: each
 * sector document's change is read once per console, not once per slice.
 */
import { counterDocIds, counterTotals, readsEverySector, SECTOR_COUNTS_PREFIX, type QuerySpec } from '@atende/core';
import { onSnapshot, type DocumentData, type Firestore, type Query, type QuerySnapshot } from 'firebase/firestore';
import type { LiveEvent } from './types.ts';
import type { Meter } from './firebaseSubscriptions.ts';

type Shards = Map<string, Record<string, unknown>>;
type QueryOf = (spec: QuerySpec) => Query<DocumentData>;

/** The paths of the documents a later snapshot says left the results (for the meter). */
export const removedOf = (snap: QuerySnapshot<DocumentData>) => snap.docChanges().flatMap((c) => (c.type === 'removed' ? [c.doc.ref.path] : []));

/** One listener's documents by path, kept from its snapshots; the meter told what each snapshot costs. */
const shardListener = (queryOf: QueryOf, spec: QuerySpec, meter: Meter | undefined, onChange: (docs: Shards) => void, onError: (err: unknown) => void) => {
  const docs: Shards = new Map();
  let first = true;
  return onSnapshot(
    queryOf(spec),
    (snap) => {
      if (first) meter?.('counters', Math.max(1, snap.size));
      else meter?.('counters', snap.docChanges().length, removedOf(snap));
      first = false;
      for (const c of snap.docChanges()) {
        if (c.type === 'removed') docs.delete(c.doc.ref.path);
        else docs.set(c.doc.ref.path, c.doc.data());
      }
      onChange(docs);
    },
    onError,
  );
};

interface SharedSectors {
  docs: Shards | null;
  followers: Set<{ changed: () => void; failed: (err: unknown) => void }>;
  stop: () => void;
}
const everySector = new WeakMap<Firestore, SharedSectors>();

/** Every sector's count documents, one listener per Firestore instance however many subscriptions need them. */
const followEverySector = (db: Firestore, queryOf: QueryOf, meter: Meter | undefined, changed: () => void, failed: (err: unknown) => void): { docs: () => Shards | null; stop: () => void } => {
  let shared = everySector.get(db);
  if (!shared) {
    const created: SharedSectors = { docs: null, followers: new Set(), stop: () => undefined };
    const range: QuerySpec = { collection: 'counters', where: [['id', '>=', SECTOR_COUNTS_PREFIX], ['id', '<', `${SECTOR_COUNTS_PREFIX}\uf8ff`]], orderBy: [] };
    created.stop = shardListener(
      queryOf,
      range,
      meter,
      (docs) => {
        created.docs = docs;
        for (const f of created.followers) f.changed();
      },
      (err) => {
        for (const f of created.followers) f.failed(err);
      },
    );
    everySector.set(db, created);
    shared = created;
  }
  const follower = { changed, failed };
  const it = shared;
  it.followers.add(follower);
  return {
    docs: () => it.docs,
    stop: () => {
      it.followers.delete(follower);
      if (it.followers.size > 0) return;
      it.stop();
      if (everySector.get(db) === it) everySector.delete(db);
    },
  };
};

/** `ids`' totals, live: a snapshot once every listener has answered, then the counters whose totals moved. */
export const listenCounters = (
  db: Firestore,
  queryOf: QueryOf,
  spec: QuerySpec,
  ids: readonly string[],
  emit: (event: LiveEvent<never>) => void,
  onError: (err: unknown) => void,
  meter?: Meter,
): (() => void) => {
  const needed = counterDocIds(ids);
  // An agent's total needs every sector's documents; a sector's counts join that listener when it is open already
  // (Supervisão's slices list agents first: ids sorted), instead of reading the same documents a second time.
  const sectors = readsEverySector(ids) || (everySector.has(db) && needed.some((id) => id.startsWith(SECTOR_COUNTS_PREFIX)));
  // Each counter's own documents and its group's, 30 ids per listener (Firestore's `in`); every sector's apart.
  const docIds = needed.filter((id) => !(sectors && id.startsWith(SECTOR_COUNTS_PREFIX)));
  const chunks: Shards[] = [];
  const answered = new Set<number>();
  const chunkCount = Math.ceil(docIds.length / 30);
  let shared: ReturnType<typeof followEverySector> | null = null;
  let emitted: Map<string, number> | null = null;
  const fold = () => {
    const sectorDocs = shared ? shared.docs() : null;
    if (answered.size < chunkCount || (sectors && sectorDocs === null)) return;
    const all = [...chunks.flatMap((c) => [...c.values()]), ...(sectorDocs ? sectorDocs.values() : [])];
    const totals = counterTotals(all, ids);
    if (emitted === null) {
      emitted = new Map(totals.map((t) => [t.id, t.value]));
      emit({ type: 'snapshot', docs: totals as never[] });
      return;
    }
    const was = emitted;
    const changes = totals.filter((t) => was.get(t.id) !== t.value).map((t) => ({ type: was.has(t.id) ? ('modified' as const) : ('added' as const), doc: t as never }));
    emitted = new Map(totals.map((t) => [t.id, t.value]));
    if (changes.length > 0) emit({ type: 'changes', changes });
  };
  const stops: (() => void)[] = [];
  for (let from = 0, n = 0; from < docIds.length; from += 30, n++) {
    const chunk = n;
    stops.push(
      shardListener(
        queryOf,
        { ...spec, where: [['id', 'in', docIds.slice(from, from + 30)]] },
        meter,
        (docs) => {
          chunks[chunk] = docs;
          answered.add(chunk);
          fold();
        },
        onError,
      ),
    );
  }
  if (sectors) {
    shared = followEverySector(db, queryOf, meter, fold, onError);
    stops.push(shared.stop);
    // Another subscription's listener may have answered already.
    fold();
  }
  return () => stops.forEach((stop) => stop());
};
