/**
 * Atende on Cloud Functions (2nd gen). Every function here only adapts a
 * trigger to its handler, one file per trigger (which tests call directly):
 * `command.ts` (callable, with `widgetSession.ts` and `uploads.ts`),
 * `outbox.ts`, `automation.ts`, `claims.ts`, `webhooks.ts`, `files.ts`,
 * `uploads.ts` (checkUpload); `admin.ts` builds their dependencies. The
 * logic is core's. Only functions are exported: the deploy reads every export.
 */
import { startsDelivery, type Message } from '@atende/core';
import { getStorage } from 'firebase-admin/storage';
import { setGlobalOptions } from 'firebase-functions/v2';
import { onDocumentUpdated, onDocumentWritten } from 'firebase-functions/v2/firestore';
import { providerFromEnv } from '@atende/core/copilot';
import { copilotCallable, handleTicketClosed } from './copilot.ts';
import { HttpsError, onCall, onRequest } from 'firebase-functions/v2/https';
import { onSchedule } from 'firebase-functions/v2/scheduler';
import { onObjectFinalized } from 'firebase-functions/v2/storage';
import { defineSecret, defineString } from 'firebase-functions/params';
import { handlePresenceSweep } from './presence.ts';
import { logger } from 'firebase-functions';
import { depsOf } from './admin.ts';
import { handleAutomationTick } from './automation.ts';
import { handleUserDocument } from './claims.ts';
import { handleCommand } from './command.ts';
import { handleFileRequest } from './files.ts';
import { failureOf } from './http.ts';
import { handleMessageWritten } from './outbox.ts';
import { channelCarriers } from './channels.ts';
import { handleUploadFinalized } from './uploads.ts';
import { handleWebhook } from './webhooks.ts';
import { fromFirestore } from './store.ts';
import { handleInstagramWebhook } from './instagram.ts';
import { handleEmailInbound, handleEmailPoll } from './email.ts';
import { answeringMalformed } from './malformed.ts';

/** Where the functions run; the SPA must use the same region (VITE_FIREBASE_REGION). */
const region = defineString('ATENDE_REGION', { default: 'southamerica-east1', description: 'Cloud Functions region' });
const whatsappAppSecret = defineSecret('WHATSAPP_APP_SECRET');
const whatsappVerifyToken = defineSecret('WHATSAPP_VERIFY_TOKEN');
/** The copilot's provider: base URL and model as parameters, the key as a secret (docs/firebase.md). */
const aiBaseUrl = defineString('ATENDE_AI_BASE_URL', { default: '', description: 'OpenAI-compatible endpoint for the copilot (empty: offline only)' });
const aiModel = defineString('ATENDE_AI_MODEL', { default: '', description: 'Model for the copilot' });
const aiApiKey = defineSecret('ATENDE_AI_API_KEY');

setGlobalOptions({ region, maxInstances: 20 });

export const command = onCall({ cors: true }, async (request) => {
  try {
    // request.app is set only for a valid App Check token.
    const caller = request.auth ? { uid: request.auth.uid, token: request.auth.token as Record<string, unknown>, appCheck: request.app !== undefined } : undefined;
    const deps = depsOf();
    // The replies a command creates are sent here, right after its commit (no lease write; see handleCommand).
    return await handleCommand(deps, caller, request.data, channelCarriers(deps));
  } catch (e) {
    const failure = failureOf(e);
    if (failure.code === 'internal') logger.error('command failed', e);
    throw new HttpsError(failure.code, failure.message, failure.details);
  }
});

export const copilot = onCall({ cors: true, secrets: [aiApiKey], timeoutSeconds: 120 }, async (request, response) => {
  try {
    const provider = providerFromEnv({ ATENDE_AI_BASE_URL: aiBaseUrl.value(), ATENDE_AI_MODEL: aiModel.value(), ATENDE_AI_API_KEY: aiApiKey.value(), ...process.env });
    return await copilotCallable(depsOf(), provider, request, response);
  } catch (e) {
    const failure = failureOf(e);
    if (failure.code === 'internal') logger.error('copilot failed', e);
    throw new HttpsError(failure.code, failure.message, failure.details);
  }
});

export const copilotLearn = onDocumentUpdated('tickets/{id}', async (event) => {
  await handleTicketClosed(depsOf(), event.params.id, (event.data?.before.data() as { status?: string } | undefined) ?? null, (event.data?.after.data() as { status?: string } | undefined) ?? null);
});

export const deliver = onDocumentWritten('tickets/{ticketId}/messages/{messageId}', async (event) => {
  const decode = (d: Record<string, unknown> | undefined) => (d ? fromFirestore<Message>('messages', d) : null);
  const before = decode(event.data?.before.data());
  const after = decode(event.data?.after.data());
  // Most writes of a message start no delivery: answered before the carriers are built.
  if (!startsDelivery(before, after)) return;
  const deps = depsOf();
  await handleMessageWritten(deps, { ticketId: event.params.ticketId, messageId: event.params.messageId }, before, after, channelCarriers(deps));
});

export const automationTick = onSchedule('every 1 minutes', async () => {
  const deps = depsOf();
  const result = await handleAutomationTick(deps, channelCarriers(deps));
  if (result.skipped) logger.error(`automation skipped: ${result.skipped}`);
  if (result.warned + result.closed + result.retried + (result.rolledUp?.months.length ?? 0) > 0) logger.info('automation', result);
});

// DESIGN §16: consoles whose heartbeat stopped longer than the grace period ago go offline.
export const presenceSweep = onSchedule('every 1 minutes', async () => {
  const expired = await handlePresenceSweep(depsOf(), (message) => logger.error(`presence sweep skipped: ${message}`));
  if (expired > 0) logger.info('presence', { expired });
});

export const syncClaims = onDocumentWritten('users/{uid}', async (event) => {
  const stored = event.data?.after.exists ? event.data.after.data()! : null;
  await handleUserDocument(depsOf(), event.params.uid, stored, (message) => logger.error(`syncClaims skipped: ${message}`));
});

export const webhooks = onRequest({ secrets: [whatsappAppSecret, whatsappVerifyToken] }, async (req, res) => {
  try {
    const deps = depsOf();
    const result = await answeringMalformed(() =>
      handleWebhook(
        deps,
        { whatsapp: { appSecret: whatsappAppSecret.value(), verifyToken: whatsappVerifyToken.value() } },
        { method: req.method, path: req.path, query: req.query as Record<string, unknown>, headers: req.headers, rawBody: req.rawBody ?? Buffer.alloc(0) },
        (message, detail) => logger.warn(message, detail),
        // The bot's and the automation's replies leave right after their commit (no lease write; see sendingReplies).
        channelCarriers(deps),
      ),
    );
    if (typeof result.body === 'string') res.status(result.status).type('text/plain').send(result.body);
    else res.status(result.status).json(result.body);
  } catch (e) {
    logger.error('webhook failed', e);
    res.status(500).json({ error: { code: 'internal', message: 'Something went wrong on our side', issues: [] } });
  }
});

/** Meta's Instagram messaging webhook (Hosting rewrites `/webhooks/instagram` here); secrets are the channel's, in `channelSecrets`. */
export const instagramWebhook = onRequest(async (req, res) => {
  try {
    const deps = depsOf();
    const result = await answeringMalformed(() =>
      handleInstagramWebhook(
        deps,
        { method: req.method, path: req.path, query: req.query as Record<string, unknown>, headers: req.headers, rawBody: req.rawBody ?? Buffer.alloc(0) },
        (message, detail) => logger.warn(message, detail),
        // The bot's replies leave right after their commit (no lease write; see sendingReplies).
        channelCarriers(deps),
      ),
    );
    if (typeof result.body === 'string') res.status(result.status).type('text/plain').send(result.body);
    else res.status(result.status).json(result.body);
  } catch (e) {
    logger.error('instagram webhook failed', e);
    res.status(500).json({ error: { code: 'internal', message: 'Something went wrong on our side', issues: [] } });
  }
});

const mailLog = { info: (detail: unknown, message: string) => logger.info(message, detail), warn: (detail: unknown, message: string) => logger.warn(message, detail) };

/** `POST /webhooks/email/{channelId}` (Hosting rewrite): a raw mail forwarded by the mail provider, with the channel's inbound token. */
export const emailInbound = onRequest(async (req, res) => {
  try {
    const deps = depsOf();
    const result = await answeringMalformed(() =>
      handleEmailInbound(
        deps,
        { method: req.method, path: req.path, query: req.query as Record<string, unknown>, headers: req.headers, rawBody: req.rawBody ?? Buffer.alloc(0) },
        mailLog,
        channelCarriers(deps),
      ),
    );
    res.status(result.status).json(result.body);
  } catch (e) {
    logger.error('e-mail inbound failed', e);
    res.status(500).json({ error: { code: 'internal', message: 'Something went wrong on our side', issues: [] } });
  }
});

/** Reads the IMAP inbox of every active e-mail channel (passwords from `channelSecrets`). */
export const emailPoll = onSchedule({ schedule: 'every 2 minutes', timeoutSeconds: 110 }, async () => {
  const deps = depsOf();
  const result = await handleEmailPoll(deps, mailLog, channelCarriers(deps));
  if (result.skipped) logger.error(`e-mail poll skipped: ${result.skipped}`);
  else if (result.mails > 0 || result.failed.length > 0) logger.info('e-mail poll', result);
});

export const files = onRequest(async (req, res) => {
  try {
    const result = await handleFileRequest(depsOf(), { method: req.method, path: req.path, query: req.query as Record<string, unknown>, headers: req.headers });
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
