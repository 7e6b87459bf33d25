/**
 * Atende on Cloud Functions (2nd gen). Every function here only adapts a
 * trigger to a handler in `handlers.ts` (which tests call directly); the
 * logic is core's. Only functions are exported: the deploy reads every export.
 */
import { createIdGenerator, type User } from '@atende/core';
import { initializeApp, getApps } from 'firebase-admin/app';
import { getAuth, type Auth } from 'firebase-admin/auth';
import { getFirestore, type Firestore } from 'firebase-admin/firestore';
import { getStorage } from 'firebase-admin/storage';
import { setGlobalOptions } from 'firebase-functions/v2';
import { onDocumentCreated, onDocumentWritten } from 'firebase-functions/v2/firestore';
import { HttpsError, onCall, onRequest } from 'firebase-functions/v2/https';
import { onSchedule } from 'firebase-functions/v2/scheduler';
import { onObjectFinalized } from 'firebase-functions/v2/storage';
import { defineSecret, defineString } from 'firebase-functions/params';
import { logger } from 'firebase-functions';
import {
  failureOf,
  handleAutomationTick,
  handleCommand,
  handleFileRequest,
  handleOutbox,
  handleUploadFinalized,
  handleUserWritten,
  handleWebhook,
  type AuthAdmin,
  type Deps,
} from './handlers.ts';

/** Where the functions run; the SPA must use the same region (VITE_FIREBASE_REGION). */
const region = defineString('ATENDE_REGION', { default: 'southamerica-east1', description: 'Cloud Functions region' });
const whatsappAppSecret = defineSecret('WHATSAPP_APP_SECRET');
const whatsappVerifyToken = defineSecret('WHATSAPP_VERIFY_TOKEN');

setGlobalOptions({ region, maxInstances: 20 });

/** firebase-admin's Auth as the handlers' AuthAdmin. */
const authAdminOf = (auth: Auth): AuthAdmin => ({
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
/** Created on first use: module load must stay cheap for cold starts and for `firebase deploy`'s analysis. */
const depsOf = (): Deps => {
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
  };
  return deps;
};

export const command = onCall({ cors: true }, async (request) => {
  try {
    return await handleCommand(depsOf(), request.auth ? { uid: request.auth.uid, token: request.auth.token as Record<string, unknown> } : undefined, request.data);
  } catch (e) {
    const failure = failureOf(e);
    if (failure.code === 'internal') logger.error('command failed', e);
    throw new HttpsError(failure.code, failure.message, failure.details);
  }
});

export const outbox = onDocumentCreated('outbox/{id}', async (event) => {
  await handleOutbox(depsOf(), event.id, event.params.id);
});

export const automationTick = onSchedule('every 1 minutes', async () => {
  const result = await handleAutomationTick(depsOf());
  if (result.warned + result.closed + result.retried > 0) logger.info('automation', result);
});

export const syncClaims = onDocumentWritten('users/{uid}', async (event) => {
  const after = event.data?.after.exists ? (event.data.after.data() as User) : null;
  await handleUserWritten(depsOf(), event.params.uid, after);
});

export const webhooks = onRequest({ secrets: [whatsappAppSecret, whatsappVerifyToken] }, async (req, res) => {
  try {
    const result = await handleWebhook(
      depsOf(),
      { whatsapp: { appSecret: whatsappAppSecret.value(), verifyToken: whatsappVerifyToken.value() } },
      { method: req.method, path: req.path, query: req.query as Record<string, unknown>, headers: req.headers, rawBody: req.rawBody ?? Buffer.alloc(0) },
    );
    if (typeof result.body === 'string') res.status(result.status).type('text/plain').send(result.body);
    else res.status(result.status).json(result.body);
  } catch (e) {
    logger.error('webhook failed', e);
    res.status(500).json({ error: { code: 'internal', message: 'Something went wrong on our side', issues: [] } });
  }
});

export const files = onRequest(async (req, res) => {
  try {
    const result = await handleFileRequest(depsOf(), { method: req.method, path: req.path, query: req.query as Record<string, unknown> });
    if (result.location) res.redirect(302, result.location);
    else res.status(result.status).json(result.body);
  } catch (e) {
    logger.error('file request failed', e);
    res.status(500).json({ error: { code: 'internal', message: 'Something went wrong on our side', issues: [] } });
  }
});

export const checkUpload = onObjectFinalized(async (event) => {
  const object = event.data;
  const file = getStorage().bucket(object.bucket).file(object.name);
  const result = await handleUploadFinalized(
    depsOf(),
    { name: object.name, contentType: object.contentType, size: Number(object.size) },
    {
      read: async () => (await file.download({ start: 0, end: 8191 }))[0],
      remove: async () => {
        await file.delete({ ignoreNotFound: true });
      },
    },
  );
  if (result === 'removed') logger.warn('upload removed: its content is not what was declared', { name: object.name, contentType: object.contentType });
});
