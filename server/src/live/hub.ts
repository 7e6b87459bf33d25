import type { Socket } from 'node:net';
import type { WebSocket } from 'ws';
import {
  CommandError,
  LIMITS,
  applyCommit,
  customerTicketView,
  diff,
  policy,
  refs,
  resolveSubscription,
  type Actor,
  type AnyDoc,
  type Change,
  type ClientMessage,
  type DocChange,
  type DocRef,
  type ErrorBody,
  type Reader,
  type ServerMessage,
  type Target,
  type Ticket,
  type User,
} from '@atende/core';
import type { SqliteStore } from '../db/store.ts';

/**
 * Collections whose documents are large (a report aggregate holds thousands of numbers) and whose
 * queries never fill their window: the hub keeps an outline of each (id and the fields the query filters
 * and orders on), enough for the window maths; commits bring the full documents the changes carry.
 */
const OUTLINED = new Set(['stats']);

const outline = (id: string, fields: readonly string[], values: readonly unknown[]): AnyDoc => {
  const doc: AnyDoc = { id };
  fields.forEach((path, i) => {
    if (values[i] === undefined) return;
    const keys = path.split('.');
    let at: Record<string, unknown> = doc;
    for (const k of keys.slice(0, -1)) at = (at[k] ??= {}) as Record<string, unknown>;
    at[keys.at(-1)!] = values[i];
  });
  return doc;
};

/**
 * The live-query hub (DESIGN §6). Every distinct target (same query spec or
 * document) is evaluated once and its current result kept; a commit is
 * checked once per target and the resulting changes are sent to every
 * subscription sharing it.
 */
interface Evaluation {
  key: string;
  /** What its subscribers are shown of each document (a customer sees a projection of their tickets). */
  project: ((doc: AnyDoc) => Record<string, unknown>) | null;
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

/** The TCP socket under a WebSocket (ws keeps it as `_socket`). */
const socketOf = (client: Client): Pick<Socket, 'cork' | 'uncork'> | undefined => (client.ws as unknown as { _socket?: Socket })._socket;

interface Client {
  ws: WebSocket;
  actor: Actor;
  sessionHash: string | null;
  subs: Map<string, Subscription>;
  alive: boolean;
  /**
   * Subscriptions waiting for their authorisation, each with a token: a newer
   * subscribe or an unsubscribe of the id replaces or drops it, so a slow
   * authorisation cannot land after a newer request. Only ids in flight are
   * kept (at most LIMITS.live.maxPending): an unsubscribe of an unknown id
   * leaves nothing behind.
   */
  pending: Map<string, object>;
  /** Who the socket belongs to (a staff or widget session): bounds the sockets per session. */
  owner: string | null;
  /** Frames received in the current one-second window, and when it began. */
  frames: number;
  frameWindowAt: number;
  /** Set while the socket is not read, having sent too many frames this second. */
  resumeTimer: ReturnType<typeof setTimeout> | null;
}

const { maxSubscriptions: MAX_SUBSCRIPTIONS, maxPending: MAX_PENDING, maxBufferedBytes: MAX_BUFFERED } = LIMITS.live;

const sameRef = (a: DocRef, b: DocRef) => a.collection === b.collection && a.id === b.id && (a.parentId ?? '') === (b.parentId ?? '');

const errorBody = (error: unknown): ErrorBody['error'] =>
  error instanceof CommandError
    ? { code: error.code, message: error.message, issues: error.issues }
    : { code: 'internal', message: 'Internal error', issues: [] };

export interface Hub {
  /**
   * Serves one socket until it closes. `sessionHash` is the staff session it
   * was opened with (re-checked on every heartbeat); `owner` names the staff or
   * widget session, which may hold at most LIMITS.live.maxSocketsPerSession sockets.
   */
  attach(ws: WebSocket, actor: Actor, opened: { sessionHash: string | null; owner: string | null }): void;
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
  /** Frames per second a socket is read at (default LIMITS.live.maxFramesPerSecond). */
  maxFramesPerSecond?: number;
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
  /** Open sockets per owning session. */
  const owners = new Map<string, number>();
  const guards = new Map<string, Set<Subscription>>();
  const reader: Reader = { get: async (ref) => store.get(ref) };

  // The frames of one turn (a group commit's transactions) leave each socket in one write, not one system call each.
  const corked = new Set<Client>();
  const uncorkAll = () => {
    for (const client of corked) socketOf(client)?.uncork();
    corked.clear();
  };
  const send = (client: Client, message: ServerMessage | string) => {
    if (client.ws.readyState !== client.ws.OPEN) return;
    if (client.ws.bufferedAmount > MAX_BUFFERED) {
      client.ws.close(4008, 'too slow: reconnect for a fresh snapshot');
      return;
    }
    if (!corked.has(client)) {
      const socket = socketOf(client);
      if (socket) {
        if (corked.size === 0) process.nextTick(uncorkAll);
        socket.cork();
        corked.add(client);
      }
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
    if (client.subs.size >= MAX_SUBSCRIPTIONS && !client.subs.has(id))
      return send(client, { type: 'error', id, error: errorBody(new CommandError('resource-exhausted', `At most ${MAX_SUBSCRIPTIONS} live queries per connection`)) });
    if (client.pending.size >= MAX_PENDING && !client.pending.has(id))
      return send(client, { type: 'error', id, error: errorBody(new CommandError('resource-exhausted', `At most ${MAX_PENDING} subscriptions waiting at once`)) });
    const token = {};
    client.pending.set(id, token);
    /** Whether this request is still the newest for its id; the first call also ends its wait. */
    const current = () => {
      if (client.pending.get(id) !== token) return false;
      client.pending.delete(id);
      return true;
    };
    let target: Target;
    try {
      target = await resolveSubscription(client.actor, query, params, reader);
    } catch (error) {
      if (current()) send(client, { type: 'error', id, error: errorBody(error) });
      return;
    }
    if (!current() || client.ws.readyState !== client.ws.OPEN) return;
    try {
      const existing = client.subs.get(id);
      if (existing) removeSubscription(existing);
      // From here on everything is synchronous: no commit can slip between the snapshot and the registration.
      // A customer's tickets are shown as core's customer-facing projection, never shared with a staff evaluation.
      const project =
        client.actor.kind === 'customer' && (target.kind === 'query' ? target.spec.collection : target.ref.collection) === 'tickets' ? customerTicketView : null;
      const key = `${project ? 'customer:' : ''}${JSON.stringify(target)}`;
      let evaluation = evaluations.get(key);
      // A new query's rows come as the JSON text they are stored in: the snapshot is that text, joined, not
      // a re-serialisation of what was just parsed (for a 10,000-ticket queue, ~6 MB of JSON.stringify saved).
      let snapshotDocs: string | null = null;
      if (!evaluation) {
        let docs: AnyDoc[];
        if (target.kind === 'query' && !project && OUTLINED.has(target.spec.collection)) {
          // Large documents whose queries never fill their window: the hub keeps only what places them.
          const fields = [...new Set([...target.spec.where.map(([f]) => f), ...target.spec.orderBy.map(([f]) => f)])].filter((f) => f !== 'id');
          const rows = store.queryTextsWith(target.spec, fields);
          docs = rows.map((r) => outline(r.id, fields, r.values));
          snapshotDocs = `[${rows.map((r) => r.text).join(',')}]`;
        } else if (target.kind === 'query' && !project) {
          const texts = store.queryTexts(target.spec);
          docs = texts.map((t) => JSON.parse(t) as AnyDoc);
          snapshotDocs = `[${texts.join(',')}]`;
        } else docs = evaluate(target);
        evaluation = { key, project, target, docs, subs: new Set() };
        evaluations.set(key, evaluation);
        const scope = scopeOf(target);
        (byScope.get(scope) ?? byScope.set(scope, new Set()).get(scope)!).add(evaluation);
      } else if (target.kind === 'query' && !project && OUTLINED.has(target.spec.collection)) {
        // The evaluation keeps outlines only: a subscriber joining it reads the full documents.
        snapshotDocs = `[${store.queryTexts(target.spec).join(',')}]`;
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
      const shown = snapshotDocs ?? JSON.stringify(project ? evaluation.docs.map(project) : evaluation.docs);
      send(client, `{"type":"snapshot","id":${JSON.stringify(id)},"docs":${shown}}`);
    } catch (error) {
      send(client, { type: 'error', id, error: errorBody(error) });
    }
  };

  /**
   * Counts a frame; a socket over its frames per second stops being read
   * until the second is over (TCP pushes back on the sender). Nothing is
   * dropped or closed: a client resubscribing after a reconnect is only slowed.
   */
  const maxFrames = options.maxFramesPerSecond ?? LIMITS.live.maxFramesPerSecond;
  const countFrame = (client: Client) => {
    const now = Date.now();
    if (now - client.frameWindowAt >= 1000) {
      client.frameWindowAt = now;
      client.frames = 0;
    }
    if (++client.frames <= maxFrames || client.resumeTimer) return;
    client.ws.pause();
    client.resumeTimer = setTimeout(() => {
      client.resumeTimer = null;
      client.frames = 0;
      client.frameWindowAt = Date.now();
      if (client.ws.readyState === client.ws.OPEN) client.ws.resume();
    }, Math.max(1, client.frameWindowAt + 1000 - now));
    client.resumeTimer.unref();
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
    if (typeof id !== 'string' || id.length === 0 || id.length > LIMITS.live.maxIdLength) {
      send(client, { type: 'error', id: null, error: { code: 'invalid-argument', message: `A subscription needs an id (1 to ${LIMITS.live.maxIdLength} characters)`, issues: [{ path: 'id', message: 'required' }] } });
      return;
    }
    if (message.type === 'unsubscribe') {
      client.pending.delete(id);
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
        send(sub.client, { type: 'changes', id: sub.id, changes: [{ type: 'removed', doc: sub.evaluation.project ? sub.evaluation.project(change.before as AnyDoc) : (change.before as AnyDoc) }] });
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
      const payload = JSON.stringify(evaluation.project ? delta.map((c) => ({ type: c.type, doc: evaluation.project!(c.doc as AnyDoc) })) : delta);
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
  }, options.heartbeatMs ?? LIMITS.live.heartbeatMs);
  heartbeat.unref();

  return {
    attach(ws, actor, { sessionHash, owner }) {
      if (owner !== null && (owners.get(owner) ?? 0) >= LIMITS.live.maxSocketsPerSession) {
        ws.close(1008, `at most ${LIMITS.live.maxSocketsPerSession} connections per session`);
        return;
      }
      const client: Client = { ws, actor, sessionHash, owner, subs: new Map(), alive: true, pending: new Map(), frames: 0, frameWindowAt: Date.now(), resumeTimer: null };
      clients.add(client);
      if (owner !== null) owners.set(owner, (owners.get(owner) ?? 0) + 1);
      ws.on('pong', () => (client.alive = true));
      ws.on('message', (data, isBinary) => {
        client.alive = true;
        countFrame(client);
        if (isBinary) return send(client, { type: 'error', id: null, error: { code: 'invalid-argument', message: 'Send text frames', issues: [] } });
        onMessage(client, data.toString());
      });
      ws.on('close', () => {
        if (!clients.delete(client)) return;
        client.pending.clear();
        if (client.resumeTimer) clearTimeout(client.resumeTimer);
        if (owner !== null) {
          const left = (owners.get(owner) ?? 1) - 1;
          if (left > 0) owners.set(owner, left);
          else owners.delete(owner);
        }
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
