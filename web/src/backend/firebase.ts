/// <reference types="vite/client" />
import type { Attachment, CommandInput, CommandName, CommandResult, MalformedDocument, QueryDoc, QueryName, QueryParams } from '@atende/core';
import { getApp, getApps, initializeApp, type FirebaseApp, type FirebaseOptions } from 'firebase/app';
// Types only: Firestore's SDK (~120 KB gzip) is loaded by ./firebaseData.ts, fetched when the driver starts but not awaited before the first screen.
import type { Firestore } from 'firebase/firestore';
import { callableCopilot, type CallCopilot } from './firebaseCopilot.ts';
import { backendErrorOf } from './firebaseErrors.ts';
import { callableCommand, fileKeys, QUICK_REPLY_FOLDER, signedPut, signedUpload, type CallCommand } from './firebaseFiles.ts';
import type { WriteBeat } from './firebasePresence.ts';
import { createFirebaseSession, firebaseAuthPort, type AuthPort } from './firebaseSession.ts';
import { createSubscriptions, type Meter } from './firebaseSubscriptions.ts';
import { reportSessionLost } from './sessionLost.ts';
import { BackendError, type Backend, type LiveEvent } from './types.ts';

export { backendErrorOf, callableCommand, firebaseAuthPort };
export type { AuthPort, AuthSession } from './firebaseSession.ts';
export type { CallCommand } from './firebaseFiles.ts';

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
  /** Told what each listener snapshot costs (`Meter`, ./firebaseSubscriptions.ts). The bench counts reads with it. */
  meter?: Meter;
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

/**
 * The Firebase driver: Firebase Auth, catalogue queries as Firestore
 * listeners (authorised by the same core code the local server runs, then
 * by the rules), commands through the `command` callable. Its parts: who is
 * signed in and the claims watch (./firebaseSession.ts), the listeners
 * (./firebaseSubscriptions.ts), calls and files (./firebaseFiles.ts), and
 * everything that needs Firestore's SDK (./firebaseData.ts, loaded apart).
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
  const writeBeat: WriteBeat = options.writeBeat ?? (async (uid) => (await data).firestoreBeat(await firestore)(uid));

  const keys = fileKeys(callCommand);
  const subscriptions = createSubscriptions({ data, firestore, actor: () => session.actor(), meter: options.meter });
  const session = createFirebaseSession({
    app,
    authPort,
    data,
    firestore,
    handedDb: options.db !== undefined,
    firestoreUrl: options.firestoreUrl,
    emulators,
    writeBeat,
    call: callCommand,
    onSignedIn: () => keys.start(),
    onRightsChanged: () => subscriptions.rightsChanged(),
    onSignedOut: () => {
      subscriptions.endAll(new BackendError('unauthenticated', 'Signed out'));
      keys.stop();
    },
  });

  return {
    kind: 'firebase',

    restore: () => session.restore(),
    signIn: (email, password) => session.signIn(email, password),
    signOut: () => session.signOut(),

    async run<N extends CommandName>(command: N, input: CommandInput<N>): Promise<CommandResult<N>> {
      try {
        return (await callCommand(command, input)) as CommandResult<N>;
      } catch (err) {
        const e = backendErrorOf(err);
        // Refused for want of a session while the console holds one: it ended (revoked, expired).
        if (e.code === 'unauthenticated' && session.signedIn()) reportSessionLost();
        throw e;
      }
    },

    subscribe<Q extends QueryName>(queryName: Q, params: QueryParams<Q>, listener: (event: LiveEvent<QueryDoc<Q>>) => void) {
      return subscriptions.add(queryName, params, listener as (event: LiveEvent<never>) => void);
    },

    load<Q extends QueryName>(queryName: Q, params: QueryParams<Q>, malformed?: (reports: MalformedDocument[]) => void) {
      return subscriptions.load(queryName, params, malformed) as Promise<QueryDoc<Q>[]>;
    },

    watchVersions: (listener, failed) => subscriptions.watchVersions(listener, failed),

    async uploadFile(file, ticketId, onProgress) {
      if (options.upload) return options.upload(file, ticketId, onProgress);
      return signedUpload(callCommand, file, ticketId, onProgress);
    },

    // The `files` function (behind Hosting's /files rewrite) checks the ticket against the key's user and redirects to a short-lived signed URL.
    fileUrl(ticketId, attachmentId) {
      return `${e.VITE_FIREBASE_FILES_URL ?? ''}/files/${encodeURIComponent(ticketId)}/${encodeURIComponent(attachmentId)}?key=${encodeURIComponent(keys.current())}`;
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
      const online = () => l(true);
      const offline = () => l(false);
      l(typeof navigator === 'undefined' || navigator.onLine !== false);
      if (typeof window !== 'undefined') {
        window.addEventListener('online', online);
        window.addEventListener('offline', offline);
      }
      return () => {
        if (typeof window !== 'undefined') {
          window.removeEventListener('online', online);
          window.removeEventListener('offline', offline);
        }
      };
    },
  };
};

