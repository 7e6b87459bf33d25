import { type Clock, type IdGenerator, type MalformedDocument, type User } from '@atende/core';
import type { Firestore } from 'firebase-admin/firestore';
import { FirestoreStore } from './store.ts';

/**
 * What every function needs, passed in so tests call the handlers without
 * the Functions runtime (`admin.ts` builds the production one).
 */

/** The caller as the callable sees it: Firebase Auth's uid and decoded token. */
export interface CallerAuth {
  uid: string;
  token: Record<string, unknown>;
  /** The call carried a valid App Check token (the callable's `request.app`). */
  appCheck?: boolean;
}

/** What the handlers need from Firebase Auth (firebase-admin's Auth in production). */
export interface AuthAdmin {
  getClaims(uid: string): Promise<Record<string, unknown> | null>;
  setClaims(uid: string, claims: Record<string, unknown> | null): Promise<void>;
  /** Creates the sign-in account for a users document written by an admin (no password: a reset link sets it). */
  ensureUser(user: Pick<User, 'id' | 'email' | 'name' | 'active'>): Promise<void>;
  /** Verifies an ID token (signature, expiry, revocation): its uid and claims, or null. */
  verifyIdToken?(token: string): Promise<CallerAuth | null>;
  /** Sets the account's password and ends its sessions (firebase-admin `updateUser` + `revokeRefreshTokens`). */
  setPassword?(uid: string, password: string): Promise<void>;
  /** Ends every session of the account for good (firebase-admin `revokeRefreshTokens`): ID tokens issued before stop verifying. */
  revokeSessions?(uid: string): Promise<void>;
}

export interface Deps {
  db: Firestore;
  auth: AuthAdmin;
  clock: Clock;
  newId: IdGenerator;
  /** A URL that lets its holder PUT one object of this type into Storage for a short while (signed URL). */
  signUpload?: (path: string, contentType: string) => Promise<string>;
  /** A URL that lets its holder GET one Storage object for a few minutes. */
  signDownload?: (path: string) => Promise<string>;
  /** The bytes of one Storage object, or null when it does not exist (channels: files an agent sends by e-mail). */
  readObject?: (path: string) => Promise<Uint8Array | null>;
  /** Stores bytes as one Storage object (channels: files customers send by e-mail). */
  writeObject?: (path: string, bytes: Uint8Array, contentType: string) => Promise<void>;
  /** Copies one Storage object to another path; false when the source does not exist. */
  copyObject?: (from: string, to: string) => Promise<boolean>;
  /** Deletes one Storage object; nothing when it does not exist. */
  deleteObject?: (path: string) => Promise<void>;
  /** Web-chat visitors' calls must carry a valid App Check token (`ATENDE_APP_CHECK=enforce`). */
  enforceWidgetAppCheck?: boolean;
}

/** One line per malformed configuration document read (Cloud Logging shows it with its severity). */
export const logMalformed = (report: Pick<MalformedDocument, 'path' | 'issues'>): void =>
  console.error(JSON.stringify({ severity: 'ERROR', message: `malformed document ${report.path}: ${report.issues.map((i) => `${i.path}: ${i.message}`).join('; ')}` }));

const stores = new WeakMap<Firestore, FirestoreStore>();

/** One FirestoreStore per Firestore instance. */
export const storeOf = (db: Firestore): FirestoreStore => {
  const cached = stores.get(db);
  if (cached) return cached;
  const store = new FirestoreStore(db, { onMalformed: logMalformed });
  stores.set(db, store);
  return store;
};

/** The runner core's `executeCommand` and `tick` take. */
export const runnerOf = (deps: Deps) => ({ store: storeOf(deps.db), clock: deps.clock, newId: deps.newId });
