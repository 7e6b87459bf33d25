import type { CollectionName, Collections } from '../model/index.ts';

/**
 * A reference to one document. `parentId` is set for documents that live
 * under another (messages under their ticket: `tickets/{parentId}/messages/{id}`).
 */
export interface DocRef<C extends CollectionName = CollectionName> {
  collection: C;
  id: string;
  parentId?: string;
}

export type WhereOp = '==' | '!=' | 'in' | '<' | '<=' | '>' | '>=' | 'array-contains' | 'array-contains-any';
export type Scalar = string | number | boolean | null;
export type WhereClause = readonly [field: string, op: WhereOp, value: Scalar | readonly Scalar[]];
export type OrderClause = readonly [field: string, dir: 'asc' | 'desc'];

/**
 * A Firestore-expressible query: equality and `in` filters, at most one
 * range field, ordering, and a limit from the start or the end.
 */
export interface QuerySpec<C extends CollectionName = CollectionName> {
  collection: C;
  /** For sub-collections: the parent's id. Absent means "every parent" (a collection-group query). */
  parentId?: string;
  where: readonly WhereClause[];
  orderBy: readonly OrderClause[];
  limit?: number;
  limitToLast?: number;
  /** Values of the orderBy fields to start after (pagination). */
  startAfter?: readonly Scalar[];
  /** Values of the orderBy fields to end before (paging backwards, with limitToLast). */
  endBefore?: readonly Scalar[];
}

export type Doc<C extends CollectionName> = Collections[C];

/** What the caller of a read expects: a store may use it to read less, never to answer otherwise. */
export interface ReadHint {
  /**
   * The document is almost never there, and the transaction creates it when it is not (the receipt of a provider's
   * message id: core/src/channels/received.ts). A store whose commit checks every create anyway may answer null
   * without looking, and run the transaction again should the document be there after all (SQLite).
   */
  expectAbsent?: boolean;
}

/** What a transaction can do. All reads must come before the first write (Firestore's rule). */
export interface Tx {
  /**
   * The store answers a collection-group `array-contains` query from an index (Firestore). Absent: such a query
   * would scan, so core keeps side documents instead (receipts: core/src/channels/received.ts).
   */
  readonly arrayIndexes?: boolean;
  /**
   * The store answers an equality query on any field from an index of its own (Firestore's automatic single-field
   * indexes). Absent (SQLite indexes only what core's list names): core asks only the queries those indexes serve.
   */
  readonly fieldIndexes?: boolean;
  /**
   * The store keeps a ticket life's facts on the ticket and stores them as one document when the life ends
   * (Firestore, whose writes are billed per document: core/src/reports/lifeFacts.ts). Absent: one row per fact.
   */
  readonly factsPerLife?: boolean;
  /**
   * The store keeps a thread's newest lines on its ticket, some of them nowhere else (Firestore:
   * core/src/store/threadLayout.ts): a provider key is also looked up among the keys of those lines (`Ticket.recentKeys`).
   */
  readonly threadCopies?: boolean;
  /**
   * Set when whoever runs this transaction sends the replies it creates right after the commit (the functions'
   * callable): `addOutbound` creates them already leased and names them here (core/src/outbox/state.ts).
   */
  readonly sendsOutbound?: (at: { ticketId: string; messageId: string }) => void;
  get<C extends CollectionName>(ref: DocRef<C>, hint?: ReadHint): Promise<Doc<C> | null>;
  query<C extends CollectionName>(spec: QuerySpec<C>): Promise<Doc<C>[]>;
  /** Fails with `already-exists` at commit if the document exists. */
  create<C extends CollectionName>(ref: DocRef<C>, data: Doc<C>): void;
  set<C extends CollectionName>(ref: DocRef<C>, data: Doc<C>): void;
  update<C extends CollectionName>(ref: DocRef<C>, patch: Partial<Doc<C>>): void;
  delete(ref: DocRef): void;
  /** Adds `delta` to a counter without reading it (sharded on Firestore). */
  increment(counterId: string, delta: number): void;
  /**
   * Adds numbers to the `v` map of a `stats` document without reading it,
   * creating it with `fields` on first use (sharded on Firestore: readers sum
   * the shards, see reports/report.ts).
   */
  accumulate(ref: DocRef<'stats'>, fields: Omit<Doc<'stats'>, 'id' | 'v'>, deltas: Readonly<Record<string, number>>): void;
}

/** A change a committed transaction made, for live queries. `after` null means deleted. */
export interface Change<C extends CollectionName = CollectionName> {
  ref: DocRef<C>;
  before: Doc<C> | null;
  after: Doc<C> | null;
}

export interface Store {
  transaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T>;
}

export type Clock = () => number;
export type IdGenerator = () => string;
