import { z } from 'zod';
import { Id, TicketStatus, type CollectionName } from '../model/index.ts';
import { policy, type Actor, type Decision, type StaffActor } from '../policy.ts';
import { refs } from '../store/refs.ts';
import { statsRange } from '../reports/queries.ts';
import { CUSTOMER_MESSAGES_LIMIT, CUSTOMER_TICKETS_LIMIT, customerMessagesSpec, customerTicketsSpec } from './customer.ts';
import type { Doc, DocRef, QuerySpec } from '../store/types.ts';

/** What authorization may read: one document at a time (a rule's `get()`). */
export interface Reader {
  get<C extends CollectionName>(ref: DocRef<C>): Promise<Doc<C> | null>;
}

/** A live read: either a query or one document. */
export type Target = { kind: 'query'; spec: QuerySpec } | { kind: 'doc'; ref: DocRef };

export interface CatalogueQuery<P, N extends string = string, C extends CollectionName = CollectionName, PIn = P> {
  name: N;
  /** The collection whose documents it returns (the type clients get; its target must read it). */
  collection: C;
  /** Validates a client's parameters (`PIn`) into what `authorize` and `target` get (`P`). */
  params: z.ZodType<P, PIn>;
  authorize(actor: Actor, params: P, read: Reader): Decision | Promise<Decision>;
  target(params: P, actor: Actor): Target;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the catalogue holds queries of every parameter type
export type AnyQuery = CatalogueQuery<any, string, CollectionName, any>;

/** Keeps the name, collection and parameter types, so clients' subscriptions are typed (QueryName, QueryParams, QueryDoc). */
const define = <const N extends string, C extends CollectionName, P, PIn = P>(q: CatalogueQuery<P, N, C, PIn>): CatalogueQuery<P, N, C, PIn> => q;

const staff =
  <P>(check: (a: StaffActor, p: P, read: Reader) => Decision | Promise<Decision>) =>
  (a: Actor, p: P, read: Reader): Decision | Promise<Decision> =>
    a.kind === 'staff' ? check(a, p, read) : 'only staff may read this';

const SectorIds = z.array(Id).min(1).max(30);
const Limit = (max: number, dflt: number) => z.number().int().min(1).max(max).default(dflt);

/** "Rules are not filters": a sector list must be inside what the actor may see. */
const sectorsAllowed = (a: StaffActor, sectorIds: readonly string[] | undefined, scope: readonly string[] | null): Decision => {
  if (scope === null) return true;
  if (sectorIds === undefined) return 'name the sectors to list (sectorIds): you may not list every sector';
  const outside = sectorIds.filter((s) => !scope.includes(s));
  return outside.length === 0 ? true : `you are not in sector ${outside.join(', ')}`;
};

/** The history's equality filters, of which a query may carry one (see tickets.history). */
const HISTORY_NARROWING = ['assigneeId', 'classificationId', 'tagId', 'channelId'] as const;

const query = (spec: Omit<QuerySpec, 'where'> & { where: (QuerySpec['where'][number] | false)[] }): Target => ({
  kind: 'query',
  spec: { ...spec, where: spec.where.filter((w): w is QuerySpec['where'][number] => w !== false) },
});

const all = <C extends CollectionName>(collection: C, orderField = 'name') =>
  define({
    name: `${collection}.all` as const,
    collection,
    params: z.object({}).default({}),
    authorize: staff(() => true),
    target: () => query({ collection, where: [], orderBy: [[orderField, 'asc']] }),
  });

const ticketVisible = async (a: Actor, ticketId: string, read: Reader): Promise<Decision> => {
  const ticket = await read.get(refs.ticket(ticketId));
  if (!ticket) return `ticket ${ticketId} does not exist`;
  return policy.canReadTicket(a, ticket) ? true : 'you cannot see this ticket';
};

/**
 * `sectorIds: 'visible'`: every sector the actor may see, resolved when the
 * subscription is (all of them, no filter, for admins). A console's queue
 * asks this way, so it follows the person's sectors: when they change, the
 * same subscription resolves to the new list (the embedded server on the
 * reconnect it forces, the Firebase driver when the claims change).
 */
const sectorsOf = (a: Actor, sectorIds: readonly string[] | 'visible' | undefined): readonly string[] | undefined => {
  if (sectorIds !== 'visible') return sectorIds;
  return a.kind === 'staff' ? (policy.visibleSectors(a) ?? undefined) : [];
};

const byStatus = <S extends z.infer<typeof TicketStatus>>(status: S, orderField: string, dir: 'asc' | 'desc', max: number) =>
  define({
    name: `tickets.${status}` as const,
    collection: 'tickets',
    params: z.object({ sectorIds: SectorIds.or(z.literal('visible')).optional(), limit: Limit(max, Math.min(max, 2000)) }),
    authorize: staff((a, p) => {
      const sectorIds = sectorsOf(a, p.sectorIds);
      if (sectorIds?.length === 0) return 'you are in no sector';
      return sectorsAllowed(a, sectorIds, policy.visibleSectors(a));
    }),
    target: (p, a) => {
      const sectorIds = sectorsOf(a, p.sectorIds);
      return query({
        collection: 'tickets',
        where: [['status', '==', status], sectorIds !== undefined && ['sectorId', 'in', [...sectorIds]]],
        orderBy: [[orderField, dir]],
        limit: p.limit,
      });
    },
  });

/**
 * Every live query, as a typed constant: QueryName, QueryParams and QueryDoc
 * are derived from it. Keep it un-annotated (no `AnyQuery[]`): that would
 * widen every name to `string` (core/test/types.test-d.ts fails if so).
 */
export const catalogue = [
  // Esperando: oldest first, the waiting clock starts at queuedAt.
  byStatus('waiting', 'queuedAt', 'asc', 10_000),
  // Tickets in service in my sectors: the supervisor's view.
  byStatus('open', 'lastMessageAt', 'desc', 10_000),
  // Finalizados: newest first, paged.
  define({
    name: 'tickets.closed',
    collection: 'tickets',
    params: z.object({ sectorIds: SectorIds.optional(), limit: Limit(500, 100), before: z.number().int().optional() }),
    authorize: staff((a, p) => sectorsAllowed(a, p.sectorIds, policy.historySectors(a))),
    target: (p) =>
      query({
        collection: 'tickets',
        where: [['status', '==', 'closed'], p.sectorIds !== undefined && ['sectorId', 'in', p.sectorIds], p.before !== undefined && ['closedAt', '<', p.before]],
        orderBy: [['closedAt', 'desc']],
        limit: p.limit,
      }),
  }),
  // G1 Histórico: closed tickets, newest first, paged by `before` (closedAt). One range field (closedAt: the
  // date range and the page cursor together) and at most ONE narrowing equality: each combination needs its own
  // composite index, so the console sends the most selective filter it has and narrows the page by the rest.
  define({
    name: 'tickets.history',
    collection: 'tickets',
    params: z
      .object({
        sectorIds: SectorIds.optional(),
        assigneeId: Id.optional(),
        classificationId: Id.optional(),
        tagId: Id.optional(),
        channelId: Id.optional(),
        closedFrom: z.number().int().nonnegative().optional(),
        closedTo: z.number().int().nonnegative().optional(),
        before: z.number().int().optional(),
        limit: Limit(200, 50),
      })
      .superRefine((p, ctx) => {
        const narrowing = HISTORY_NARROWING.filter((k) => p[k] !== undefined);
        if (narrowing.length > 1)
          ctx.addIssue({ code: 'custom', path: [narrowing[1]!], message: `filter by one of ${HISTORY_NARROWING.join(', ')} at a time (${narrowing.join(' and ')} given)` });
      }),
    authorize: staff((a, p) => sectorsAllowed(a, p.sectorIds, policy.historySectors(a))),
    target: (p) => {
      const upper = p.closedTo !== undefined && p.before !== undefined ? Math.min(p.closedTo, p.before) : (p.closedTo ?? p.before);
      return query({
        collection: 'tickets',
        where: [
          ['status', '==', 'closed'],
          p.sectorIds !== undefined && ['sectorId', 'in', p.sectorIds],
          p.assigneeId !== undefined && ['assigneeId', '==', p.assigneeId],
          p.classificationId !== undefined && ['classificationId', '==', p.classificationId],
          p.tagId !== undefined && ['tagIds', 'array-contains', p.tagId],
          p.channelId !== undefined && ['channelId', '==', p.channelId],
          p.closedFrom !== undefined && ['closedAt', '>=', p.closedFrom],
          upper !== undefined && ['closedAt', '<', upper],
        ],
        orderBy: [['closedAt', 'desc']],
        limit: p.limit,
      });
    },
  }),
  // Em atendimento: mine.
  define({
    name: 'tickets.mine',
    collection: 'tickets',
    params: z.object({ status: z.enum(['open', 'closed']).default('open'), limit: Limit(2000, 500) }),
    authorize: staff(() => true),
    target: (p, a) =>
      query({
        collection: 'tickets',
        where: [['assigneeId', '==', (a as StaffActor).uid], ['status', '==', p.status]],
        orderBy: [['lastMessageAt', 'desc']],
        limit: p.limit,
      }),
  }),
  // B7: the contact's tickets, newest first.
  define({
    name: 'tickets.ofContact',
    collection: 'tickets',
    params: z.object({ contactId: Id, sectorIds: SectorIds.optional(), closedOnly: z.boolean().default(false), limit: Limit(100, 20) }),
    authorize: staff((a, p) => {
      if (p.closedOnly) return sectorsAllowed(a, p.sectorIds, policy.historySectors(a));
      return sectorsAllowed(a, p.sectorIds, policy.visibleSectors(a));
    }),
    target: (p) =>
      query({
        collection: 'tickets',
        where: [['contactId', '==', p.contactId], p.sectorIds !== undefined && ['sectorId', 'in', p.sectorIds], p.closedOnly && ['status', '==', 'closed']],
        orderBy: [['createdAt', 'desc']],
        limit: p.limit,
      }),
  }),
  define({
    name: 'ticket',
    collection: 'tickets',
    params: z.object({ id: Id }),
    authorize: (a, p, read) => ticketVisible(a, p.id, read),
    target: (p) => ({ kind: 'doc', ref: refs.ticket(p.id) }),
  }),
  // The thread, the last page first; older pages with `before`. `after`: only the lines created after an instant (a
  // console that held a closed ticket's copy of its newest lines hears just the lines after them: web/src/live/threadFollow.ts).
  define({
    name: 'messages.ofTicket',
    collection: 'messages',
    params: z.object({ ticketId: Id, limit: Limit(500, 100), before: z.number().int().optional(), after: z.number().int().optional() }),
    authorize: (a, p, read) => (a.kind === 'customer' ? 'use customer.messages' : ticketVisible(a, p.ticketId, read)),
    target: (p) =>
      query({
        collection: 'messages',
        parentId: p.ticketId,
        where: [p.before !== undefined && ['createdAt', '<', p.before], p.after !== undefined && ['createdAt', '>', p.after]],
        orderBy: [['createdAt', 'asc']],
        limitToLast: p.limit,
      }),
  }),
  // Firestore: the lines of the thread changed after their creating commit (`revised`), for a console that reads the
  // newest lines from the ticket's copy (`Ticket.recent`, core/src/store/threadLayout.ts). Staff only: customers read
  // their thread through `customer.messages`.
  define({
    name: 'messages.revisedOfTicket',
    collection: 'messages',
    params: z.object({ ticketId: Id, limit: Limit(500, 100) }),
    authorize: (a, p, read) => (a.kind === 'customer' ? 'use customer.messages' : ticketVisible(a, p.ticketId, read)),
    target: (p) =>
      query({
        collection: 'messages',
        parentId: p.ticketId,
        where: [['revised', '==', true]],
        orderBy: [['createdAt', 'asc']],
        limitToLast: p.limit,
      }),
  }),
  define({
    name: 'contact',
    collection: 'contacts',
    params: z.object({ id: Id }),
    authorize: staff(() => true),
    target: (p) => ({ kind: 'doc', ref: refs.contact(p.id) }),
  }),
  define({
    name: 'contacts.search',
    collection: 'contacts',
    params: z.object({ prefix: z.string().trim().min(1).max(60), limit: Limit(50, 20) }),
    authorize: staff(() => true),
    target: (p) =>
      query({
        collection: 'contacts',
        where: [['name', '>=', p.prefix], ['name', '<', `${p.prefix}\uf8ff`]],
        orderBy: [['name', 'asc']],
        limit: p.limit,
      }),
  }),
  // Tab counts. Counts are not secret: any staff member may read them.
  define({
    name: 'counters',
    collection: 'counters',
    params: z.object({ ids: z.array(z.string().min(1).max(200)).min(1).max(30) }),
    authorize: staff(() => true),
    target: (p) => query({ collection: 'counters', where: [['id', 'in', p.ids]], orderBy: [] }),
  }),
  define({
    name: 'settings',
    collection: 'settings',
    params: z.object({}).default({}),
    authorize: staff(() => true),
    target: () => ({ kind: 'doc', ref: refs.settings() }),
  }),
  all('users'),
  all('sectors'),
  all('channels'),
  all('tags'),
  all('classifications'),
  all('quickReplies', 'shortcut'),
  all('pauseReasons'),
  all('templates'),
  // The web-chat customer: their own tickets on this channel, and the customer-facing lines of a thread.
  define({
    name: 'customer.tickets',
    collection: 'tickets',
    params: z.object({}).default({}),
    authorize: (a) => (a.kind === 'customer' ? true : 'only for web-chat customers'),
    target: (_p, a) =>
      a.kind === 'customer'
        ? { kind: 'query', spec: customerTicketsSpec(a) }
        : query({ collection: 'tickets', where: [['id', '==', '']], orderBy: [['createdAt', 'desc']], limit: CUSTOMER_TICKETS_LIMIT }),
  }),
  define({
    name: 'customer.messages',
    collection: 'messages',
    params: z.object({ ticketId: Id, limit: Limit(CUSTOMER_MESSAGES_LIMIT.max, CUSTOMER_MESSAGES_LIMIT.default) }),
    authorize: async (a, p, read) => (a.kind === 'customer' ? ticketVisible(a, p.ticketId, read) : 'only for web-chat customers'),
    target: (p) => ({ kind: 'query', spec: customerMessagesSpec(p.ticketId, p.limit) }),
  }),
  // G3 Relatórios: a period's aggregates (reports/queries.ts).
  statsRange,
];

export const catalogueByName: ReadonlyMap<string, AnyQuery> = new Map(catalogue.map((q): [string, AnyQuery] => [q.name, q as AnyQuery]));

/** One of the catalogue's queries. */
export type CatalogueEntry = (typeof catalogue)[number];
/** The name of every live query: `'tickets.waiting' | 'ticket' | …`. */
export type QueryName = CatalogueEntry['name'];
type QueryNamed<Q extends QueryName> = Extract<CatalogueEntry, { name: Q }>;
/** What a client sends to subscribe to Q (before defaults). */
export type QueryParams<Q extends QueryName> = NonNullable<z.input<QueryNamed<Q>['params']>>;
/** The documents Q delivers. */
export type QueryDoc<Q extends QueryName> = Doc<QueryNamed<Q>['collection']>;
