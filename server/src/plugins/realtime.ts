import fp from 'fastify-plugin';
import type { WebSocket } from 'ws';
import {
  CommandError,
  comparator,
  policy,
  refs,
  resolveSubscription,
  runQuery,
  type Actor,
  type Change,
  type ClientMessage,
  type DocChange,
  type DocRef,
  type ErrorBody,
  type QuerySpec,
  type Reader,
  type ServerMessage,
  type Target,
  type Ticket,
  type User,
} from '@atende/core';
import type { SqliteStore } from '../db/store.ts';

type AnyDoc = { id: string } & Record<string, unknown>;

/**
 * The live-query hub (DESIGN §6). Every distinct target (same query spec or
 * document) is evaluated once and its current result kept; a commit is
 * checked once per target and the resulting changes are sent to every
 * subscription sharing it.
 */
interface Evaluation {
  key: string;
  target: Target;
  docs: AnyDoc[];
  subs: Set<Subscription>;
}

interface Subscription {
  id: string;
  client: Client;
  evaluation: Evaluation;
  /** Set when what the subscription shows depends on being allowed to read this ticket. */
  guardTicketId: string | null;
}

interface Client {
  ws: WebSocket;
  actor: Actor;
  sessionHash: string | null;
  subs: Map<string, Subscription>;
  alive: boolean;
  /** Incremented on every subscribe/unsubscribe of an id, so a slow authorisation cannot land after a newer request. */
  generation: Map<string, number>;
}

const MAX_SUBSCRIPTIONS = 100;
/** A client this far behind is dropped; on reconnect it gets fresh snapshots. */
const MAX_BUFFERED = 32 * 1024 * 1024;
const HEARTBEAT_MS = 30_000;

const sameRef = (a: DocRef, b: DocRef) => a.collection === b.collection && a.id === b.id && (a.parentId ?? '') === (b.parentId ?? '');

const errorBody = (error: unknown): ErrorBody['error'] =>
  error instanceof CommandError
    ? { code: error.code, message: error.message, issues: error.issues }
    : { code: 'internal', message: 'Internal error', issues: [] };

/** Recomputes a query target's result after a commit; null when nothing it shows changed. */
export const nextResult = (spec: QuerySpec, current: AnyDoc[], changes: readonly Change[], requery: () => AnyDoc[]): AnyDoc[] | null => {
  const relevant = changes.filter((c) => c.ref.collection === spec.collection && (spec.parentId === undefined || c.ref.parentId === spec.parentId));
  if (relevant.length === 0) return null;
  const unbounded: QuerySpec = { ...spec, limit: undefined, limitToLast: undefined };
  const inRange = (d: AnyDoc) => runQuery(unbounded, [d]).length === 1;
  const limit = spec.limit ?? spec.limitToLast;
  const fromEnd = spec.limitToLast !== undefined;
  const wasFull = limit !== undefined && current.length >= limit;
  const held = new Set(current.map((d) => d.id));
  // The last state of each changed document in this commit.
  const latest = new Map<string, AnyDoc | null>();
  for (const c of relevant) latest.set(c.ref.id, c.after as AnyDoc | null);
  const entering: AnyDoc[] = [];
  let touched = false;
  for (const [id, after] of latest) {
    const fits = after !== null && inRange(after);
    if (fits) entering.push(after);
    if (fits || held.has(id)) touched = true;
  }
  if (!touched) return null;
  const order = comparator(spec.orderBy);
  // The current result is sorted: drop the changed documents and insert their new versions in place (no full re-sort).
  let list = current.filter((d) => !latest.has(d.id));
  for (const doc of entering) {
    let lo = 0;
    let hi = list.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (order(list[mid]!, doc) < 0) lo = mid + 1;
      else hi = mid;
    }
    list.splice(lo, 0, doc);
  }
  if (limit !== undefined) {
    list = fromEnd ? list.slice(Math.max(0, list.length - limit)) : list.slice(0, limit);
    if (wasFull) {
      // Documents beyond a full window are not held, but all of them sort beyond its old edge.
      // If the new window is short, or now reaches past that edge, one of them may belong in it.
      const oldEdge = fromEnd ? current[0]! : current.at(-1)!;
      const newEdge = fromEnd ? list[0] : list.at(-1);
      const beyond = newEdge === undefined || (fromEnd ? order(newEdge, oldEdge) < 0 : order(newEdge, oldEdge) > 0);
      if (list.length < limit || beyond) return requery();
    }
  }
  return list;
};

export const diff = (before: readonly AnyDoc[], after: readonly AnyDoc[]): DocChange[] => {
  const old = new Map(before.map((d) => [d.id, d]));
  const now = new Set(after.map((d) => d.id));
  const out: DocChange[] = [];
  for (const d of before) if (!now.has(d.id)) out.push({ type: 'removed', doc: d });
  for (const d of after) {
    const was = old.get(d.id);
    if (!was) out.push({ type: 'added', doc: d });
    // A re-read from the database yields new objects for unchanged documents: compare contents then.
    else if (was !== d && JSON.stringify(was) !== JSON.stringify(d)) out.push({ type: 'modified', doc: d });
  }
  return out;
};

/**
 * The same result as `nextResult` followed by `diff`, without re-sorting or
 * re-diffing the whole window: each changed document is taken out and put
 * back at its place by binary search. A supervisor's 10,000-ticket queue
 * otherwise costs a sort and two maps of 10,000 entries on every commit.
 */
export const applyCommit = (
  spec: QuerySpec,
  current: AnyDoc[],
  changes: readonly Change[],
  requery: () => AnyDoc[],
): { docs: AnyDoc[]; delta: DocChange[] } | null => {
  const relevant = changes.filter((c) => c.ref.collection === spec.collection && (spec.parentId === undefined || c.ref.parentId === spec.parentId));
  if (relevant.length === 0) return null;
  const unbounded: QuerySpec = { ...spec, limit: undefined, limitToLast: undefined };
  const inRange = (d: AnyDoc) => runQuery(unbounded, [d]).length === 1;
  const order = comparator(spec.orderBy);
  const limit = spec.limit ?? spec.limitToLast;
  const fromEnd = spec.limitToLast !== undefined;
  const wasFull = limit !== undefined && current.length >= limit;
  let list: AnyDoc[] | null = null;
  /** The documents this commit touched, with what the window held of them before. */
  const touched = new Map<string, AnyDoc | null>();
  for (const c of relevant) {
    const after = c.after as AnyDoc | null;
    const keep = after !== null && inRange(after);
    const from = list ?? current;
    const at = from.findIndex((d) => d.id === c.ref.id);
    if (at < 0 && !keep) continue;
    list ??= current.slice();
    if (!touched.has(c.ref.id)) touched.set(c.ref.id, at < 0 ? null : list[at]!);
    if (at >= 0) list.splice(at, 1);
    if (keep) {
      let lo = 0;
      let hi = list.length;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (order(list[mid]!, after) <= 0) lo = mid + 1;
        else hi = mid;
      }
      list.splice(lo, 0, after);
    }
  }
  if (list === null) return null;
  const delta: DocChange[] = [];
  if (limit !== undefined && list.length > limit) {
    const cut = fromEnd ? list.splice(0, list.length - limit) : list.splice(limit);
    for (const d of cut) {
      if (touched.has(d.id)) {
        const before = touched.get(d.id)!;
        if (before) delta.push({ type: 'removed', doc: before });
        touched.delete(d.id);
      } else delta.push({ type: 'removed', doc: d });
    }
  }
  if (limit !== undefined && wasFull) {
    // As in nextResult: a short window, or one reaching past its old edge, may be missing documents only the database holds.
    const oldEdge = fromEnd ? current[0]! : current.at(-1)!;
    const newEdge = fromEnd ? list[0] : list.at(-1);
    const beyond = newEdge === undefined || (fromEnd ? order(newEdge, oldEdge) < 0 : order(newEdge, oldEdge) > 0);
    if (list.length < limit || beyond) {
      const docs = requery();
      return { docs, delta: diff(current, docs) };
    }
  }
  const removed: DocChange[] = [];
  const upserted: DocChange[] = [];
  for (const [id, before] of touched) {
    const doc = list.find((d) => d.id === id);
    if (!doc) {
      if (before) removed.push({ type: 'removed', doc: before });
      continue;
    }
    if (!before) upserted.push({ type: 'added', doc });
    else if (before !== doc && JSON.stringify(before) !== JSON.stringify(doc)) upserted.push({ type: 'modified', doc });
  }
  upserted.sort((a, b) => order(a.doc as AnyDoc, b.doc as AnyDoc));
  return { docs: list, delta: [...delta, ...removed, ...upserted] };
};

export interface Hub {
  /** Serves one socket until it closes. */
  attach(ws: WebSocket, actor: Actor, sessionHash: string | null): void;
  /** Closes every socket, e.g. on shutdown. */
  closeAll(code: number, reason: string): void;
  /** Closes the sockets opened with a session that has ended. */
  closeSession(hash: string): void;
  stats(): { sockets: number; subscriptions: number; evaluations: number };
}

export interface HubOptions {
  /** Checked on every heartbeat: a socket whose session expired or was revoked is closed. */
  sessionAlive?: (sessionHash: string) => boolean;
  heartbeatMs?: number;
}

export const createHub = (store: SqliteStore, options: HubOptions = {}): Hub => {
  const evaluations = new Map<string, Evaluation>();
  /** Evaluations by what can change them, so a commit only visits the ones it may touch. */
  const byScope = new Map<string, Set<Evaluation>>();
  const scopeOf = (target: Target): string =>
    target.kind === 'doc'
      ? `doc:${target.ref.collection}/${target.ref.parentId ?? ''}/${target.ref.id}`
      : target.spec.parentId !== undefined
        ? `q:${target.spec.collection}/${target.spec.parentId}`
        : `q:${target.spec.collection}`;
  const scopesOfChange = (ref: DocRef): string[] => {
    const scopes = [`doc:${ref.collection}/${ref.parentId ?? ''}/${ref.id}`, `q:${ref.collection}`];
    if (ref.parentId !== undefined) scopes.push(`q:${ref.collection}/${ref.parentId}`);
    return scopes;
  };
  const clients = new Set<Client>();
  const guards = new Map<string, Set<Subscription>>();
  const reader: Reader = { get: async (ref) => store.get(ref) };

  const send = (client: Client, message: ServerMessage | string) => {
    if (client.ws.readyState !== client.ws.OPEN) return;
    if (client.ws.bufferedAmount > MAX_BUFFERED) {
      client.ws.close(4008, 'too slow: reconnect for a fresh snapshot');
      return;
    }
    client.ws.send(typeof message === 'string' ? message : JSON.stringify(message));
  };

  const evaluate = (target: Target): AnyDoc[] => {
    if (target.kind === 'doc') {
      const doc = store.get(target.ref) as AnyDoc | null;
      return doc ? [doc] : [];
    }
    return store.query(target.spec) as AnyDoc[];
  };

  const removeSubscription = (sub: Subscription) => {
    sub.client.subs.delete(sub.id);
    sub.evaluation.subs.delete(sub);
    if (sub.evaluation.subs.size === 0 && evaluations.get(sub.evaluation.key) === sub.evaluation) {
      evaluations.delete(sub.evaluation.key);
      const scope = byScope.get(scopeOf(sub.evaluation.target));
      scope?.delete(sub.evaluation);
      if (scope?.size === 0) byScope.delete(scopeOf(sub.evaluation.target));
    }
    if (sub.guardTicketId) {
      const set = guards.get(sub.guardTicketId);
      set?.delete(sub);
      if (set?.size === 0) guards.delete(sub.guardTicketId);
    }
  };

  const subscribe = async (client: Client, id: string, query: string, params: unknown) => {
    const generation = (client.generation.get(id) ?? 0) + 1;
    client.generation.set(id, generation);
    try {
      if (client.subs.size >= MAX_SUBSCRIPTIONS && !client.subs.has(id))
        throw new CommandError('resource-exhausted', `At most ${MAX_SUBSCRIPTIONS} live queries per connection`);
      const target = await resolveSubscription(client.actor, query, params, reader);
      if (client.generation.get(id) !== generation || client.ws.readyState !== client.ws.OPEN) return;
      const existing = client.subs.get(id);
      if (existing) removeSubscription(existing);
      // From here on everything is synchronous: no commit can slip between the snapshot and the registration.
      const key = JSON.stringify(target);
      let evaluation = evaluations.get(key);
      // A new query's rows come as the JSON text they are stored in: the snapshot is that text, joined, not
      // a re-serialisation of what was just parsed (for a 10,000-ticket queue, ~6 MB of JSON.stringify saved).
      let snapshotDocs: string | null = null;
      if (!evaluation) {
        let docs: AnyDoc[];
        if (target.kind === 'query') {
          const texts = store.queryTexts(target.spec);
          docs = texts.map((t) => JSON.parse(t) as AnyDoc);
          snapshotDocs = `[${texts.join(',')}]`;
        } else docs = evaluate(target);
        evaluation = { key, target, docs, subs: new Set() };
        evaluations.set(key, evaluation);
        const scope = scopeOf(target);
        (byScope.get(scope) ?? byScope.set(scope, new Set()).get(scope)!).add(evaluation);
      }
      const guardTicketId =
        target.kind === 'doc' && target.ref.collection === 'tickets'
          ? target.ref.id
          : target.kind === 'query' && target.spec.collection === 'messages' && target.spec.parentId !== undefined
            ? target.spec.parentId
            : null;
      if (guardTicketId) {
        // Authorisation read the ticket a few microtasks ago; a commit may have moved it since.
        const ticket = store.get(refs.ticket(guardTicketId));
        if (!ticket || !policy.canReadTicket(client.actor, ticket)) {
          if (evaluation.subs.size === 0) {
            evaluations.delete(key);
            const scope = byScope.get(scopeOf(target));
            scope?.delete(evaluation);
            if (scope?.size === 0) byScope.delete(scopeOf(target));
          }
          throw new CommandError('permission-denied', 'you cannot see this ticket');
        }
      }
      const sub: Subscription = { id, client, evaluation, guardTicketId };
      evaluation.subs.add(sub);
      client.subs.set(id, sub);
      if (guardTicketId) (guards.get(guardTicketId) ?? guards.set(guardTicketId, new Set()).get(guardTicketId)!).add(sub);
      send(client, `{"type":"snapshot","id":${JSON.stringify(id)},"docs":${snapshotDocs ?? JSON.stringify(evaluation.docs)}}`);
    } catch (error) {
      if (client.generation.get(id) !== generation) return;
      send(client, { type: 'error', id, error: errorBody(error) });
    }
  };

  const onMessage = (client: Client, raw: string) => {
    let message: ClientMessage;
    try {
      message = JSON.parse(raw) as ClientMessage;
    } catch {
      send(client, { type: 'error', id: null, error: { code: 'invalid-argument', message: 'Messages must be JSON', issues: [] } });
      return;
    }
    if (message === null || typeof message !== 'object') {
      send(client, { type: 'error', id: null, error: { code: 'invalid-argument', message: 'Messages must be JSON objects', issues: [] } });
      return;
    }
    if (message.type === 'ping') return send(client, { type: 'pong' });
    const id = (message as { id?: unknown }).id;
    if (typeof id !== 'string' || id.length === 0 || id.length > 100) {
      send(client, { type: 'error', id: null, error: { code: 'invalid-argument', message: 'A subscription needs an id (1 to 100 characters)', issues: [{ path: 'id', message: 'required' }] } });
      return;
    }
    if (message.type === 'unsubscribe') {
      client.generation.set(id, (client.generation.get(id) ?? 0) + 1);
      const sub = client.subs.get(id);
      if (sub) removeSubscription(sub);
      return;
    }
    if (message.type === 'subscribe') {
      if (typeof message.query !== 'string') {
        send(client, { type: 'error', id, error: { code: 'invalid-argument', message: 'Name a query of the catalogue', issues: [{ path: 'query', message: 'required' }] } });
        return;
      }
      void subscribe(client, id, message.query, message.params ?? {});
      return;
    }
    send(client, { type: 'error', id, error: { code: 'invalid-argument', message: 'Unknown message type', issues: [{ path: 'type', message: 'must be subscribe, unsubscribe or ping' }] } });
  };

  /** A ticket a subscription depends on changed: end the subscriptions that may no longer see it. */
  const recheckGuards = (change: Change) => {
    const subs = guards.get(change.ref.id);
    if (!subs) return;
    const ticket = change.after as Ticket | null;
    for (const sub of [...subs]) {
      if (ticket && policy.canReadTicket(sub.client.actor, ticket)) continue;
      removeSubscription(sub);
      if (sub.evaluation.target.kind === 'doc' && change.before)
        send(sub.client, { type: 'changes', id: sub.id, changes: [{ type: 'removed', doc: change.before as AnyDoc }] });
      send(sub.client, {
        type: 'error',
        id: sub.id,
        error: ticket
          ? { code: 'permission-denied', message: 'You can no longer see this ticket', issues: [] }
          : { code: 'not-found', message: 'This ticket no longer exists', issues: [] },
      });
    }
  };

  /** A staff member's role or sectors changed: their sockets reconnect and resubscribe under the new rules. */
  const recheckUser = (change: Change) => {
    const before = change.before as User | null;
    const after = change.after as User | null;
    if (!before) return;
    const same =
      after !== null &&
      after.active &&
      after.role === before.role &&
      after.seesAllHistory === before.seesAllHistory &&
      after.name === before.name &&
      JSON.stringify(after.sectorIds) === JSON.stringify(before.sectorIds);
    if (same) return;
    for (const client of clients)
      if (client.actor.kind === 'staff' && client.actor.uid === before.id) client.ws.close(4003, 'permissions changed: reconnect');
  };

  store.onCommit((changes) => {
    for (const change of changes) {
      if (change.ref.collection === 'tickets') recheckGuards(change);
      else if (change.ref.collection === 'users') recheckUser(change);
    }
    const touched = new Set<Evaluation>();
    for (const change of changes) for (const scope of scopesOfChange(change.ref)) for (const e of byScope.get(scope) ?? []) touched.add(e);
    for (const evaluation of touched) {
      let next: AnyDoc[];
      let delta: DocChange[];
      const { target } = evaluation;
      if (target.kind === 'doc') {
        const change = changes.find((c) => sameRef(c.ref, target.ref));
        if (!change) continue;
        next = change.after ? [change.after as AnyDoc] : [];
        delta = diff(evaluation.docs, next);
      } else {
        const applied = applyCommit(target.spec, evaluation.docs, changes, () => evaluate(target));
        if (applied === null) continue;
        ({ docs: next, delta } = applied);
      }
      evaluation.docs = next;
      if (delta.length === 0) continue;
      // Serialise once per evaluation, not once per socket.
      const payload = JSON.stringify(delta);
      for (const sub of evaluation.subs) send(sub.client, `{"type":"changes","id":${JSON.stringify(sub.id)},"changes":${payload}}`);
    }
  });

  const heartbeat = setInterval(() => {
    for (const client of clients) {
      if (!client.alive) {
        client.ws.terminate();
        continue;
      }
      if (client.sessionHash && options.sessionAlive && !options.sessionAlive(client.sessionHash)) {
        client.ws.close(4401, 'session ended');
        continue;
      }
      client.alive = false;
      client.ws.ping();
    }
  }, options.heartbeatMs ?? HEARTBEAT_MS);
  heartbeat.unref();

  return {
    attach(ws, actor, sessionHash) {
      const client: Client = { ws, actor, sessionHash, subs: new Map(), alive: true, generation: new Map() };
      clients.add(client);
      ws.on('pong', () => (client.alive = true));
      ws.on('message', (data, isBinary) => {
        client.alive = true;
        if (isBinary) return send(client, { type: 'error', id: null, error: { code: 'invalid-argument', message: 'Send text frames', issues: [] } });
        onMessage(client, data.toString());
      });
      ws.on('close', () => {
        clients.delete(client);
        for (const sub of [...client.subs.values()]) removeSubscription(sub);
      });
      ws.on('error', () => ws.terminate());
    },
    closeAll(code, reason) {
      clearInterval(heartbeat);
      for (const client of clients) client.ws.close(code, reason);
    },
    stats: () => ({ sockets: clients.size, subscriptions: [...clients].reduce((n, c) => n + c.subs.size, 0), evaluations: evaluations.size }),
    closeSession(hash: string) {
      for (const client of clients) if (client.sessionHash === hash) client.ws.close(4401, 'signed out');
    },
  };
};

export default fp<{ heartbeatMs?: number }>(
  async (app, opts) => {
    const hub = createHub(app.store, { sessionAlive: (hash) => app.auth.sessionAlive(hash), heartbeatMs: opts.heartbeatMs });
    app.decorate('hub', hub);
    app.auth.onSessionEnd((hash) => hub.closeSession(hash));
    app.addHook('preClose', async () => hub.closeAll(1001, 'server shutting down'));
  },
  { name: 'realtime', dependencies: ['db', 'auth'] },
);
