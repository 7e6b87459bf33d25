import { createServer } from 'node:net';
import { FirestoreServer, FirestoreStateDocument } from '@firestore-emulator/server';
// The emulator's own protocol classes (a dependency of @firestore-emulator/server), to answer on its Listen stream.
import { ListenResponse, TargetChangeTargetChangeType } from '@firestore-emulator/proto/dist/google/firestore/v1/firestore';
import { initializeApp, deleteApp, type App } from 'firebase-admin/app';
import { getFirestore, type Firestore } from 'firebase-admin/firestore';

export const PROJECT_ID = 'demo-atende';

export const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });

type Timestamp = { seconds: number; nanos: number };
type Write = {
  has_update: boolean;
  update: { name: string };
  delete: string;
  has_current_document: boolean;
  current_document: { has_update_time: boolean; update_time: Timestamp; has_exists: boolean; exists: boolean };
};
type EmulatorDoc = { metadata: { hasExist: boolean; updatedAt: Date } };
type Handler = { func: (call: { request: { writes: Write[] } }, callback: (err: unknown, value?: unknown) => void) => void };

/**
 * @firestore-emulator/server applies a commit's writes one by one and ignores
 * `update_time` preconditions (it has no transaction locks either). Real
 * Firestore checks every precondition before applying anything; this makes
 * the emulator do the same, so the Store port's optimistic guards (and the
 * accept race) are exercised for real.
 */
const checkPreconditionsFirst = (server: FirestoreServer): void => {
  const grpc = (server as unknown as { server: { handlers: Map<string, Handler> } }).server;
  const handler = grpc.handlers.get('/google.firestore.v1.Firestore/Commit');
  if (!handler) throw new Error('the Firestore emulator has no Commit handler: its internals changed');
  const original = handler.func;
  const state = server.state as unknown as { getDocument(path: string): EmulatorDoc };
  handler.func = (call, callback) => {
    for (const w of call.request.writes) {
      if (!w.has_current_document) continue;
      const doc = state.getDocument(w.has_update ? w.update.name : w.delete);
      const c = w.current_document;
      let problem: [number, string] | null = null;
      if (c.has_exists && c.exists && !doc.metadata.hasExist) problem = [5, 'no entity to update'];
      else if (c.has_exists && !c.exists && doc.metadata.hasExist) problem = [6, 'entity already exists'];
      else if (c.has_update_time) {
        const expected = Number(c.update_time.seconds) * 1000 + Math.floor(Number(c.update_time.nanos) / 1e6);
        if (!doc.metadata.hasExist || doc.metadata.updatedAt.getTime() !== expected) problem = [9, 'the document was changed since it was read'];
      }
      if (problem) {
        callback({ code: problem[0], details: problem[1], message: problem[1], name: 'Error' });
        return;
      }
    }
    original(call, callback);
  };
};

type ListenCall = {
  on(event: 'data', f: (request: ListenRequest) => void): void;
  on(event: 'end' | 'cancelled' | 'error' | 'close', f: () => void): void;
  write(value: unknown): void;
  end(): void;
};
type ListenRequest = {
  has_add_target: boolean;
  has_remove_target: boolean;
  add_target: {
    target_id: number;
    has_documents: boolean;
    documents: { documents: string[] };
    has_query: boolean;
    query: { parent: string; structured_query: { from: { collection_id: string }[] } };
  };
  remove_target: number;
};

/** What a listen target watches: its documents' names, or `parent/collection` for a query. */
const watched = (t: ListenRequest['add_target']): string[] =>
  t.has_documents ? t.documents.documents : [`${t.query.parent}/${t.query.structured_query.from[0]?.collection_id ?? ''}`];

/** Ends matching listeners the way Firestore ends one the rules no longer allow: REMOVE with a PERMISSION_DENIED cause. */
export type Revoke = (matches: (watched: string) => boolean) => number;
type ListenState = { v1Listen(request: ListenRequest, callback: (value: unknown) => void, onEnd: (handler: () => void) => void): void };

/**
 * The emulator's Listen serves only the first request of a stream, but the
 * web SDK multiplexes every listener (and every getDoc) on one stream, adding
 * and removing targets as it goes. This serves each add_target with the
 * emulator's own query watcher, and answers remove_target.
 */
const multiplexListen = (server: FirestoreServer): Revoke => {
  const live = new Set<{ targets: Map<number, { ends: (() => void)[]; watched: string[] }>; write(v: unknown): void; drop(id: number): void }>();
  const grpc = (server as unknown as { server: { handlers: Map<string, { func: (call: ListenCall) => void }> } }).server;
  const handler = grpc.handlers.get('/google.firestore.v1.Firestore/Listen');
  if (!handler) throw new Error('the Firestore emulator has no Listen handler: its internals changed');
  const state = server.state as unknown as ListenState;
  handler.func = (call) => {
    const targets = new Map<number, { ends: (() => void)[]; watched: string[] }>();
    let open = true;
    const drop = (id: number) => {
      for (const end of targets.get(id)?.ends ?? []) end();
      targets.delete(id);
    };
    const stream = { targets, drop, write: (v: unknown) => open && call.write(v) };
    live.add(stream);
    const closeAll = () => {
      open = false;
      live.delete(stream);
      for (const id of [...targets.keys()]) drop(id);
    };
    call.on('data', (request) => {
      if (request.has_remove_target) {
        drop(request.remove_target);
        if (open) call.write(ListenResponse.fromObject({ target_change: { target_change_type: TargetChangeTargetChangeType.REMOVE, target_ids: [request.remove_target] } }));
        return;
      }
      if (!request.has_add_target) return;
      const id = request.add_target.target_id;
      drop(id);
      const entry = { ends: [] as (() => void)[], watched: watched(request.add_target) };
      targets.set(id, entry);
      state.v1Listen(
        request,
        (value) => {
          if (open && targets.get(id) === entry) call.write(value);
        },
        (end) => entry.ends.push(end),
      );
    });
    for (const event of ['end', 'cancelled', 'error', 'close'] as const) call.on(event, closeAll);
  };
  return (matches) => {
    let revoked = 0;
    for (const stream of live)
      for (const [id, t] of [...stream.targets]) {
        if (!t.watched.some(matches)) continue;
        stream.drop(id);
        stream.write(
          ListenResponse.fromObject({
            target_change: { target_change_type: TargetChangeTargetChangeType.REMOVE, target_ids: [id], cause: { code: 7, message: 'Missing or insufficient permissions.' } },
          }),
        );
        revoked++;
      }
    return revoked;
  };
};

type StateCollection = { name: string; getAllDocuments(): StateDocument[] };
type StateDocument = { collections: Record<string, StateCollection> };
type StructuredQuery = { from: { collection_id: string; all_descendants?: boolean }[] };
type QueryState = {
  v1Query(parent: string, query: StructuredQuery): unknown[];
  getProject(name: string): { getDatabase(name: string): { collections: Record<string, StateCollection> } };
  getDocument(path: string): StateDocument;
  getCollection?: (path: string) => { getAllDocuments(): StateDocument[] };
};

/**
 * @firestore-emulator/server answers a collection-group query
 * (`all_descendants`, e.g. every ticket's `messages`) from a top-level
 * collection of that name only, so it finds nothing. Real Firestore searches
 * every collection with that id under the parent; this does the same, then
 * lets the emulator filter, order and limit as usual (queries and listeners).
 */
const collectionGroups = (server: FirestoreServer): void => {
  const state = server.state as unknown as QueryState;
  const original = state.v1Query.bind(state);
  state.v1Query = (parent, query) => {
    const from = query.from[0];
    if (!from?.all_descendants) return original(parent, query);
    const docs: StateDocument[] = [];
    const walk = (collections: Record<string, StateCollection>) => {
      for (const c of Object.values(collections)) {
        const inside = c.getAllDocuments();
        if (c.name === from.collection_id) docs.push(...inside);
        for (const d of inside) walk(d.collections);
      }
    };
    const [, project, , database, , ...rest] = parent.split('/');
    walk(rest.length === 0 ? state.getProject(project!).getDatabase(database!).collections : state.getDocument(parent).collections);
    // The emulator reads the query's collection through getCollection: hand it the documents found.
    state.getCollection = () => ({ getAllDocuments: () => docs });
    try {
      return original(parent, query);
    } finally {
      delete state.getCollection;
    }
  };
};

type StateField = { type: string; value: unknown };

/**
 * The emulator reads only top-level fields in filters and orders (a dotted
 * path throws "Not implemented"); Firestore reads inside maps
 * (`delivery.dueAt`). This walks the path through map fields.
 */
const nestedFields = (): void => {
  const proto = FirestoreStateDocument.prototype as unknown as { getField(path: string): StateField | undefined; fields: Record<string, StateField> };
  const original = proto.getField;
  if ((original as { nested?: boolean }).nested) return;
  const getField = function (this: typeof proto, path: string): StateField | undefined {
    if (!path.includes('.')) return original.call(this, path);
    const [first, ...rest] = path.split('.');
    let field: StateField | undefined = this.fields[first!];
    for (const part of rest) field = field?.type === 'map_value' ? (field.value as Record<string, StateField>)[part] : undefined;
    return field;
  };
  proto.getField = Object.assign(getField, { nested: true });
};

export interface Emulator {
  host: string;
  port: number;
  server: FirestoreServer;
  app: App;
  db: Firestore;
  /** Ends matching web-SDK listeners with PERMISSION_DENIED, as the rules would. */
  revoke: Revoke;
  stop(): Promise<void>;
}

let apps = 0;

/** Starts the Node Firestore emulator on a free port, with an admin app pointed at it. */
export const startEmulator = async (): Promise<Emulator> => {
  const server = new FirestoreServer();
  checkPreconditionsFirst(server);
  collectionGroups(server);
  nestedFields();
  const revoke = multiplexListen(server);
  // One watcher per listener target: many on purpose.
  (server.state as unknown as { emitter: { setMaxListeners(n: number): void } }).emitter.setMaxListeners(0);
  const port = await freePort();
  await server.start(port);
  const host = `127.0.0.1:${port}`;
  process.env.FIRESTORE_EMULATOR_HOST = host;
  process.env.GCLOUD_PROJECT = PROJECT_ID;
  process.env.GOOGLE_CLOUD_PROJECT = PROJECT_ID;
  const app = initializeApp({ projectId: PROJECT_ID }, `test-${process.pid}-${++apps}`);
  const db = getFirestore(app);
  db.settings({ host, ssl: false, ignoreUndefinedProperties: true });
  return {
    host,
    port,
    server,
    app,
    db,
    revoke,
    stop: async () => {
      await db.terminate().catch(() => undefined);
      await deleteApp(app).catch(() => undefined);
      server.stop();
    },
  };
};
