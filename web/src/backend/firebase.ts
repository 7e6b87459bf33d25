/// <reference types="vite/client" />
import {
  CommandError,
  docPath,
  isCommandError,
  resolveSubscription,
  type Actor,
  type Attachment,
  type CommandInput,
  type CommandName,
  type CommandResult,
  type QueryDoc,
  type QueryName,
  type QueryParams,
  type DocChange,
  type DocRef,
  type QuerySpec,
  type Reader,
  type User,
  statsField,
  sumStatsShards,
} from '@atende/core';
import { getApp, getApps, initializeApp, type FirebaseApp, type FirebaseOptions } from 'firebase/app';
import {
  collection,
  collectionGroup,
  connectFirestoreEmulator,
  doc,
  endBefore,
  getDoc,
  getFirestore,
  limit,
  limitToLast,
  onSnapshot,
  orderBy,
  query,
  startAfter,
  where,
  type DocumentData,
  type Firestore,
  type Query,
  type QueryConstraint,
  type QuerySnapshot,
} from 'firebase/firestore';
import { callableCopilot, type CallCopilot } from './firebaseCopilot.ts';
import { BackendError, type Backend, type LiveEvent } from './types.ts';
import { firestoreBeat, startPresenceHeartbeat, type WriteBeat } from './firebasePresence.ts';

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
}

/** Calls the `command` callable: resolves with its result or rejects with a FunctionsError-like `{code, message, details}`. */
export type CallCommand = (name: string, input: unknown) => Promise<unknown>;

export interface FirebaseDriverOptions {
  app?: FirebaseApp;
  db?: Firestore;
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

const FUNCTIONS_PREFIX = 'functions/';
const FIRESTORE_PREFIX = 'firestore/';

/** Any Firebase SDK or callable failure as the BackendError the stores expect. */
export const backendErrorOf = (e: unknown): BackendError => {
  if (e instanceof BackendError) return e;
  if (isCommandError(e)) return new BackendError(e.code, e.message, e.issues, 0, e.reason, e.params);
  const err = e as { code?: unknown; message?: unknown; details?: { issues?: unknown; reason?: unknown; params?: unknown } } | null;
  let code = typeof err?.code === 'string' ? err.code : 'internal';
  if (code.startsWith(FUNCTIONS_PREFIX)) code = code.slice(FUNCTIONS_PREFIX.length);
  if (code.startsWith(FIRESTORE_PREFIX)) code = code.slice(FIRESTORE_PREFIX.length);
  if (code.startsWith('auth/')) code = code === 'auth/too-many-requests' ? 'resource-exhausted' : 'unauthenticated';
  const issues = Array.isArray(err?.details?.issues) ? (err.details.issues as BackendError['issues']) : [];
  const message = typeof err?.message === 'string' ? err.message : 'Something went wrong';
  const reason = typeof err?.details?.reason === 'string' ? err.details.reason : null;
  const params = err?.details?.params && typeof err.details.params === 'object' ? (err.details.params as Record<string, string>) : {};
  return new BackendError(code, message, issues, 0, reason, params);
};

/** A core QuerySpec as a web-SDK query: the same constraints the Store port gives the admin SDK. */
export const webQueryOf = (db: Firestore, spec: QuerySpec): Query<DocumentData> => {
  const base =
    spec.collection === 'messages'
      ? spec.parentId !== undefined
        ? collection(db, 'tickets', spec.parentId, 'messages')
        : collectionGroup(db, 'messages')
      : collection(db, spec.collection);
  const constraints: QueryConstraint[] = [
    ...spec.where.map(([f, op, v]) => where(f, op, v)),
    ...spec.orderBy.map(([f, dir]) => orderBy(f, dir)),
  ];
  if (spec.startAfter) constraints.push(startAfter(...spec.startAfter));
  if (spec.endBefore) constraints.push(endBefore(...spec.endBefore));
  if (spec.limit !== undefined) constraints.push(limit(spec.limit));
  if (spec.limitToLast !== undefined) constraints.push(limitToLast(spec.limitToLast));
  return query(base, ...constraints);
};

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

/**
 * Counters are sharded on Firestore (`counters/{id}~{n}`, each with the
 * counter's `id`; see functions/src/store.ts): the `counters` query returns
 * every shard, and this folds them into one `{id, value}` per counter, as the
 * local server sends them.
 */
const counterShardsListener = (listener: (event: LiveEvent<never>) => void) => {
  const shards = new Map<string, { id: string; value: number }>();
  const total = (id: string) => ({ id, value: [...shards.values()].reduce((sum, s) => (s.id === id ? sum + s.value : sum), 0) });
  let first = true;
  return (snap: QuerySnapshot<DocumentData>) => {
    const touched = new Set<string>();
    const known = new Set([...shards.values()].map((s) => s.id));
    for (const c of snap.docChanges()) {
      const data = c.doc.data() as { id: string; value: number };
      if (c.type === 'removed') shards.delete(c.doc.id);
      else shards.set(c.doc.id, { id: data.id, value: Number(data.value) || 0 });
      touched.add(data.id);
    }
    if (first) {
      first = false;
      listener({ type: 'snapshot', docs: [...new Set([...shards.values()].map((s) => s.id))].map(total) as never[] });
      return;
    }
    const changes = [...touched].map((id) => ({ type: known.has(id) ? ('modified' as const) : ('added' as const), doc: total(id) as never }));
    if (changes.length > 0) listener({ type: 'changes', changes });
  };
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
  const db = options.db ?? getFirestore(app);
  if (!options.db && emulators) connectFirestoreEmulator(db, emulators, 8080);
  const authPort: Promise<AuthPort> = options.auth ? Promise.resolve(options.auth) : firebaseAuthPort(app, { emulatorUrl: emulators ? `http://${emulators}:9099` : undefined });
  const callCommand: CallCommand = options.call ?? callableCommand(app, { region: e.VITE_FIREBASE_REGION, emulator: emulators ? { host: emulators, port: 5001 } : undefined });
  const callCopilot: CallCopilot = options.copilot ?? callableCopilot(app, { region: e.VITE_FIREBASE_REGION, emulator: emulators ? { host: emulators, port: 5001 } : undefined });

  const subscriptions = new Set<Subscription>();
  const connectionListeners = new Set<(connected: boolean) => void>();
  let session: AuthSession | null = null;
  let user: User | null = null;
  let actor: Actor | null = null;
  let stopClaimsWatch: (() => void) | null = null;
  let stopHeartbeat: (() => void) | null = null;
  const writeBeat = options.writeBeat ?? firestoreBeat(db);

  const reader: Reader = {
    async get(ref) {
      try {
        const snap = await getDoc(doc(db, docPath(ref as DocRef)));
        return snap.exists() ? (snap.data() as never) : null;
      } catch (err) {
        const be = backendErrorOf(err);
        if (be.code === 'permission-denied') throw new CommandError('permission-denied', 'You cannot see this');
        throw err;
      }
    },
  };

  const loadUser = async (s: AuthSession): Promise<User | null> => {
    if (s.claims.customer) return null;
    const snap = await getDoc(doc(db, 'users', s.uid));
    return snap.exists() ? (snap.data() as User) : null;
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
    try {
      target = await resolveSubscription(current, sub.query, sub.params, reader);
    } catch (err) {
      if (generation === sub.generation && subscriptions.has(sub)) end(sub, backendErrorOf(err));
      return;
    }
    if (generation !== sub.generation || !subscriptions.has(sub)) return;
    // A listener refused by the rules (say, the ticket moved to a sector I am not in) ends; nothing else breaks.
    const onError = (err: unknown) => {
      if (generation === sub.generation) end(sub, backendErrorOf(err));
    };
    const meter = options.meter;
    if (target.kind === 'doc') {
      let had: DocumentData | null = null;
      let first = true;
      sub.stop = onSnapshot(
        doc(db, docPath(target.ref)),
        (snap) => {
          if (meter && (first || !snap.metadata.fromCache)) meter(sub.query, 1);
          const data = snap.exists() ? (snap.data() as never) : null;
          if (first) {
            first = false;
            sub.listener({ type: 'snapshot', docs: data ? [data] : [] });
          } else if (data || had) {
            const type = data && had ? 'modified' : data ? 'added' : 'removed';
            sub.listener({ type: 'changes', changes: [{ type, doc: (data ?? had) as never }] });
          }
          had = data;
        },
        onError,
      );
    } else if (sub.query === 'counters') {
      const fold = counterShardsListener(sub.listener);
      let first = true;
      sub.stop = onSnapshot(
        webQueryOf(db, target.spec),
        (snap) => {
          meter?.(sub.query, first ? Math.max(1, snap.size) : snap.docChanges().length);
          first = false;
          fold(snap);
        },
        onError,
      );
    } else if (sub.query === 'stats.range') {
      // Report aggregates are sharded too (functions/src/store.ts): each snapshot is folded whole, one document per day/month and sector.
      let first = true;
      sub.stop = onSnapshot(
        webQueryOf(db, target.spec),
        (snap) => {
          meter?.(sub.query, first ? Math.max(1, snap.size) : snap.docChanges().length);
          first = false;
          sub.listener({ type: 'snapshot', docs: sumStatsShards(snap.docs.map((d) => statsField.toStats(d.data()))) as never[] });
        },
        onError,
      );
    } else {
      let first = true;
      sub.stop = onSnapshot(
        webQueryOf(db, target.spec),
        (snap) => {
          meter?.(sub.query, first ? Math.max(1, snap.size) : snap.docChanges().length);
          if (first) {
            first = false;
            sub.listener({ type: 'snapshot', docs: snap.docs.map((d) => d.data() as never) });
            return;
          }
          const changes: DocChange<never>[] = snap.docChanges().map((c) => ({ type: c.type, doc: c.doc.data() as never }));
          if (changes.length > 0) sub.listener({ type: 'changes', changes });
        },
        onError,
      );
    }
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
    let first = true;
    stopClaimsWatch = onSnapshot(
      doc(db, 'claims', uid),
      async (snap) => {
        const changedAt = Number(snap.data()?.updatedAt ?? 0);
        const issuedAt = Number(session?.claims.iat ?? 0) * 1000;
        // The first answer only matters when the claims changed after my token was issued.
        const stale = first ? issuedAt > 0 && changedAt > issuedAt : true;
        first = false;
        if (!stale) return;
        const port = await authPort;
        // Rights taken away revoke the session (claims/{uid}.revokedAt): the refresh is refused and every listener ends as signed out.
        const fresh = await port.refresh().catch(() => null);
        if (!fresh) return signedOut();
        if (fresh.uid !== session?.uid) return;
        session = fresh;
        user = await loadUser(fresh);
        actor = actorOf(fresh, user);
        restartAll();
      },
      () => undefined,
    );
  };

  const signedOut = () => {
    stopAll();
    for (const sub of [...subscriptions]) end(sub, new BackendError('unauthenticated', 'Signed out'));
    stopClaimsWatch?.();
    stopClaimsWatch = null;
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
        throw backendErrorOf(err);
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
