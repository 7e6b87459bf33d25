/// <reference types="vite/client" />
import type { Attachment, CommandInput, CommandName, CommandResult, QueryDoc, QueryName, QueryParams, Actor, User } from '@atende/core';
import { getApp, getApps, initializeApp, type FirebaseApp, type FirebaseOptions } from 'firebase/app';
// Types only: Firestore's SDK (~120 KB gzip) is loaded by ./firebaseData.ts, fetched when the driver starts but not awaited before the first screen.
import type { Firestore } from 'firebase/firestore';
import { createFirestoreRest } from '../widget/firestoreRest.ts';
import { callableCopilot, type CallCopilot } from './firebaseCopilot.ts';
import { backendErrorOf } from './firebaseErrors.ts';
import { reportSessionLost } from './sessionLost.ts';
import { BackendError, type Backend, type LiveEvent } from './types.ts';
import { startPresenceHeartbeat, type WriteBeat } from './firebasePresence.ts';

export { backendErrorOf };

/** The signed-in account as the driver needs it: its uid and custom claims. */
export interface AuthSession {
  uid: string;
  claims: Record<string, unknown>;
}

/** Firebase Auth, narrowed to what the driver uses (so tests can sign in without the Auth emulator). */
export interface AuthPort {
  /** The session restored after a reload, once Auth has decided; null when signed out. */
  current(): Promise<AuthSession | null>;
  signIn(email: string, password: string): Promise<AuthSession>;
  signOut(): Promise<void>;
  /** Forces a fresh ID token (new claims) and returns the session it carries. */
  refresh(): Promise<AuthSession | null>;
  /** The current ID token, for the REST read of the user's document at sign-in (absent: read through the SDK). */
  idToken?(): Promise<string | null>;
}

/** Calls the `command` callable: resolves with its result or rejects with a FunctionsError-like `{code, message, details}`. */
export type CallCommand = (name: string, input: unknown) => Promise<unknown>;

export interface FirebaseDriverOptions {
  app?: FirebaseApp;
  db?: Firestore;
  /** Where Firestore's REST API answers, for the user's document at sign-in (default: Google's, or the emulator's). */
  firestoreUrl?: string;
  auth?: AuthPort;
  call?: CallCommand;
  /** The `copilot` callable; injected in tests. */
  copilot?: CallCopilot;
  /** Upload through a signed URL from the `upload` callable; injected in tests. */
  upload?: (file: File, ticketId: string, onProgress?: (fraction: number) => void) => Promise<Attachment>;
  /** The presence heartbeat's write (default: `presenceBeats/{uid}` through this Firestore); injected where the emulator lacks client writes. */
  writeBeat?: WriteBeat;
  /**
   * Told what each listener snapshot costs as Firestore bills it: the first,
   * its documents (at least one); each later one, its changes. The bench
   * counts reads with it.
   */
  meter?: (query: string, reads: number) => void;
}

type Env = Record<string, string | undefined>;
const env = (): Env => (import.meta.env ?? {}) as Env;

/** The web app's Firebase config, from `VITE_FIREBASE_*` at build time. */
export const firebaseConfigFromEnv = (e: Env = env()): FirebaseOptions => ({
  apiKey: e.VITE_FIREBASE_API_KEY,
  authDomain: e.VITE_FIREBASE_AUTH_DOMAIN,
  projectId: e.VITE_FIREBASE_PROJECT_ID,
  storageBucket: e.VITE_FIREBASE_STORAGE_BUCKET,
  appId: e.VITE_FIREBASE_APP_ID,
});

const actorOf = (session: AuthSession, user: User | null): Actor | null => {
  const customer = session.claims.customer as { contactId?: unknown; channelId?: unknown } | undefined;
  if (customer && typeof customer.contactId === 'string' && typeof customer.channelId === 'string')
    return { kind: 'customer', contactId: customer.contactId, channelId: customer.channelId };
  if (!user) return null;
  // The rules judge by the token's claims, so the client reasons with them too.
  const role = typeof session.claims.role === 'string' ? (session.claims.role as User['role']) : user.role;
  const sectorIds = Array.isArray(session.claims.sectorIds) ? (session.claims.sectorIds as string[]) : user.sectorIds;
  const seesAllHistory = typeof session.claims.seesAllHistory === 'boolean' ? session.claims.seesAllHistory : user.seesAllHistory;
  return { kind: 'staff', uid: user.id, name: user.name, role, sectorIds, seesAllHistory };
};

interface Subscription {
  query: string;
  params: Record<string, unknown>;
  listener: (event: LiveEvent<never>) => void;
  stop: (() => void) | null;
  /** Bumps on every (re)start, so a late answer from an earlier start is ignored. */
  generation: number;
}

/**
 * The Firebase driver: Firebase Auth, catalogue queries as Firestore
 * listeners (authorised by the same core code the local server runs, then
 * by the rules), commands through the `command` callable.
 */
export const createFirebaseBackend = (options: FirebaseDriverOptions = {}): Backend => {
  const e = env();
  const app = options.app ?? (getApps().length > 0 ? getApp() : initializeApp(firebaseConfigFromEnv(e)));
  // VITE_FIREBASE_EMULATORS=127.0.0.1: the local emulators on firebase.json's ports, instead of the project.
  const emulators = e.VITE_FIREBASE_EMULATORS;
  // Firestore's SDK: fetched now, awaited only by what needs it (listeners, the claims watch, the heartbeat).
  const data = import('./firebaseData.ts');
  const firestore: Promise<Firestore> = options.db ? Promise.resolve(options.db) : data.then((m) => m.openFirestore(app, emulators));
  // Unhandled until something awaits it: a failed download surfaces there, not as an unhandled rejection now.
  firestore.catch(() => undefined);
  const authPort: Promise<AuthPort> = options.auth ? Promise.resolve(options.auth) : firebaseAuthPort(app, { emulatorUrl: emulators ? `http://${emulators}:9099` : undefined });
  const callCommand: CallCommand = options.call ?? callableCommand(app, { region: e.VITE_FIREBASE_REGION, emulator: emulators ? { host: emulators, port: 5001 } : undefined });
  const callCopilot: CallCopilot = options.copilot ?? callableCopilot(app, { region: e.VITE_FIREBASE_REGION, emulator: emulators ? { host: emulators, port: 5001 } : undefined });

  const subscriptions = new Set<Subscription>();
  const connectionListeners = new Set<(connected: boolean) => void>();
  let session: AuthSession | null = null;
  let user: User | null = null;
  let actor: Actor | null = null;
  let stopClaimsWatch: (() => void) | null = null;
  let claimsWatches = 0;
  let stopHeartbeat: (() => void) | null = null;
  const writeBeat: WriteBeat = options.writeBeat ?? (async (uid) => (await data).firestoreBeat(await firestore)(uid));

  /**
   * The signed-in user's document. In the browser, over Firestore's REST API
   * with the ID token (a few hundred bytes of code), so the shell draws
   * before the Firestore SDK has arrived; through the SDK where the auth
   * port gives no token, or a Firestore was handed in without a REST URL.
   */
  const loadUser = async (s: AuthSession): Promise<User | null> => {
    if (s.claims.customer) return null;
    const port = await authPort;
    if (port.idToken && (!options.db || options.firestoreUrl !== undefined)) {
      const rest = createFirestoreRest({
        projectId: app.options.projectId ?? '',
        baseUrl: options.firestoreUrl ?? (emulators ? `http://${emulators}:8080` : undefined),
        idToken: () => port.idToken!(),
      });
      return (await rest.get(`users/${s.uid}`)) as User | null;
    }
    return ((await (await data).readDoc(await firestore, `users/${s.uid}`)) as User | null) ?? null;
  };

  const stopAll = () => {
    for (const sub of subscriptions) {
      sub.generation++;
      sub.stop?.();
      sub.stop = null;
    }
  };

  const end = (sub: Subscription, error: BackendError) => {
    sub.stop?.();
    sub.stop = null;
    subscriptions.delete(sub);
    sub.listener({ type: 'error', error });
  };

  const start = async (sub: Subscription) => {
    const generation = ++sub.generation;
    const current = actor;
    if (!current) return end(sub, new BackendError('unauthenticated', 'Sign in first'));
    let target;
    let m: Awaited<typeof data>;
    let db: Firestore;
    try {
      [m, db] = await Promise.all([data, firestore]);
      target = await m.resolveTarget(current, sub.query, sub.params, db);
    } catch (err) {
      if (generation === sub.generation && subscriptions.has(sub)) end(sub, backendErrorOf(err));
      return;
    }
    if (generation !== sub.generation || !subscriptions.has(sub)) return;
    // A listener refused by the rules (say, the ticket moved to a sector I am not in) ends; nothing else breaks.
    const onError = (err: unknown) => {
      if (generation === sub.generation) end(sub, backendErrorOf(err));
    };
    sub.stop = m.listenTarget(db, target, sub.query, sub.listener, onError, options.meter);
  };

  /** Re-creates every listener with the current claims: each gets a fresh snapshot. */
  const restartAll = () => {
    stopAll();
    for (const sub of subscriptions) void start(sub);
  };

  /**
   * File links (`<img src>`, downloads) carry a short-lived signed key from
   * the `files.key` callable (`?key=`), never the ID token; it is renewed
   * halfway through its life while signed in. The `files` function re-reads
   * the user's rights at every request.
   */
  let fileKey = '';
  let keyRenewal: ReturnType<typeof setTimeout> | undefined;
  const renewFileKey = async (): Promise<void> => {
    clearTimeout(keyRenewal);
    try {
      const next = (await callCommand('files.key', {})) as { fileKey: string; fileKeyExpiresAt: number };
      if (!session) return;
      fileKey = next.fileKey;
      keyRenewal = setTimeout(() => void renewFileKey(), Math.max(10_000, (next.fileKeyExpiresAt - Date.now()) / 2));
    } catch {
      // Links answer 401 until the next try; the rest of the console works.
      if (session) keyRenewal = setTimeout(() => void renewFileKey(), 30_000);
    }
  };

  const becomeSignedIn = async (s: AuthSession): Promise<User | null> => {
    session = s;
    user = await loadUser(s);
    actor = actorOf(s, user);
    watchClaims(s.uid);
    stopHeartbeat?.();
    stopHeartbeat = user?.active ? startPresenceHeartbeat(writeBeat, s.uid, () => callCommand('presence.connect', {})) : null;
    if (user?.active) await renewFileKey();
    return user;
  };

  /** `claims/{uid}` changes when the users trigger changed my claims: refresh the token, then the listeners. */
  const watchClaims = (uid: string) => {
    stopClaimsWatch?.();
    stopClaimsWatch = null;
    const watch = ++claimsWatches;
    let first = true;
    void Promise.all([data, firestore]).then(([m, db]) => {
      // Signed out (or in as someone else) while the SDK loaded.
      if (watch !== claimsWatches) return;
      stopClaimsWatch = m.watchDoc(
        db,
        `claims/${uid}`,
        async (claims) => {
          const changedAt = Number(claims?.updatedAt ?? 0);
          const issuedAt = Number(session?.claims.iat ?? 0) * 1000;
          // The first answer only matters when the claims changed after my token was issued.
          const stale = first ? issuedAt > 0 && changedAt > issuedAt : true;
          first = false;
          if (!stale) return;
          const port = await authPort;
          // Rights taken away revoke the session (claims/{uid}.revokedAt): the refresh is refused and every listener ends as signed out.
          const fresh = await port.refresh().catch(() => null);
          if (!fresh) {
            signedOut();
            return reportSessionLost();
          }
          if (fresh.uid !== session?.uid) return;
          session = fresh;
          user = await loadUser(fresh);
          actor = actorOf(fresh, user);
          restartAll();
        },
        () => undefined,
      );
    }, () => undefined);
  };

  const signedOut = () => {
    stopAll();
    for (const sub of [...subscriptions]) end(sub, new BackendError('unauthenticated', 'Signed out'));
    stopClaimsWatch?.();
    stopClaimsWatch = null;
    claimsWatches++;
    stopHeartbeat?.();
    stopHeartbeat = null;
    clearTimeout(keyRenewal);
    fileKey = '';
    session = null;
    user = null;
    actor = null;
  };

  return {
    kind: 'firebase',

    async restore() {
      const port = await authPort;
      const s = await port.current();
      if (!s) return null;
      return becomeSignedIn(s);
    },

    async signIn(email, password) {
      const port = await authPort;
      let s: AuthSession;
      try {
        s = await port.signIn(email, password);
      } catch (err) {
        const be = backendErrorOf(err);
        throw be.code === 'resource-exhausted' ? be : new BackendError('unauthenticated', 'E-mail ou senha incorretos', [], 401);
      }
      const u = await becomeSignedIn(s);
      if (!u || !u.active) {
        signedOut();
        await port.signOut();
        throw new BackendError('permission-denied', 'Esta conta não tem acesso ao Atende', [], 403);
      }
      return u;
    },

    async signOut() {
      // Listeners first: once signed out, every open one would fail the rules.
      signedOut();
      await (await authPort).signOut();
    },

    async run<N extends CommandName>(command: N, input: CommandInput<N>): Promise<CommandResult<N>> {
      try {
        return (await callCommand(command, input)) as CommandResult<N>;
      } catch (err) {
        const e = backendErrorOf(err);
        // Refused for want of a session while the console holds one: it ended (revoked, expired).
        if (e.code === 'unauthenticated' && session) reportSessionLost();
        throw e;
      }
    },

    subscribe<Q extends QueryName>(queryName: Q, params: QueryParams<Q>, listener: (event: LiveEvent<QueryDoc<Q>>) => void) {
      const sub: Subscription = { query: queryName, params, listener: listener as Subscription['listener'], stop: null, generation: 0 };
      subscriptions.add(sub);
      void start(sub);
      return () => {
        sub.generation++;
        sub.stop?.();
        sub.stop = null;
        subscriptions.delete(sub);
      };
    },

    async uploadFile(file, ticketId, onProgress) {
      if (options.upload) return options.upload(file, ticketId, onProgress);
      return signedUpload(callCommand, app, file, ticketId, onProgress);
    },

    // The `files` function (behind Hosting's /files rewrite) checks the ticket against the key's user and redirects to a short-lived signed URL.
    fileUrl(ticketId, attachmentId) {
      return `${e.VITE_FIREBASE_FILES_URL ?? ''}/files/${encodeURIComponent(ticketId)}/${encodeURIComponent(attachmentId)}?key=${encodeURIComponent(fileKey)}`;
    },

    // Quick replies' files: `quickReplyFile.begin` signs one upload under files/quick-replies/, `files` serves them to staff.
    async uploadQuickReplyFile(file) {
      if (options.upload) return options.upload(file, QUICK_REPLY_FOLDER);
      try {
        return await signedPut(callCommand, 'quickReplyFile.begin', { name: file.name, mime: file.type || 'application/octet-stream', size: file.size }, file);
      } catch (err) {
        throw backendErrorOf(err);
      }
    },

    quickReplyFileUrl(attachmentId) {
      return this.fileUrl(QUICK_REPLY_FOLDER, attachmentId);
    },

    async copyQuickReplyFile(ticketId, quickReplyId, attachmentId) {
      // A callable of its own (functions/src/command.ts), not a core command: outside the typed registry.
      try {
        const { attachment } = (await callCommand('quickReplyFile.copy', { ticketId, quickReplyId, attachmentId })) as { attachment: Attachment };
        return attachment;
      } catch (err) {
        throw backendErrorOf(err);
      }
    },

    async copilot(action, input, onDelta) {
      try {
        return (await callCopilot(action, input, onDelta)) as never;
      } catch (err) {
        throw backendErrorOf(err);
      }
    },

    // Firebase Auth keeps the password; the `user.setPassword` call sets it with the Admin SDK (admins only).
    async setPassword(uid, password) {
      try {
        await callCommand('user.setPassword', { uid, password });
      } catch (err) {
        throw backendErrorOf(err);
      }
    },

    onConnection(l) {
      connectionListeners.add(l);
      const online = () => l(true);
      const offline = () => l(false);
      l(typeof navigator === 'undefined' || navigator.onLine !== false);
      if (typeof window !== 'undefined') {
        window.addEventListener('online', online);
        window.addEventListener('offline', offline);
      }
      return () => {
        connectionListeners.delete(l);
        if (typeof window !== 'undefined') {
          window.removeEventListener('online', online);
          window.removeEventListener('offline', offline);
        }
      };
    },
  };
};

/** Firebase Auth (e-mail and password), loaded with the driver. */
export const firebaseAuthPort = async (app: FirebaseApp, options: { emulatorUrl?: string | undefined } = {}): Promise<AuthPort> => {
  const { getAuth, connectAuthEmulator, signInWithEmailAndPassword, signOut } = await import('firebase/auth');
  const auth = getAuth(app);
  if (options.emulatorUrl) connectAuthEmulator(auth, options.emulatorUrl, { disableWarnings: true });
  const sessionOf = async (force: boolean): Promise<AuthSession | null> => {
    const u = auth.currentUser;
    if (!u) return null;
    const token = await u.getIdTokenResult(force);
    return { uid: u.uid, claims: token.claims as Record<string, unknown> };
  };
  return {
    async current() {
      await auth.authStateReady();
      return sessionOf(false);
    },
    async signIn(email, password) {
      await signInWithEmailAndPassword(auth, email, password);
      return (await sessionOf(false))!;
    },
    signOut: () => signOut(auth),
    refresh: () => sessionOf(true),
    idToken: async () => (auth.currentUser ? auth.currentUser.getIdToken() : null),
  };
};

/** The `command` callable through the Functions SDK (it attaches the ID token). */
export const callableCommand = (
  app: FirebaseApp,
  options: { region?: string | undefined; emulator?: { host: string; port: number } | undefined } = {},
): CallCommand => {
  let fn: Promise<(data: unknown) => Promise<{ data: unknown }>> | null = null;
  const load = async () => {
    const { getFunctions, httpsCallable, connectFunctionsEmulator } = await import('firebase/functions');
    // The same region the functions are deployed to (ATENDE_REGION).
    const functions = getFunctions(app, options.region ?? 'southamerica-east1');
    if (options.emulator) connectFunctionsEmulator(functions, options.emulator.host, options.emulator.port);
    return httpsCallable(functions, 'command');
  };
  return async (name, input) => {
    fn ??= load();
    return (await (await fn)({ name, input })).data;
  };
};

/** The Storage folder of quick replies' files, as functions/src/quickReplyFiles.ts names it. */
const QUICK_REPLY_FOLDER = 'quick-replies';

/** Asks a `*.begin` call for a signed URL, then PUTs the bytes there. */
const signedPut = async (call: CallCommand, begin: string, input: unknown, file: File, onProgress?: (fraction: number) => void): Promise<Attachment> => {
  const { attachment, url } = (await call(begin, input)) as { attachment: Attachment; url: string };
  if (!onProgress) {
    // No progress to show: a plain PUT.
    const res = await fetch(url, { method: 'PUT', headers: { 'Content-Type': attachment.mime }, body: file }).catch(() => {
      throw new BackendError('unavailable', 'O envio do arquivo falhou. Verifique a conexão.');
    });
    if (!res.ok) throw new BackendError('internal', `Upload failed (${res.status})`, [], res.status);
    return attachment;
  }
  await new Promise<void>((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('PUT', url);
    xhr.setRequestHeader('Content-Type', attachment.mime);
    xhr.upload.onprogress = (ev) => ev.lengthComputable && onProgress?.(ev.loaded / ev.total);
    xhr.onload = () => (xhr.status < 300 ? resolve() : reject(new BackendError('internal', `Upload failed (${xhr.status})`, [], xhr.status)));
    xhr.onerror = () => reject(new BackendError('unavailable', 'O envio do arquivo falhou. Verifique a conexão.'));
    xhr.send(file);
  });
  onProgress?.(1);
  return attachment;
};

/**
 * Clients never write to Storage directly: the `upload.begin` callable
 * checks the ticket and the attachment policy and answers with a signed
 * URL for this one file.
 */
const signedUpload = (call: CallCommand, _app: FirebaseApp, file: File, ticketId: string, onProgress?: (fraction: number) => void): Promise<Attachment> =>
  signedPut(call, 'upload.begin', { ticketId, name: file.name, mime: file.type || 'application/octet-stream', size: file.size }, file, onProgress);
