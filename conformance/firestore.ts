/**
 * Harness (2): Firebase without the Firebase emulators. Firestore is
 * @firestore-emulator/server (Firestore's gRPC API in Node, no rules, no
 * auth), started in-process; the data goes through the Firestore Store
 * port; commands go over HTTP to the real `command` function of
 * functions/src/index.ts (firebase-functions' own onCall wrapper, hosted by
 * express, ID tokens decoded unverified as the Functions emulator does);
 * live queries are the SPA's Firebase driver on the web SDK, under Node.
 *
 * What stands in for Google's services: Firebase Auth (sign-in and custom
 * claims are kept in memory, set by the real claims-sync handler), and the
 * trigger runtime (admin listeners call the message-delivery and users handlers).
 */
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import express from 'express';
import { FieldValue } from 'firebase-admin/firestore';
import { initializeApp as initializeWebApp, deleteApp as deleteWebApp, type FirebaseApp } from 'firebase/app';
import { connectFirestoreEmulator, getFirestore as getWebFirestore, terminate } from 'firebase/firestore';
import Fastify from 'fastify';
import multipart from '@fastify/multipart';
import { commandRegistry, createIdGenerator, decodeTimes, executeCommand, seedDemo, SYSTEM, DEMO_PASSWORD, DEMO_WHATSAPP, type PresenceEvent, type User } from '@atende/core';
import { FakeWhatsApp, fakeGraphRoutes } from '../server/src/simulator/fakeGraph.ts';
import { createFirebaseBackend, type AuthPort, type AuthSession, type CallCommand } from '../web/src/backend/firebase.ts';
import type { Backend } from '../web/src/backend/types.ts';
import type { Meter } from '../web/src/backend/firebaseSubscriptions.ts';
import { handleMessageWritten, handleUserWritten, handleWebhook, storeOf, type AuthAdmin, type Deps } from '../functions/src/handlers.ts';
import type { Carriers } from '../functions/src/outbox.ts';
import { onMessageWritten } from './messageTrigger.ts';
import { useDeps } from '../functions/src/admin.ts';
import { PROJECT_ID, startEmulator, type Emulator } from '../functions/test/support/emulator.ts';
import { startFirestoreRest, type FirestoreRestServer } from '../functions/test/support/firestoreRest.ts';
import type { PresenceHarness } from './presence.ts';
import { handlePresenceSweep } from '../functions/src/presence.ts';

/** Firebase Auth's custom claims, in memory. */
export class MemoryAuth implements AuthAdmin {
  readonly claims = new Map<string, Record<string, unknown> | null>();
  readonly accounts = new Map<string, { email: string; disabled: boolean }>();
  /** Passwords an admin set (`user.setPassword`); the demo password otherwise. */
  readonly passwords = new Map<string, string>();
  async setPassword(uid: string, password: string) {
    this.passwords.set(uid, password);
  }
  async getClaims(uid: string) {
    return this.claims.get(uid) ?? null;
  }
  async setClaims(uid: string, claims: Record<string, unknown> | null) {
    this.claims.set(uid, claims);
  }
  async ensureUser(user: Pick<User, 'id' | 'email' | 'name' | 'active'>) {
    this.accounts.set(user.id, { email: user.email, disabled: !user.active });
  }
  /** Accounts whose refresh tokens were revoked, in order. */
  readonly revoked: string[] = [];
  private tick = 0;
  private readonly revokedAt = new Map<string, number>();
  async revokeSessions(uid: string) {
    this.revoked.push(uid);
    this.revokedAt.set(uid, ++this.tick);
  }
  /** A sign-in's place in time, for `isRevoked`. */
  signedIn(): number {
    return ++this.tick;
  }
  /** Whether the account's sessions were revoked after that sign-in: Firebase Auth then refuses to refresh its token. */
  isRevoked(uid: string, signedInAt: number): boolean {
    return (this.revokedAt.get(uid) ?? 0) > signedInAt;
  }
}

const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
/** An unsigned ID token, as the Auth emulator issues: firebase-functions decodes it without verifying in debug mode. */
export const unsignedIdToken = (uid: string, claims: Record<string, unknown>) =>
  `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ sub: uid, user_id: uid, aud: PROJECT_ID, iat: Math.floor(Date.now() / 1000), ...claims })}.`;

export interface FirestoreHarness extends PresenceHarness {
  emulator: Emulator;
  /** Meta's Graph API and the customer's phone (the simulator's fake), posting to the `webhooks` function. */
  phone: FakeWhatsApp;
  deps: Deps;
  auth: MemoryAuth;
  /** Calls the command function over HTTP with the ID token of this session (none when null). */
  callAs(caller: () => AuthSession | null): CallCommand;
  /** Where the real `command` function (firebase-functions' onCall) answers over HTTP. */
  commandUrl: string;
  /** Firestore's REST API in front of the emulator (the driver reads the user's document there at sign-in). */
  firestoreRest: FirestoreRestServer;
  /** Resolves when the simulated triggers have handled everything written so far. */
  settled(): Promise<void>;
  /** `meter`: told what each listener snapshot costs as Firestore bills it (the driver's option, as the bench counts). */
  signIn(email: string, password?: string, options?: { meter?: Meter }): Promise<Backend>;
}

/** `carriers`: the outbox trigger's senders (none by default: web chat needs none; the channel suite plugs Instagram and e-mail). */
export const firestoreHarness = async (options: { carriers?: (deps: Deps) => Carriers } = {}): Promise<FirestoreHarness> => {
  const emulator = await startEmulator();
  // Read by firebase-functions when it loads: accept the unsigned tokens above.
  process.env.FIREBASE_DEBUG_MODE = 'true';
  process.env.FIREBASE_DEBUG_FEATURES = JSON.stringify({ skipTokenVerification: true });
  const functions = await import('../functions/src/index.ts');

  const auth = new MemoryAuth();
  // Cloud Storage: signed URLs are plain URLs on this harness's HTTP server, objects live in memory.
  const objects = new Map<string, { type: string; bytes: Buffer }>();
  let storageBase = '';
  const deps: Deps = {
    db: emulator.db,
    auth,
    clock: Date.now,
    newId: createIdGenerator(),
    signUpload: async (path) => `${storageBase}/${path}?signed=write`,
    signDownload: async (path) => `${storageBase}/${path}?signed=read`,
    copyObject: async (from, to) => {
      const o = objects.get(from);
      if (o) objects.set(to, o);
      return o !== undefined;
    },
  };
  // The deployed `command` function runs on these dependencies.
  useDeps(deps);
  await seedDemo({ store: storeOf(emulator.db), clock: deps.clock, newId: deps.newId });

  // The trigger runtime: users → claims, a message's writes → its delivery. Each handler call is tracked so tests can wait for them.
  const pending = new Set<Promise<unknown>>();
  const track = (p: Promise<unknown>) => {
    pending.add(p);
    void p.catch((e: unknown) => console.error('trigger failed', e)).finally(() => pending.delete(p));
  };
  const stops: (() => void)[] = [];
  const firstUsers = new Promise<void>((resolve) => {
    const stop = emulator.db.collection('users').onSnapshot((snap) => {
      for (const c of snap.docChanges()) track(handleUserWritten(deps, c.doc.id, c.type === 'removed' ? null : decodeTimes('users', c.doc.data() as User)));
      resolve();
    });
    stops.push(stop);
  });
  stops.push(
    onMessageWritten(emulator.db, (at, before, after) => track(handleMessageWritten(deps, at, before, after, options.carriers?.(deps)))),
  );
  const settled = async () => {
    await new Promise((r) => setTimeout(r, 50));
    while (pending.size > 0) await Promise.allSettled([...pending]);
  };
  await firstUsers;
  await settled();

  const http = express();
  http.put('/storage/*path', express.raw({ type: () => true, limit: '20mb' }), (req, res) => {
    objects.set(req.path.slice('/storage/'.length), { type: String(req.headers['content-type'] ?? ''), bytes: req.body as Buffer });
    res.status(200).end();
  });
  // The `webhooks` function (Hosting's /webhooks/whatsapp), on the raw bytes Meta signed.
  http.post('/webhooks/whatsapp', express.raw({ type: () => true, limit: '2mb' }), (req, res) => {
    const request = { method: 'POST', path: '/whatsapp', query: {}, headers: req.headers, rawBody: req.body as Buffer };
    handleWebhook(deps, { whatsapp: { appSecret: '', verifyToken: '' } }, request).then(
      (r) => res.status(r.status).json(r.body),
      (e: unknown) => {
        console.error('webhook failed', e);
        res.status(500).end();
      },
    );
  });
  http.use(express.json());
  http.post('/command', (req, res) => functions.command(req as never, res as never));
  http.post('/copilot', (req, res) => functions.copilot(req as never, res as never));
  const server: Server = await new Promise((resolve) => {
    const s = http.listen(0, '127.0.0.1', () => resolve(s));
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/command`;
  storageBase = `http://127.0.0.1:${(server.address() as AddressInfo).port}/storage`;

  // Meta's side: the simulator's fake Graph API, which the outbox carriers and template.sync call (ATENDE_WHATSAPP_GRAPH_URL).
  const graph = Fastify();
  const phone = new FakeWhatsApp({
    numbers: DEMO_WHATSAPP.numbers.map((n) => ({ phoneNumberId: n.phoneNumberId, wabaId: DEMO_WHATSAPP.wabaId, accessToken: DEMO_WHATSAPP.secrets.accessToken, display: n.display })),
    appSecret: DEMO_WHATSAPP.secrets.appSecret,
    webhookUrl: () => `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks/whatsapp`,
    baseUrl: () => `http://127.0.0.1:${(graph.server.address() as AddressInfo).port}/v23.0`,
    clock: Date.now,
  });
  await graph.register(multipart);
  await graph.register(fakeGraphRoutes(phone), { prefix: '/v23.0' });
  await graph.listen({ port: 0, host: '127.0.0.1' });
  process.env.ATENDE_WHATSAPP_GRAPH_URL = phone.options.baseUrl();

  const callAs = (caller: () => AuthSession | null): CallCommand => async (name, input) => {
    const who = caller();
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(who && { authorization: `Bearer ${unsignedIdToken(who.uid, who.claims)}` }) },
      body: JSON.stringify({ data: { name, input } }),
    });
    const body = (await res.json()) as { result?: unknown; error?: { status: string; message: string; details?: unknown } };
    // The callable protocol's error, as the Functions SDK surfaces it (FunctionsError: `functions/<code>`).
    if (body.error) throw { code: `functions/${body.error.status.toLowerCase().replaceAll('_', '-')}`, message: body.error.message, details: body.error.details };
    return body.result;
  };

  // The `copilot` callable, the same protocol (no stream: the SDK's `.stream()` is the SDK's business).
  const copilotAs = (caller: () => AuthSession | null) => async (action: string, input: unknown) => {
    const who = caller();
    const res = await fetch(url.replace(/\/command$/, '/copilot'), {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(who && { authorization: `Bearer ${unsignedIdToken(who.uid, who.claims)}` }) },
      body: JSON.stringify({ data: { action, input } }),
    });
    const body = (await res.json()) as { result?: unknown; error?: { status: string; message: string; details?: unknown } };
    if (body.error) throw { code: `functions/${body.error.status.toLowerCase().replaceAll('_', '-')}`, message: body.error.message, details: body.error.details };
    return body.result;
  };

  // Firestore's REST API in front of the emulator: the driver reads the signed-in user's document there.
  const rest = await startFirestoreRest(emulator.db, PROJECT_ID);
  const webApps: FirebaseApp[] = [];
  const backends: Backend[] = [];
  let n = 0;

  return {
    emulator,
    phone,
    deps,
    auth,
    callAs,
    commandUrl: url,
    firestoreRest: rest,
    settled,
    async signIn(email, password = DEMO_PASSWORD, how: { meter?: Meter } = {}) {
      const app = initializeWebApp({ projectId: PROJECT_ID, apiKey: 'test-api-key' }, `web-${++n}`);
      webApps.push(app);
      const db = getWebFirestore(app);
      connectFirestoreEmulator(db, '127.0.0.1', emulator.port);
      let session: AuthSession | null = null;
      let signedInAt = 0;
      const claimsOf = (uid: string) => auth.claims.get(uid) ?? {};
      const authPort: AuthPort = {
        current: async () => session,
        async signIn(e, password) {
          const found = (await emulator.db.collection('users').where('email', '==', e).get()).docs[0];
          if (!found || password !== (auth.passwords.get(found.id) ?? DEMO_PASSWORD)) throw { code: 'auth/invalid-credential', message: 'wrong e-mail or password' };
          session = { uid: found.id, claims: claimsOf(found.id) };
          signedInAt = auth.signedIn();
          return session;
        },
        async signOut() {
          session = null;
        },
        // The driver reads the user's document over Firestore's REST API with it (the REST front below).
        idToken: async () => (session ? unsignedIdToken(session.uid, session.claims) : null),
        async refresh() {
          // As Firebase Auth: a revoked session cannot get a new token, and the SDK signs it out.
          if (session && auth.isRevoked(session.uid, signedInAt)) {
            session = null;
            throw { code: 'auth/user-token-expired', message: 'The user\'s credential is no longer valid. The user must sign in again.' };
          }
          if (session) session = { uid: session.uid, claims: claimsOf(session.uid) };
          return session;
        },
      };
      // The Functions SDK sends the current user's ID token, or none once signed out.
      // @firestore-emulator/server has no client Write stream: the heartbeat goes through the admin SDK, stamped with the server's time as the rules demand.
      const writeBeat = (uid: string) => emulator.db.doc(`presenceBeats/${uid}`).set({ at: FieldValue.serverTimestamp() }).then(() => undefined);
      const backend = createFirebaseBackend({ app, db, firestoreUrl: rest.url, auth: authPort, call: callAs(() => session), copilot: copilotAs(() => session), writeBeat, ...(how.meter && { meter: how.meter }) });
      await backend.signIn(email, password);
      backends.push(backend);
      return backend;
    },
    sweepPresence: (now) => handlePresenceSweep({ ...deps, clock: () => now }),
    async presenceEvents(userId) {
      const snap = await emulator.db.collection('presenceEvents').where('userId', '==', userId).get();
      return snap.docs.map((d) => decodeTimes('presenceEvents', d.data() as PresenceEvent)).sort((a, b) => a.at - b.at);
    },
    async inbound({ channelId, externalId, name, text }) {
      const result = (await executeCommand(commandRegistry, { store: storeOf(emulator.db), clock: deps.clock, newId: deps.newId }, SYSTEM, 'inbound.receive', {
        channelId,
        externalId,
        contact: { name },
        channelMessageId: `${externalId}-${deps.newId()}`,
        text,
      })) as { ticketId: string; protocol?: string };
      return result;
    },
    async close() {
      await Promise.allSettled(backends.map((b) => b.signOut()));
      for (const stop of stops) stop();
      await settled();
      await Promise.allSettled(webApps.map(async (a) => {
        await terminate(getWebFirestore(a));
        await deleteWebApp(a);
      }));
      await new Promise((r) => server.close(r));
      await rest.close();
      await graph.close();
      delete process.env.ATENDE_WHATSAPP_GRAPH_URL;
      useDeps(null);
      await emulator.stop();
    },
  };
};
