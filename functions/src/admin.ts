import { createIdGenerator, type User } from '@atende/core';
import { initializeApp, getApps } from 'firebase-admin/app';
import { getAuth, type Auth } from 'firebase-admin/auth';
import { getFirestore, type Firestore } from 'firebase-admin/firestore';
import { getStorage } from 'firebase-admin/storage';
import type { AuthAdmin, Deps } from './deps.ts';

/** The production dependencies on firebase-admin; tests build their own `Deps`. */

/** firebase-admin's Auth as the handlers' AuthAdmin. */
export const authAdminOf = (auth: Auth): AuthAdmin => ({
  async getClaims(uid) {
    try {
      return (await auth.getUser(uid)).customClaims ?? null;
    } catch (e) {
      if ((e as { code?: string }).code === 'auth/user-not-found') return null;
      throw e;
    }
  },
  async setClaims(uid, claims) {
    await auth.setCustomUserClaims(uid, claims);
  },
  async verifyIdToken(token) {
    try {
      const decoded = await auth.verifyIdToken(token, true);
      return { uid: decoded.uid, token: decoded as unknown as Record<string, unknown> };
    } catch {
      return null;
    }
  },
  async revokeSessions(uid) {
    try {
      await auth.revokeRefreshTokens(uid);
    } catch (e) {
      if ((e as { code?: string }).code !== 'auth/user-not-found') throw e;
    }
  },
  async setPassword(uid, password) {
    await auth.updateUser(uid, { password });
    await auth.revokeRefreshTokens(uid);
  },
  async ensureUser(user: Pick<User, 'id' | 'email' | 'name' | 'active'>) {
    try {
      const existing = await auth.getUser(user.id);
      if (existing.disabled === user.active || existing.email !== user.email || existing.displayName !== user.name)
        await auth.updateUser(user.id, { email: user.email, displayName: user.name, disabled: !user.active });
    } catch (e) {
      if ((e as { code?: string }).code !== 'auth/user-not-found') throw e;
      await auth.createUser({ uid: user.id, email: user.email, displayName: user.name, disabled: !user.active });
    }
  },
});

let deps: Deps | null = null;

/** Puts other dependencies behind the deployed functions (the conformance harness: in-memory Auth and Storage). */
export const useDeps = (d: Deps | null): void => {
  deps = d;
};
/** Created on first use: module load must stay cheap for cold starts and for `firebase deploy`'s analysis. */
export const depsOf = (): Deps => {
  if (deps) return deps;
  const app = getApps().find((a) => a.name === '[DEFAULT]') ?? initializeApp();
  const db: Firestore = getFirestore(app);
  db.settings({ ignoreUndefinedProperties: true });
  deps = {
    db,
    auth: authAdminOf(getAuth(app)),
    clock: Date.now,
    newId: createIdGenerator(),
    // Signing needs the functions' service account to hold "Service Account Token Creator" (docs/firebase.md).
    signUpload: async (path, contentType) => {
      const [url] = await getStorage(app).bucket().file(path).getSignedUrl({ version: 'v4', action: 'write', expires: Date.now() + 15 * 60_000, contentType });
      return url;
    },
    signDownload: async (path) => {
      const [url] = await getStorage(app).bucket().file(path).getSignedUrl({ version: 'v4', action: 'read', expires: Date.now() + 5 * 60_000 });
      return url;
    },
    readObject: async (path) => {
      const file = getStorage(app).bucket().file(path);
      if (!(await file.exists())[0]) return null;
      return (await file.download())[0];
    },
    writeObject: async (path, bytes, contentType) => {
      await getStorage(app).bucket().file(path).save(Buffer.from(bytes), { contentType, resumable: false });
    },
    copyObject: async (from, to) => {
      const file = getStorage(app).bucket().file(from);
      if (!(await file.exists())[0]) return false;
      await file.copy(getStorage(app).bucket().file(to));
      return true;
    },
    deleteObject: async (path) => {
      await getStorage(app).bucket().file(path).delete({ ignoreNotFound: true });
    },
    // ATENDE_APP_CHECK=enforce (functions/.env): widget calls without a valid App Check token are refused (docs/firebase.md).
    enforceWidgetAppCheck: process.env.ATENDE_APP_CHECK === 'enforce',
  };
  return deps;
};
