import { createServer } from 'node:net';
import { FirestoreServer } from '@firestore-emulator/server';
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

export interface Emulator {
  host: string;
  port: number;
  server: FirestoreServer;
  app: App;
  db: Firestore;
  stop(): Promise<void>;
}

let apps = 0;

/** Starts the Node Firestore emulator on a free port, with an admin app pointed at it. */
export const startEmulator = async (): Promise<Emulator> => {
  const server = new FirestoreServer();
  checkPreconditionsFirst(server);
  const port = await freePort();
  await server.start(port);
  const host = `127.0.0.1:${port}`;
  process.env.FIRESTORE_EMULATOR_HOST = host;
  process.env.GCLOUD_PROJECT = PROJECT_ID;
  const app = initializeApp({ projectId: PROJECT_ID }, `test-${process.pid}-${++apps}`);
  const db = getFirestore(app);
  db.settings({ host, ssl: false, ignoreUndefinedProperties: true });
  return {
    host,
    port,
    server,
    app,
    db,
    stop: async () => {
      await db.terminate().catch(() => undefined);
      await deleteApp(app).catch(() => undefined);
      server.stop();
    },
  };
};
