/**
 * Every index Atende's queries need, once, for both backends (issue 9,
 * point 5). `firestore.indexes.json` is generated from this list
 * (`npm run indexes`; functions/test/indexes.test.ts fails when the file
 * differs or a query lacks its composite index), and the embedded server
 * creates the SQLite ones at start (server/src/db/indexes.ts;
 * server/test/queryPlans.test.ts fails when a query scans a whole table).
 *
 * A field is `[path, 'asc' | 'desc' | 'contains']`; `parent` is the
 * subcollection's parent (messages → its ticket), `id` the document id.
 * Firestore serves single-field queries by itself, and SQLite cannot index
 * inside arrays, hence `on`.
 */
import type { CollectionName } from '../model/index.ts';

export type IndexField = readonly [path: string, order: 'asc' | 'desc' | 'contains'];
export interface IndexDef {
  /** A collection, or `customerTickets` / `queue` (Firestore only: the web-chat customer's projection of their tickets, Esperando's entries). */
  collection: CollectionName | 'customerTickets' | 'queue';
  fields: readonly IndexField[];
  on: readonly ('firestore' | 'sqlite')[];
  /**
   * Only documents where this field holds a string or a number are indexed (SQLite: a partial index; Firestore's indexes
   * hold only documents that have their fields anyway). For fields most documents leave null: no index entry to write
   * for them, and a query comparing the field with a value is still served.
   */
  sparse?: string;
}

const both = ['firestore', 'sqlite'] as const;
const firestore = ['firestore'] as const;
const sqlite = ['sqlite'] as const;
const ix = (collection: IndexDef['collection'], on: IndexDef['on'], ...fields: IndexField[]): IndexDef => ({ collection, fields, on });
const sparse = (def: IndexDef, field: string): IndexDef => ({ ...def, sparse: field });

export const INDEXES: readonly IndexDef[] = [
  // ── Tickets: the three queues (Esperando by arrival, Em atendimento and Finalizados by activity) ──
  // A supervisor's or an admin's Esperando (several sectors, or all) comes out in arrival order, no sort of 10,000 rows.
  ix('tickets', sqlite, ['status', 'asc'], ['queuedAt', 'asc']),
  ix('tickets', sqlite, ['status', 'asc'], ['sectorId', 'asc'], ['queuedAt', 'asc']),
  // On Firestore Esperando reads the queue's entries (core/src/store/queueLayout.ts) with the same query.
  ix('queue', firestore, ['status', 'asc'], ['queuedAt', 'asc']),
  ix('queue', firestore, ['status', 'asc'], ['sectorId', 'asc'], ['queuedAt', 'asc']),
  ix('tickets', firestore, ['status', 'asc'], ['lastMessageAt', 'desc']),
  ix('tickets', firestore, ['status', 'asc'], ['sectorId', 'asc'], ['lastMessageAt', 'desc']),
  ix('tickets', both, ['assigneeId', 'asc'], ['status', 'asc'], ['lastMessageAt', 'desc']),
  // ── Tickets: the automation tick asks only for those due (auto-close, warnings, abandoned; core/src/automation/idle.ts) ──
  ix('tickets', both, ['idle', 'asc'], ['lastMessageAt', 'asc']),
  // ── Tickets: Histórico (closed, newest first, by every filter the page offers) ──
  ix('tickets', firestore, ['status', 'asc'], ['closedAt', 'desc']),
  ix('tickets', both, ['status', 'asc'], ['sectorId', 'asc'], ['closedAt', 'desc']),
  ix('tickets', firestore, ['status', 'asc'], ['assigneeId', 'asc'], ['closedAt', 'desc']),
  ix('tickets', firestore, ['status', 'asc'], ['sectorId', 'asc'], ['assigneeId', 'asc'], ['closedAt', 'desc']),
  ix('tickets', firestore, ['status', 'asc'], ['classificationId', 'asc'], ['closedAt', 'desc']),
  ix('tickets', firestore, ['status', 'asc'], ['sectorId', 'asc'], ['classificationId', 'asc'], ['closedAt', 'desc']),
  ix('tickets', firestore, ['status', 'asc'], ['channelId', 'asc'], ['closedAt', 'desc']),
  ix('tickets', firestore, ['status', 'asc'], ['sectorId', 'asc'], ['channelId', 'asc'], ['closedAt', 'desc']),
  ix('tickets', firestore, ['status', 'asc'], ['tagIds', 'contains'], ['closedAt', 'desc']),
  ix('tickets', firestore, ['status', 'asc'], ['sectorId', 'asc'], ['tagIds', 'contains'], ['closedAt', 'desc']),
  ix('tickets', sqlite, ['closedAt', 'asc']),
  // ── Tickets: a contact's earlier tickets, and the one still open on a channel ──
  ix('tickets', firestore, ['contactId', 'asc'], ['createdAt', 'desc']),
  ix('tickets', firestore, ['contactId', 'asc'], ['sectorId', 'asc'], ['createdAt', 'desc']),
  ix('tickets', firestore, ['contactId', 'asc'], ['status', 'asc'], ['createdAt', 'desc']),
  ix('tickets', firestore, ['contactId', 'asc'], ['sectorId', 'asc'], ['status', 'asc'], ['createdAt', 'desc']),
  ix('tickets', firestore, ['contactId', 'asc'], ['channelId', 'asc'], ['createdAt', 'desc']),
  ix('tickets', firestore, ['contactId', 'asc'], ['channelId', 'asc'], ['status', 'asc'], ['closedAt', 'desc']),
  ix('tickets', sqlite, ['contactId', 'asc'], ['channelId', 'asc'], ['status', 'asc']),
  // ── Messages: a thread in order, a retried send by its client id, the customer's last words ──
  ix('messages', sqlite, ['parent', 'asc'], ['createdAt', 'asc']),
  // Only the staff's messages carry a client id: customers' messages (most of them) are not in this index.
  sparse(ix('messages', sqlite, ['parent', 'asc'], ['clientId', 'asc'], ['id', 'asc']), 'clientId'),
  ix('messages', firestore, ['direction', 'asc'], ['createdAt', 'desc']),
  // Deliveries due (core/src/outbox/state.ts `dueDeliveries`): every ticket's messages; on Firestore a collection-group
  // single-field index (FIELD_OVERRIDES below).
  sparse(ix('messages', sqlite, ['delivery.dueAt', 'asc']), 'delivery.dueAt'),
  // The lines changed after their creation (`messages.revisedOfTicket`: Firestore's consoles read the newest lines from the
  // ticket's copy, core/src/store/threadLayout.ts). limitToLast runs newest first. SQLite serves it on (parent, createdAt).
  ix('messages', firestore, ['revised', 'asc'], ['createdAt', 'desc']),
  // ── The web-chat widget on Firebase (core/src/queries/customer.ts): the projection of the customer's tickets, newest first
  //    and changed since a round; a thread's customer lines from a time on ──
  ix('customerTickets', firestore, ['contactId', 'asc'], ['channelId', 'asc'], ['createdAt', 'desc']),
  ix('customerTickets', firestore, ['contactId', 'asc'], ['channelId', 'asc'], ['updatedAt', 'asc']),
  ix('messages', firestore, ['direction', 'asc'], ['createdAt', 'asc']),
  // ── Everything else that is looked up by a field ──
  ix('contacts', sqlite, ['name', 'asc']),
  ix('users', sqlite, ['presence', 'asc']),
  ix('channels', sqlite, ['account.id', 'asc']),
  ix('presenceEvents', sqlite, ['userId', 'asc'], ['at', 'asc']),
  ix('presenceEvents', sqlite, ['at', 'asc']),
  ix('stats', both, ['period', 'asc'], ['key', 'asc']),
  ix('stats', both, ['period', 'asc'], ['sectorId', 'asc'], ['key', 'asc']),
  ix('facts', sqlite, ['at', 'asc']),
  ix('copilotExamples', sqlite, ['closedAt', 'asc']),
  // WhatsApp: a channel's templates (template.sync), a contact by number (conversation.start).
  ix('templates', sqlite, ['channelId', 'asc']),
  ix('contacts', sqlite, ['phone', 'asc']),
];

/**
 * The fields the embedded server keeps in columns of their own beside the
 * document (every field a SQLite index of this list names, `id` and `parent`
 * aside): its indexes are on those columns, so writing a document rewrites
 * only the indexes whose fields changed (server/src/db/columns.ts).
 */
export const sqliteColumns = (collection: CollectionName): string[] => [
  ...new Set(
    INDEXES.filter((i) => i.collection === collection && i.on.includes('sqlite')).flatMap((i) =>
      i.fields.map(([path]) => path).filter((path) => path !== 'id' && path !== 'parent'),
    ),
  ),
];

/** Single-field index exceptions: `stats.v` not indexed at all (thousands of keys); `messages.delivery.dueAt` and `messages.providerKeys` also for collection-group queries. */
export const FIELD_OVERRIDES = [
  { collectionGroup: 'stats', fieldPath: 'v', indexes: [] as never[] },
  // The scheduled retries ask every ticket's messages for due deliveries: a collection-group scope Firestore does not add by itself.
  {
    collectionGroup: 'messages',
    fieldPath: 'delivery.dueAt',
    indexes: [
      { order: 'ASCENDING', queryScope: 'COLLECTION' },
      { order: 'DESCENDING', queryScope: 'COLLECTION' },
      { order: 'ASCENDING', queryScope: 'COLLECTION_GROUP' },
    ],
  },
  // A provider's message id finds its message in any thread (core/src/channels/received.ts): a repeated webhook, a status, a quote.
  {
    collectionGroup: 'messages',
    fieldPath: 'providerKeys',
    indexes: [
      { arrayConfig: 'CONTAINS', queryScope: 'COLLECTION' },
      { arrayConfig: 'CONTAINS', queryScope: 'COLLECTION_GROUP' },
    ],
  },
] as const;

/** firestore.indexes.json, as `firebase deploy` reads it. */
export const firestoreIndexes = () => ({
  indexes: INDEXES.filter((i) => i.on.includes('firestore')).map((i) => ({
    collectionGroup: i.collection,
    queryScope: 'COLLECTION',
    fields: i.fields.map(([fieldPath, order]) => (order === 'contains' ? { fieldPath, arrayConfig: 'CONTAINS' } : { fieldPath, order: order === 'asc' ? 'ASCENDING' : 'DESCENDING' })),
  })),
  fieldOverrides: FIELD_OVERRIDES,
});
