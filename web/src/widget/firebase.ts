/// <reference types="vite/client" />
import type { Attachment, Ticket } from '@atende/core';
// Pure core modules only (no schemas, no commands): the widget's Firebase build stays small.
import { httpStatusOf } from '@core/errors.ts';
import { customerTicketsSpec } from '@core/queries/customer.ts';
import { CUSTOMER_TICKETS } from '@core/customerView.ts';
import type { CustomerActor } from '@core/policy.ts';
import { WidgetError, type SendInput, type SessionInput, type WidgetChannel } from './api.ts';
import { callableUrl, restCallable, type CallCommand } from './callable.ts';
import { createFirestoreRest, type FirestoreReads } from './firestoreRest.ts';
import { pollingLive, type PollOptions } from './poll.ts';
import type { WidgetTransport } from './transport.ts';
import { restVisitorAuth, type VisitorAuth, type VisitorSession } from './visitorAuth.ts';

export type { CallCommand, VisitorAuth, VisitorSession };

export interface FirebaseWidgetOptions {
  projectId?: string;
  /** Firestore's REST reads (default: Google's endpoint, or the emulator's with VITE_FIREBASE_EMULATORS). */
  reads?: FirestoreReads;
  /** Where Firestore's REST API answers (`http://127.0.0.1:8080` for an emulator); ignored with `reads`. */
  firestoreUrl?: string;
  auth?: VisitorAuth;
  call?: CallCommand;
  /** PUTs the file to the signed URL `upload.begin` handed out. */
  put?: (url: string, file: File, mime: string) => Promise<void>;
  /** Where the `files` function answers (Hosting's `/files` rewrite: same origin). */
  filesBase?: string;
  online?: () => boolean;
  /** How often the conversation is read again (tests make it quick). */
  poll?: PollOptions;
}

type Env = Record<string, string | undefined>;
const env = (): Env => (import.meta.env ?? {}) as Env;

/** Core's error-code → HTTP status map, the one the embedded server answers with (a pure module: no bundle cost beyond it). */
const STATUS: Partial<Record<string, number>> = httpStatusOf;

/** A callable, Firestore or Auth failure as the WidgetError `explainError` reads. */
export const widgetErrorOf = (e: unknown, online = true): WidgetError => {
  if (e instanceof WidgetError) return e;
  const err = e as { code?: unknown; message?: unknown; details?: { issues?: unknown }; issues?: unknown } | null;
  let code = typeof err?.code === 'string' ? err.code.replace(/^(functions|firestore)\//, '') : 'internal';
  if (code.startsWith('auth/')) code = code === 'auth/network-request-failed' ? 'network' : 'unauthenticated';
  // A request that never got an answer.
  if (!online || code === 'unavailable') code = 'network';
  const rawIssues = err?.details?.issues ?? err?.issues;
  const issues = Array.isArray(rawIssues) ? (rawIssues as WidgetError['issues']) : [];
  return new WidgetError(code, typeof err?.message === 'string' ? err.message : 'Something went wrong', code === 'network' ? 0 : (STATUS[code] ?? 500), issues);
};

const customerOf = (s: VisitorSession | null): CustomerActor | null => {
  const c = s?.claims.customer as { contactId?: unknown; channelId?: unknown } | undefined;
  return c && typeof c.contactId === 'string' && typeof c.channelId === 'string' ? { kind: 'customer', contactId: c.contactId, channelId: c.channelId } : null;
};

/**
 * App Check (reCAPTCHA Enterprise) when the build has a site key
 * (`VITE_FIREBASE_APPCHECK_SITE_KEY`): its token goes with every call and
 * read, which the functions require when `ATENDE_APP_CHECK=enforce`. Loaded
 * on demand: no cost without a key.
 */
const appCheckHeaders = (e: Env): (() => Promise<Record<string, string>>) | undefined => {
  const siteKey = e.VITE_FIREBASE_APPCHECK_SITE_KEY;
  if (!siteKey) return undefined;
  const ready = (async () => {
    const [{ initializeApp }, m] = await Promise.all([import('firebase/app'), import('firebase/app-check')]);
    const app = initializeApp({ apiKey: e.VITE_FIREBASE_API_KEY, projectId: e.VITE_FIREBASE_PROJECT_ID, appId: e.VITE_FIREBASE_APP_ID }, 'widget-app-check');
    return { m, check: m.initializeAppCheck(app, { provider: new m.ReCaptchaEnterpriseProvider(siteKey), isTokenAutoRefreshEnabled: true }) };
  })();
  return async () => {
    const { m, check } = await ready;
    return { 'x-firebase-appcheck': (await m.getToken(check)).token };
  };
};

/**
 * The widget on Firebase, without the Firebase SDK (about 20 KB gzip of the
 * widget's own code instead of 220 KB): the visitor signs in anonymously
 * through Firebase Auth's REST API, `widget.session` (through the `command`
 * callable, called over fetch) makes their contact and gives the account the
 * `customer` claim; the conversation is read from Firestore's REST API in
 * short rounds (`poll.ts`) that the rules let only that visitor read (their
 * tickets through the customer projection `customerTickets/{id}`, never the
 * ticket itself); messages go through `inbound.receive` and files through
 * `upload.begin`'s signed URL. The token the widget keeps is the visitor's
 * uid: the real credential stays in the Auth tokens.
 */
export const createFirebaseTransport = (options: FirebaseWidgetOptions = {}): WidgetTransport => {
  const e = env();
  const emulators = e.VITE_FIREBASE_EMULATORS;
  const projectId = options.projectId ?? e.VITE_FIREBASE_PROJECT_ID ?? '';
  const headers = appCheckHeaders(e);
  const auth =
    options.auth ??
    restVisitorAuth({ apiKey: e.VITE_FIREBASE_API_KEY ?? '', storageKey: `atende.widget.visitor.${projectId}`, emulator: emulators ? `http://${emulators}:9099` : undefined });
  const reads =
    options.reads ??
    createFirestoreRest({ projectId, baseUrl: options.firestoreUrl ?? (emulators ? `http://${emulators}:8080` : undefined), idToken: () => auth.idToken(), headers });
  const call =
    options.call ??
    restCallable({ url: callableUrl(projectId, e.VITE_FIREBASE_REGION ?? 'southamerica-east1', 'command', emulators ? `http://${emulators}:5001` : undefined), idToken: () => auth.idToken(), headers });
  const put = options.put ?? putFile;
  const filesBase = options.filesBase ?? e.VITE_FIREBASE_FILES_URL ?? '';
  const online = options.online ?? (() => typeof navigator === 'undefined' || navigator.onLine !== false);
  let session: VisitorSession | null = null;
  const lives = new Set<ReturnType<typeof pollingLive>>();
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
        const c = (await reads.get(`channels/${channelId}`)) as WidgetChannel | null;
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
        // The answer is known now: read the conversation again at once rather than at the next round.
        for (const live of lives) live.kick();
        return { ticketId: result.ticketId, messageId: result.messageId, protocol: result.protocol ?? '' };
      } catch (err) {
        return fail(err);
      }
    },

    async upload(_token, file) {
      try {
        const actor = customer();
        // Uploads belong to a ticket on Firebase (storage.rules read them through it): the newest, while it is open.
        const newest = (await reads.query({ ...customerTicketsSpec(actor), limit: 1 }, CUSTOMER_TICKETS))[0] as Ticket | undefined;
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

    connect: () => {
      const live = pollingLive(reads, () => customerOf(session), { online, ...options.poll });
      lives.add(live);
      return {
        ...live,
        close() {
          lives.delete(live);
          live.close();
        },
      };
    },
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
