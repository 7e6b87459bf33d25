/// <reference types="vite/client" />
import type { Actor, Attachment, DocChange, DocRef, ErrorBody, QuerySpec, Ticket } from '@atende/core';
// Pure core modules only (the catalogue and its authorization), not core's index with every command and the seed.
import { resolveSubscription } from '@core/queries/subscribe.ts';
import { docPath } from '@core/store/refs.ts';
import { httpStatusOf } from '@core/errors.ts';
import { CUSTOMER_TICKETS } from '@core/customerView.ts';
import type { Reader } from '@core/queries/catalogue.ts';
import { getApp, getApps, initializeApp, type FirebaseApp, type FirebaseOptions } from 'firebase/app';
import {
  collection,
  connectFirestoreEmulator,
  doc,
  getDoc,
  getDocs,
  getFirestore,
  limit,
  limitToLast,
  onSnapshot,
  orderBy,
  query,
  where,
  type DocumentData,
  type Firestore,
  type Query,
} from 'firebase/firestore';
import { WidgetError, type SendInput, type SessionInput, type WidgetChannel } from './api.ts';
import type { LiveListener, WidgetLive } from './live.ts';
import type { WidgetTransport } from './transport.ts';

/** The visitor's Firebase account as the widget needs it: its uid and the claims of its current ID token. */
export interface VisitorSession {
  uid: string;
  claims: Record<string, unknown>;
}

/** Firebase Auth, narrowed to what the widget uses (tests stand in for it: there is no Auth emulator here). */
export interface VisitorAuth {
  /** The visitor this browser kept from an earlier visit, once Auth has decided; null when there is none. */
  current(): Promise<VisitorSession | null>;
  /** Signs in anonymously; the account persists in the browser, so a reload resumes it. */
  signIn(): Promise<VisitorSession>;
  /** A fresh ID token (with the claim `widget.session` has just set). */
  refresh(): Promise<VisitorSession | null>;
}

/** The `command` callable: resolves with its result or rejects with a FunctionsError-like `{code, message, details}`. */
export type CallCommand = (name: string, input: unknown) => Promise<unknown>;

export interface FirebaseWidgetOptions {
  app?: FirebaseApp;
  db?: Firestore;
  auth?: VisitorAuth;
  call?: CallCommand;
  /** PUTs the file to the signed URL `upload.begin` handed out. */
  put?: (url: string, file: File, mime: string) => Promise<void>;
  /** Where the `files` function answers (Hosting's `/files` rewrite: same origin). */
  filesBase?: string;
  online?: () => boolean;
}

type Env = Record<string, string | undefined>;
const env = (): Env => (import.meta.env ?? {}) as Env;

const configFromEnv = (e: Env): FirebaseOptions => ({
  apiKey: e.VITE_FIREBASE_API_KEY,
  authDomain: e.VITE_FIREBASE_AUTH_DOMAIN,
  projectId: e.VITE_FIREBASE_PROJECT_ID,
  storageBucket: e.VITE_FIREBASE_STORAGE_BUCKET,
  appId: e.VITE_FIREBASE_APP_ID,
});

/** Core's error-code → HTTP status map, the one the embedded server answers with (a pure module: no bundle cost beyond it). */
const STATUS: Partial<Record<string, number>> = httpStatusOf;

/** A callable, Firestore or Auth failure as the WidgetError `explainError` reads. */
export const widgetErrorOf = (e: unknown, online = true): WidgetError => {
  if (e instanceof WidgetError) return e;
  const err = e as { code?: unknown; message?: unknown; details?: { issues?: unknown }; issues?: unknown } | null;
  let code = typeof err?.code === 'string' ? err.code.replace(/^(functions|firestore)\//, '') : 'internal';
  if (code.startsWith('auth/')) code = code === 'auth/network-request-failed' ? 'network' : 'unauthenticated';
  // The Functions SDK says `internal` or `unavailable` when the request never got an answer.
  if (!online || code === 'unavailable') code = 'network';
  const rawIssues = err?.details?.issues ?? err?.issues;
  const issues = Array.isArray(rawIssues) ? (rawIssues as WidgetError['issues']) : [];
  return new WidgetError(code, typeof err?.message === 'string' ? err.message : 'Something went wrong', code === 'network' ? 0 : (STATUS[code] ?? 500), issues);
};

/** Where a customer reads a document: their tickets through the projection (`customerTickets`), the rest where it is. */
const customerPath = (path: string): string => path.replace(/^tickets\/([^/]+)$/, `${CUSTOMER_TICKETS}/$1`);

/** A core QuerySpec as a web-SDK query; the widget's two queries need no cursors nor collection groups. */
const webQueryOf = (db: Firestore, spec: QuerySpec): Query<DocumentData> =>
  query(
    spec.collection === 'messages' && spec.parentId !== undefined
      ? collection(db, 'tickets', spec.parentId, 'messages')
      : collection(db, spec.collection === 'tickets' ? CUSTOMER_TICKETS : spec.collection),
    ...spec.where.map(([f, op, v]) => where(f, op, v)),
    ...spec.orderBy.map(([f, dir]) => orderBy(f, dir)),
    ...(spec.limit !== undefined ? [limit(spec.limit)] : []),
    ...(spec.limitToLast !== undefined ? [limitToLast(spec.limitToLast)] : []),
  );

const customerOf = (s: VisitorSession | null): (Actor & { kind: 'customer' }) | null => {
  const c = s?.claims.customer as { contactId?: unknown; channelId?: unknown } | undefined;
  return c && typeof c.contactId === 'string' && typeof c.channelId === 'string' ? { kind: 'customer', contactId: c.contactId, channelId: c.channelId } : null;
};

/**
 * The widget on Firebase: the visitor signs in anonymously, `widget.session`
 * (through the `command` callable) makes their contact and gives the account
 * the `customer` claim; the conversation is two Firestore listeners the
 * rules let only that visitor read (their tickets through the customer
 * projection `customerTickets/{id}`, never the ticket itself); messages go through `inbound.receive`
 * and files through `upload.begin`'s signed URL. The token the widget keeps
 * is the visitor's uid: the real credential stays with Firebase Auth.
 */
export const createFirebaseTransport = (options: FirebaseWidgetOptions = {}): WidgetTransport => {
  const e = env();
  const emulators = e.VITE_FIREBASE_EMULATORS;
  const app = options.app ?? (getApps().length > 0 ? getApp() : initializeApp(configFromEnv(e)));
  const db = options.db ?? getFirestore(app);
  if (!options.db && emulators) connectFirestoreEmulator(db, emulators, 8080);
  const auth = options.auth ?? browserVisitorAuth(app, emulators ? `http://${emulators}:9099` : undefined);
  const call = options.call ?? callableCommand(app, e.VITE_FIREBASE_REGION, emulators, appCheck(app, e.VITE_FIREBASE_APPCHECK_SITE_KEY));
  const put = options.put ?? putFile;
  const filesBase = options.filesBase ?? e.VITE_FIREBASE_FILES_URL ?? '';
  const online = options.online ?? (() => typeof navigator === 'undefined' || navigator.onLine !== false);
  let session: VisitorSession | null = null;
  /**
   * File links carry a short-lived signed key (`?key=`), never the visitor's
   * ID token: `widget.session` hands out the first, `files.key` renews it
   * halfway through its life, as the embedded server's widget does.
   */
  let fileKey = '';
  let renewal: ReturnType<typeof setTimeout> | undefined;
  const keep = (key: { fileKey?: unknown; fileKeyExpiresAt?: unknown }) => {
    if (typeof key.fileKey !== 'string') return;
    fileKey = key.fileKey;
    clearTimeout(renewal);
    const wait = Math.max(10_000, ((typeof key.fileKeyExpiresAt === 'number' ? key.fileKeyExpiresAt : 0) - Date.now()) / 2);
    renewal = setTimeout(renew, wait);
  };
  const renew = () => void call('files.key', {}).then((next) => keep(next as { fileKey?: unknown }), () => undefined);

  const fail = (err: unknown): never => {
    throw widgetErrorOf(err, online());
  };

  const reader: Reader = {
    async get(ref) {
      const snap = await getDoc(doc(db, customerPath(docPath(ref as DocRef))));
      return snap.exists() ? (snap.data() as never) : null;
    },
  };

  /** The visitor's session for this channel, or an error the app turns into "start afresh". */
  const customer = () => {
    const actor = customerOf(session);
    if (!actor) throw new WidgetError('unauthenticated', 'Start a session first', 401);
    return actor;
  };

  return {
    async channel(channelId) {
      const fallback: WidgetChannel = { id: channelId, name: '', type: 'webchat' };
      // The rules let a visitor read only the channel of their own session; before it, the name waits.
      session ??= await auth.current().catch(() => null);
      if (customerOf(session)?.channelId !== channelId) return fallback;
      try {
        const snap = await getDoc(doc(db, 'channels', channelId));
        const c = snap.data() as WidgetChannel | undefined;
        return c ? { id: c.id, name: c.name, type: c.type } : fallback;
      } catch {
        return fallback;
      }
    },

    async session(channelId, input: SessionInput) {
      try {
        let s = session ?? (await auth.current());
        if (input.token !== undefined) {
          // Resuming: the account this browser kept must be the one the widget remembers.
          if (!s || s.uid !== input.token) throw new WidgetError('unauthenticated', 'This visitor is gone', 401);
          const actor = customerOf(s);
          if (actor?.channelId === channelId) {
            session = s;
            keep((await call('files.key', {})) as { fileKey?: unknown });
            return { token: s.uid, contactId: actor.contactId };
          }
        }
        s ??= await auth.signIn();
        // The Functions SDK sends an undefined field as null, which the schema refuses: leave empty fields out.
        const fields = Object.fromEntries(Object.entries({ name: input.name, email: input.email, phone: input.phone }).filter(([, v]) => v !== undefined && v !== ''));
        const started = (await call('widget.session', { channelId, ...fields })) as { contactId: string; fileKey?: unknown; fileKeyExpiresAt?: unknown };
        const { contactId } = started;
        keep(started);
        // The claim arrives with the next ID token: ask for it now, or the rules would refuse every read.
        session = await auth.refresh();
        if (!session || customerOf(session)?.contactId !== contactId) throw new WidgetError('unauthenticated', 'The session did not take', 401);
        return { token: session.uid, contactId };
      } catch (err) {
        return fail(err);
      }
    },

    async send(_token, input: SendInput) {
      try {
        const actor = customer();
        const result = (await call('inbound.receive', {
          channelId: actor.channelId,
          externalId: session!.uid,
          // The server's receipt makes a resend of the same id change nothing, and lets the widget match the echo.
          channelMessageId: input.clientMessageId,
          text: input.text,
          attachments: input.attachments,
        })) as { ticketId: string; messageId: string; protocol?: string };
        return { ticketId: result.ticketId, messageId: result.messageId, protocol: result.protocol ?? '' };
      } catch (err) {
        return fail(err);
      }
    },

    async upload(_token, file) {
      try {
        const actor = customer();
        // Uploads belong to a ticket on Firebase (storage.rules read them through it): the newest, while it is open.
        const target = await resolveSubscription(actor, 'customer.tickets', {}, reader);
        if (target.kind !== 'query') throw new WidgetError('internal', 'customer.tickets is not a query', 500);
        const newest = (await getDocs(webQueryOf(db, target.spec))).docs[0]?.data() as Ticket | undefined;
        if (!newest || newest.status === 'closed') throw new WidgetError('no-open-ticket', 'Write a message before sending a file', 409);
        const mime = file.type || 'application/octet-stream';
        const { attachment, url } = (await call('upload.begin', { ticketId: newest.id, name: file.name, mime, size: file.size })) as { attachment: Attachment; url: string };
        await put(url, file, mime);
        return attachment;
      } catch (err) {
        return fail(err);
      }
    },

    // The `files` function checks the ticket against the key's visitor and redirects to a short-lived signed URL.
    fileUrl: (_token, ticketId, attachmentId) =>
      `${filesBase}/files/${encodeURIComponent(ticketId)}/${encodeURIComponent(attachmentId)}?key=${encodeURIComponent(fileKey)}`,

    connect: () => firestoreLive(db, () => customerOf(session), reader, online),
  };
};

/**
 * The two customer queries as Firestore listeners: authorised first by the
 * same core code the embedded server runs, then by the rules. A refused
 * listener ends with an `error` event; the others go on.
 */
const firestoreLive = (db: Firestore, actor: () => Actor | null, reader: Reader, online: () => boolean): WidgetLive => {
  const stops = new Set<() => void>();
  const connectionListeners = new Set<(connected: boolean) => void>();
  const tell = () => {
    for (const l of connectionListeners) l(online());
  };
  // Firestore reconnects and resumes its listeners by itself; the widget only needs to say when the browser is offline.
  if (typeof window !== 'undefined') {
    window.addEventListener('online', tell);
    window.addEventListener('offline', tell);
  }
  const errorOf = (err: unknown): ErrorBody['error'] => {
    const e = widgetErrorOf(err);
    return { code: (e.code in STATUS ? e.code : 'internal') as ErrorBody['error']['code'], message: e.message, issues: e.issues };
  };

  return {
    subscribe(name, params, listener: LiveListener) {
      let stopped = false;
      let stopSnapshot: (() => void) | null = null;
      const stop = () => {
        stopped = true;
        stopSnapshot?.();
        stops.delete(stop);
      };
      stops.add(stop);
      const who = actor();
      void (async () => {
        if (!who) throw new WidgetError('unauthenticated', 'Start a session first', 401);
        const target = await resolveSubscription(who, name, params, reader);
        if (target.kind !== 'query') throw new WidgetError('invalid-argument', `${name} is not a query`, 400);
        if (stopped) return;
        let first = true;
        stopSnapshot = onSnapshot(
          webQueryOf(db, target.spec),
          (snap) => {
            if (first) {
              first = false;
              listener({ type: 'snapshot', docs: snap.docs.map((d) => d.data()) });
              return;
            }
            const changes = snap.docChanges().map((c) => ({ type: c.type, doc: c.doc.data() }) as DocChange);
            if (changes.length > 0) listener({ type: 'changes', changes });
          },
          (err) => {
            stops.delete(stop);
            if (!stopped) listener({ type: 'error', error: errorOf(err) });
          },
        );
      })().catch((err: unknown) => {
        stops.delete(stop);
        if (!stopped) listener({ type: 'error', error: errorOf(err) });
      });
      return stop;
    },
    onConnection(listener) {
      connectionListeners.add(listener);
      return () => connectionListeners.delete(listener);
    },
    close() {
      for (const stop of [...stops]) stop();
      connectionListeners.clear();
      if (typeof window !== 'undefined') {
        window.removeEventListener('online', tell);
        window.removeEventListener('offline', tell);
      }
    },
  };
};

/** Firebase Auth in the browser: anonymous, kept in IndexedDB (or localStorage) so a reload resumes the same visitor. */
const browserVisitorAuth = (app: FirebaseApp, emulatorUrl: string | undefined): VisitorAuth => {
  const load = (async () => {
    const m = await import('firebase/auth');
    // initializeAuth, not getAuth: no popup/redirect code in the widget.
    const auth = m.initializeAuth(app, { persistence: [m.indexedDBLocalPersistence, m.browserLocalPersistence] });
    if (emulatorUrl) m.connectAuthEmulator(auth, emulatorUrl, { disableWarnings: true });
    return { m, auth };
  })();
  const sessionOf = async (force: boolean): Promise<VisitorSession | null> => {
    const { auth } = await load;
    const u = auth.currentUser;
    if (!u) return null;
    const result = await u.getIdTokenResult(force);
    return { uid: u.uid, claims: result.claims as Record<string, unknown> };
  };
  return {
    async current() {
      const { auth } = await load;
      await auth.authStateReady();
      return sessionOf(false);
    },
    async signIn() {
      const { m, auth } = await load;
      await m.signInAnonymously(auth);
      return (await sessionOf(false))!;
    },
    refresh: () => sessionOf(true),
  };
};

/**
 * App Check (reCAPTCHA Enterprise) when the build has a site key
 * (`VITE_FIREBASE_APPCHECK_SITE_KEY`): the Functions SDK then attaches an
 * App Check token to every call, which the functions require when
 * `ATENDE_APP_CHECK=enforce`. Loaded on demand: no cost without a key.
 */
const appCheck = (app: FirebaseApp, siteKey: string | undefined): Promise<unknown> =>
  siteKey
    ? import('firebase/app-check').then((m) => m.initializeAppCheck(app, { provider: new m.ReCaptchaEnterpriseProvider(siteKey), isTokenAutoRefreshEnabled: true }))
    : Promise.resolve();

/** The `command` callable through the Functions SDK, which attaches the visitor's ID token (and the App Check token, once `ready`). */
const callableCommand = (app: FirebaseApp, region: string | undefined, emulators: string | undefined, ready: Promise<unknown>): CallCommand => {
  let fn: Promise<(data: unknown) => Promise<{ data: unknown }>> | null = null;
  const load = async () => {
    await ready;
    const { getFunctions, httpsCallable, connectFunctionsEmulator } = await import('firebase/functions');
    // The region the functions are deployed to (ATENDE_REGION).
    const functions = getFunctions(app, region ?? 'southamerica-east1');
    if (emulators) connectFunctionsEmulator(functions, emulators, 5001);
    return httpsCallable(functions, 'command');
  };
  return async (name, input) => {
    fn ??= load();
    return (await (await fn)({ name, input })).data;
  };
};

/** Storage takes the bytes at the signed URL; its Content-Type must be the one `upload.begin` signed. */
const putFile = async (url: string, file: File, mime: string): Promise<void> => {
  let res: Response;
  try {
    res = await fetch(url, { method: 'PUT', headers: { 'content-type': mime }, body: file });
  } catch {
    throw new WidgetError('network', 'network error', 0);
  }
  if (!res.ok) throw new WidgetError(`http-${res.status}`, `Upload failed (${res.status})`, res.status);
};
