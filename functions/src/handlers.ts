import { createHmac, timingSafeEqual } from 'node:crypto';
import {
  CommandError,
  commandRegistry,
  executeCommand,
  httpStatusOf,
  isCommandError,
  parseOrThrow,
  policy,
  precondition,
  refs,
  Id,
  tick,
  SYSTEM,
  type Actor,
  type Attachment,
  type Clock,
  type IdGenerator,
  type User,
} from '@atende/core';
import type { Firestore } from 'firebase-admin/firestore';
import { z } from 'zod';
import { FirestoreStore } from './store.ts';
// The embedded server's content sniffer: pure TypeScript, bundled in, so both backends type files alike.
import { detectMime } from '../../server/src/lib/sniff.ts';

/**
 * The functions' logic as plain functions of their dependencies, so tests
 * call them without the Functions runtime; `index.ts` only wires them to
 * triggers.
 */

/** What the handlers need from Firebase Auth (firebase-admin's Auth in production). */
export interface AuthAdmin {
  getClaims(uid: string): Promise<Record<string, unknown> | null>;
  setClaims(uid: string, claims: Record<string, unknown> | null): Promise<void>;
  /** Creates the sign-in account for a users document written by an admin (no password: a reset link sets it). */
  ensureUser(user: Pick<User, 'id' | 'email' | 'name' | 'active'>): Promise<void>;
  /** Verifies an ID token (signature, expiry, revocation): its uid and claims, or null. */
  verifyIdToken?(token: string): Promise<CallerAuth | null>;
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
}

export const storeOf = (db: Firestore): FirestoreStore => {
  const cached = stores.get(db);
  if (cached) return cached;
  const store = new FirestoreStore(db);
  stores.set(db, store);
  return store;
};
const stores = new WeakMap<Firestore, FirestoreStore>();

const runnerOf = (deps: Deps) => ({ store: storeOf(deps.db), clock: deps.clock, newId: deps.newId });

/** The caller as the callable sees it: Firebase Auth's uid and decoded token. */
export interface CallerAuth {
  uid: string;
  token: Record<string, unknown>;
}

const CustomerClaim = z.object({ contactId: z.string().min(1), channelId: z.string().min(1) });

/**
 * Who is calling. Widget customers carry a `customer` claim. For staff the
 * users document is the truth (role, sectors, name, active): the token's
 * claims mirror it for the rules, but may lag a change by up to an hour.
 */
export const actorOf = async (deps: Deps, auth: CallerAuth | undefined): Promise<Actor> => {
  if (!auth) throw new CommandError('unauthenticated', 'Sign in first');
  const customer = CustomerClaim.safeParse(auth.token.customer);
  if (customer.success) return { kind: 'customer', ...customer.data };
  const user = (await deps.db.doc(`users/${auth.uid}`).get()).data() as User | undefined;
  if (!user) throw new CommandError('permission-denied', 'This account is not an Atende user');
  if (!user.active) throw new CommandError('permission-denied', 'This account is deactivated');
  return { kind: 'staff', uid: user.id, name: user.name, role: user.role, sectorIds: user.sectorIds, seesAllHistory: user.seesAllHistory };
};

const CallInput = z.object({ name: z.string().min(1).max(100), input: z.unknown().optional() });

/** The `command` callable: `{name, input}` → the command's result. Throws CommandError. */
export const handleCommand = async (deps: Deps, auth: CallerAuth | undefined, data: unknown): Promise<unknown> => {
  const call = CallInput.safeParse(data);
  if (!call.success)
    throw new CommandError('invalid-argument', 'Call the command function with {name, input}', call.error.issues.map((i) => ({ path: i.path.map(String).join('.') || '(body)', message: i.message })));
  if (call.data.name === WIDGET_SESSION) return startWidgetSession(deps, auth, call.data.input ?? {});
  const actor = await actorOf(deps, auth);
  if (call.data.name === UPLOAD_BEGIN) return beginUpload(deps, actor, call.data.input ?? {});
  return executeCommand(commandRegistry, runnerOf(deps), actor, call.data.name, call.data.input ?? {});
};

// —— Web-chat widget ——

export const WIDGET_SESSION = 'widget.session';

const WidgetSessionInput = z.object({
  channelId: Id,
  name: z.string().trim().min(1, 'tell us your name').max(120),
  email: z.string().trim().toLowerCase().email().max(200).optional().or(z.literal('').transform(() => undefined)),
  phone: z.string().trim().max(40).optional(),
});

/**
 * The widget's visitor signs in anonymously (Firebase Auth), then calls this
 * once: it creates their contact on the web-chat channel and gives the
 * account the `customer` claim the rules and `command` read. The visitor
 * refreshes the ID token afterwards. Calling it again resumes the session.
 */
export const startWidgetSession = async (deps: Deps, auth: CallerAuth | undefined, raw: unknown): Promise<{ contactId: string; channel: { id: string; name: string; type: string } }> => {
  if (!auth) throw new CommandError('unauthenticated', 'Sign in (anonymously) first');
  const input = parseOrThrow(WidgetSessionInput, raw);
  if (typeof auth.token.role === 'string') throw new CommandError('failed-precondition', 'Staff accounts do not open widget sessions');
  const identityKey = `${input.channelId}:${auth.uid}`;
  const now = deps.clock();
  const { contactId, channel } = await storeOf(deps.db).transaction(async (tx) => {
    const channel = await tx.get(refs.channel(input.channelId));
    if (!channel || !channel.active || channel.type !== 'webchat')
      throw new CommandError('not-found', `Web chat ${input.channelId} does not exist`, [{ path: 'channelId', message: 'no such web chat' }]);
    const [existing] = await tx.query({ collection: 'contacts', where: [['identityKeys', 'array-contains', identityKey]], orderBy: [], limit: 1 });
    if (existing) return { contactId: existing.id, channel };
    const id = deps.newId();
    tx.create(refs.contact(id), { id, name: input.name, phone: input.phone || null, email: input.email ?? null, identityKeys: [identityKey], tagIds: [], notes: '', createdAt: now, updatedAt: now });
    return { contactId: id, channel };
  });
  await deps.auth.setClaims(auth.uid, { customer: { contactId, channelId: channel.id } });
  return { contactId, channel: { id: channel.id, name: channel.name, type: channel.type } };
};

// —— Attachments ——

export const UPLOAD_BEGIN = 'upload.begin';

const UploadInput = z.object({
  ticketId: Id,
  name: z.string().trim().min(1).max(255),
  mime: z.string().trim().toLowerCase().min(3).max(120).regex(/^[a-z0-9.+-]+\/[a-z0-9.+-]+$/, 'must be a MIME type like image/png'),
  size: z.number().int().min(1, 'the file is empty'),
});

/** `image/*` style families or exact types, as the workspace's attachment policy lists them. */
export const mimeAllowed = (mime: string, allowed: readonly string[]): boolean =>
  allowed.some((a) => (a.endsWith('/*') ? mime.startsWith(a.slice(0, -1)) : a === mime));

export const kindOfMime = (mime: string): Attachment['kind'] =>
  mime.startsWith('image/') ? 'image' : mime.startsWith('audio/') ? 'audio' : mime.startsWith('video/') ? 'video' : 'document';

/**
 * Clients never write to Storage: this checks the ticket (whoever may send on
 * it) and the attachment policy, then hands out a signed URL for one object,
 * `files/{ticketId}/{attachmentId}`, that storage.rules let readers of the
 * ticket download.
 */
export const beginUpload = async (deps: Deps, actor: Actor, raw: unknown): Promise<{ attachment: Attachment; url: string }> => {
  const input = parseOrThrow(UploadInput, raw);
  const { ticket, settings } = await storeOf(deps.db).transaction(async (tx) => ({ ticket: await tx.get(refs.ticket(input.ticketId)), settings: await tx.get(refs.settings()) }));
  if (!ticket) throw new CommandError('not-found', `Ticket ${input.ticketId} does not exist`, [{ path: 'ticketId', message: 'no such ticket' }]);
  const decision = actor.kind === 'staff' ? policy.canManage(actor, ticket) : policy.canReadTicket(actor, ticket) || 'you may only write to your own conversation';
  if (decision !== true) throw new CommandError('permission-denied', decision);
  precondition(ticket.status !== 'closed', 'This ticket is closed');
  const rule = settings?.attachments;
  if (rule && input.size > rule.maxBytes) throw new CommandError('invalid-argument', `The file is larger than ${Math.floor(rule.maxBytes / 1048576)} MB`, [{ path: 'size', message: 'too large' }]);
  if (rule && !mimeAllowed(input.mime, rule.allowedTypes)) throw new CommandError('invalid-argument', `Files of type ${input.mime} are not accepted`, [{ path: 'mime', message: 'type not allowed' }]);
  if (!deps.signUpload) throw new CommandError('failed-precondition', 'File uploads are not configured on this server');
  const attachment: Attachment = { id: deps.newId(), name: input.name, mime: input.mime, size: input.size, kind: kindOfMime(input.mime) };
  return { attachment, url: await deps.signUpload(`files/${ticket.id}/${attachment.id}`, input.mime) };
};

/** A callable error: the CommandError's own code, never `internal` for a caller's mistake. */
export interface CallableFailure {
  code: CommandError['code'] | 'internal';
  message: string;
  details?: { issues: CommandError['issues'] };
}

export const failureOf = (e: unknown): CallableFailure => {
  if (isCommandError(e)) return { code: e.code, message: e.message, details: { issues: e.issues } };
  return { code: 'internal', message: 'Something went wrong on our side. Try again.' };
};

/** Carries out one outbox entry. Webchat needs no carrier: the customer's widget reads the message itself. */
export type Sender = (entry: { channelId: string; ticketId: string; messageId: string }) => Promise<void>;

/**
 * The outbox trigger. Firestore triggers are delivered at least once, so the
 * event id is recorded first and a repeat does nothing; a failure removes
 * the record so the retry can run.
 */
export const handleOutbox = async (deps: Deps, eventId: string, outboxId: string, senders: Senders = {}): Promise<'done' | 'duplicate' | 'skipped'> => {
  const marker = deps.db.doc(`processedEvents/${eventId}`);
  try {
    await marker.create({ at: deps.clock(), outboxId });
  } catch (e) {
    if ((e as { code?: number }).code === 6) return 'duplicate';
    throw e;
  }
  try {
    return await deliverOutbox(deps, outboxId, senders, false);
  } catch (e) {
    await marker.delete().catch(() => undefined);
    throw e;
  }
};

export type Senders = Partial<Record<string, Sender>>;

/** How long a failed delivery waits before the next try; after MAX_ATTEMPTS it gives up (lastError says why). */
const RETRY_MS = [60_000, 5 * 60_000, 15 * 60_000, 60 * 60_000];
const MAX_ATTEMPTS = 8;
/** A retry claims its entry for this long, so two overlapping ticks do not send twice. */
const LEASE_MS = 5 * 60_000;

/**
 * One delivery attempt. A retry first takes a lease on the entry in a
 * transaction (moving `dueAt` forward), so overlapping runs skip it.
 */
const deliverOutbox = async (deps: Deps, outboxId: string, senders: Senders, retry: boolean): Promise<'done' | 'skipped'> => {
  const store = storeOf(deps.db);
  const entry = await store.transaction(async (tx) => {
    const found = await tx.get(refs.outbox(outboxId));
    if (!found || found.doneAt !== null) return null;
    if (retry) {
      if (found.dueAt === null || found.dueAt > deps.clock()) return null;
      tx.update(refs.outbox(outboxId), { dueAt: deps.clock() + LEASE_MS });
    }
    return found;
  });
  if (!entry) return 'skipped';
  let error: string | null = null;
  if (entry.channelType !== 'webchat') {
    const sender = senders[entry.channelType];
    if (!sender) error = `no ${entry.channelType} sender is configured`;
    else
      await sender(entry).catch((e: unknown) => {
        error = e instanceof Error ? e.message : String(e);
      });
  }
  const now = deps.clock();
  await store.transaction(async (tx) => {
    const fresh = await tx.get(refs.outbox(outboxId));
    const message = await tx.get(refs.message(entry.ticketId, entry.messageId));
    if (!fresh || fresh.doneAt !== null) return;
    const attempts = fresh.attempts + 1;
    const nextTry = attempts >= MAX_ATTEMPTS ? null : now + RETRY_MS[Math.min(attempts - 1, RETRY_MS.length - 1)]!;
    tx.update(refs.outbox(outboxId), { attempts, doneAt: error ? null : now, dueAt: error ? nextTry : null, lastError: error });
    if (message && !error) tx.update(refs.message(entry.ticketId, entry.messageId), { status: entry.channelType === 'webchat' ? 'delivered' : 'sent' });
    else if (message && error && nextTry === null) tx.update(refs.message(entry.ticketId, entry.messageId), { status: 'failed' });
  });
  return 'done';
};

/** Failed deliveries whose next try is due, tried again (by `automationTick`). */
export const retryOutbox = async (deps: Deps, senders: Senders = {}, batch = 50): Promise<number> => {
  const due = await storeOf(deps.db).transaction((tx) =>
    tx.query({ collection: 'outbox', where: [['dueAt', '<=', deps.clock()]], orderBy: [['dueAt', 'asc']], limit: batch }),
  );
  let tried = 0;
  // Entries never tried belong to the outbox trigger, which runs on creation.
  for (const entry of due) if (entry.attempts > 0 && (await deliverOutbox(deps, entry.id, senders, true)) === 'done') tried++;
  return tried;
};

/** The scheduled job: core's automation tick (inactivity warnings, auto-close), then due delivery retries. */
export const handleAutomationTick = async (deps: Deps, senders: Senders = {}) => {
  const result = await tick(runnerOf(deps), commandRegistry);
  return { ...result, retried: await retryOutbox(deps, senders) };
};

/** The custom claims the rules read, from a users document. */
export const claimsOf = (user: User) => ({ role: user.role, sectorIds: user.sectorIds, seesAllHistory: user.seesAllHistory });

const sameClaims = (a: Record<string, unknown> | null, b: Record<string, unknown> | null) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/**
 * The `users/{uid}` trigger: keeps the custom claims equal to the document
 * and, when they change, writes `claims/{uid}`, which the signed-in client
 * watches to refresh its token and re-create its listeners.
 */
export const handleUserWritten = async (deps: Deps, uid: string, after: User | null): Promise<'updated' | 'unchanged'> => {
  if (after) await deps.auth.ensureUser(after);
  const wanted = after && after.active ? claimsOf(after) : null;
  const current = await deps.auth.getClaims(uid);
  const currentAtende = current && 'role' in current ? { role: current.role, sectorIds: current.sectorIds, seesAllHistory: current.seesAllHistory } : null;
  if (sameClaims(currentAtende, wanted)) return 'unchanged';
  await deps.auth.setClaims(uid, wanted);
  await deps.db.doc(`claims/${uid}`).set({ uid, updatedAt: deps.clock(), role: wanted?.role ?? null });
  return 'updated';
};

/** The first bytes of a longer file may end inside a UTF-8 character: drop that partial character. */
const withoutPartialChar = (head: Uint8Array): Uint8Array => {
  let end = head.length;
  // Step back over continuation bytes (10xxxxxx) to the lead byte of the last character, and drop it if incomplete.
  let i = end - 1;
  while (i >= 0 && end - i <= 4 && (head[i]! & 0xc0) === 0x80) i--;
  if (i >= 0 && head[i]! >= 0xc0) {
    const length = head[i]! >= 0xf0 ? 4 : head[i]! >= 0xe0 ? 3 : 2;
    if (end - i < length) end = i;
  }
  return head.subarray(0, end);
};

/**
 * The Storage trigger on a finished upload. A signed URL fixes the declared
 * type, not the bytes: the file is typed by its content (DESIGN §11, the
 * same detector as the embedded server) and removed when it is not what
 * `upload.begin` was told, or is over the size limit.
 */
export const handleUploadFinalized = async (
  deps: Deps,
  object: { name: string; contentType: string | undefined; size: number },
  io: { read(): Promise<Uint8Array>; remove(): Promise<void> },
): Promise<'kept' | 'removed' | 'ignored'> => {
  if (!/^files\/[A-Za-z0-9_.:-]{1,128}\/[A-Za-z0-9_.:-]{1,128}$/.test(object.name)) return 'ignored';
  const settings = await storeOf(deps.db).transaction((tx) => tx.get(refs.settings()));
  const declared = (object.contentType ?? '').toLowerCase();
  const head = await io.read();
  const detected = detectMime(object.size > head.length ? withoutPartialChar(head) : head);
  const fits = !settings || object.size <= settings.attachments.maxBytes;
  // Browsers label some files loosely (a voice note recorded as video/webm): the family must match.
  const sameType = detected !== null && (detected === declared || detected.split('/')[0] === declared.split('/')[0]);
  if (fits && sameType && (!settings || mimeAllowed(detected, settings.attachments.allowedTypes))) return 'kept';
  await io.remove();
  return 'removed';
};

/**
 * `files` (HTTP): `/files/{ticketId}/{attachmentId}?auth=<ID token>`. An
 * `<img src>` cannot send an Authorization header, so the SPA puts its ID
 * token in the URL; whoever may read the ticket is redirected to a signed URL
 * valid for a few minutes.
 */
export const handleFileRequest = async (deps: Deps, req: Pick<WebhookRequest, 'method' | 'path' | 'query'>): Promise<WebhookResponse & { location?: string }> => {
  const match = /^(?:\/files)?\/([A-Za-z0-9_.:-]{1,128})\/([A-Za-z0-9_.:-]{1,128})\/?$/.exec(req.path);
  if (req.method !== 'GET' && req.method !== 'HEAD') return bad(405, 'invalid-argument', 'Use GET');
  if (!match) return bad(404, 'not-found', `No file at ${req.path}`);
  const [, ticketId, attachmentId] = match as unknown as [string, string, string];
  const token = typeof req.query.auth === 'string' ? req.query.auth : '';
  const caller = token && deps.auth.verifyIdToken ? await deps.auth.verifyIdToken(token) : null;
  if (!caller) return bad(401, 'unauthenticated', 'Sign in to see this file');
  try {
    const actor = await actorOf(deps, caller);
    const ticket = await storeOf(deps.db).transaction((tx) => tx.get(refs.ticket(ticketId)));
    if (!ticket || !policy.canReadTicket(actor, ticket)) return bad(404, 'not-found', 'No such file');
  } catch (e) {
    if (isCommandError(e)) return bad(httpStatusOf[e.code], e.code, e.message);
    throw e;
  }
  if (!deps.signDownload) return bad(409, 'failed-precondition', 'File downloads are not configured on this server');
  const location = await deps.signDownload(`files/${ticketId}/${attachmentId}`);
  return { status: 302, body: '', location };
};

// —— Webhooks ——

export interface WebhookConfig {
  whatsapp: { verifyToken: string; appSecret: string };
}

export interface WebhookRequest {
  method: string;
  /** Path after the function's base, e.g. `/whatsapp/whatsapp`. */
  path: string;
  query: Record<string, unknown>;
  headers: Record<string, string | string[] | undefined>;
  rawBody: Buffer;
}

export interface WebhookResponse {
  status: number;
  body: string | Record<string, unknown>;
}

const bad = (status: number, code: string, message: string, issues: { path: string; message: string }[] = []): WebhookResponse => ({
  status,
  body: { error: { code, message, issues } },
});

const WhatsAppPayload = z.object({
  object: z.string(),
  entry: z.array(
    z.object({
      changes: z.array(
        z.object({
          value: z.object({
            contacts: z.array(z.object({ wa_id: z.string(), profile: z.object({ name: z.string() }).partial().optional() })).optional(),
            messages: z.array(z.object({ from: z.string(), id: z.string(), type: z.string(), text: z.object({ body: z.string() }).optional() })).optional(),
          }),
        }),
      ),
    }),
  ),
});

export const validSignature = (secret: string, rawBody: Buffer, header: string | undefined): boolean => {
  if (!header?.startsWith('sha256=')) return false;
  const expected = createHmac('sha256', secret).update(rawBody).digest();
  const given = Buffer.from(header.slice('sha256='.length), 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
};

/**
 * `webhooks`: `/whatsapp/{channelId}`. GET answers Meta's verify-token
 * handshake; POST checks `X-Hub-Signature-256` over the raw body and turns
 * each text message into `inbound.receive` (repeats change nothing: the
 * message id is the receipt).
 */
export const handleWebhook = async (deps: Deps, config: WebhookConfig, req: WebhookRequest): Promise<WebhookResponse> => {
  // Reached directly (`/whatsapp/{channelId}`) or through the Hosting rewrite (`/webhooks/whatsapp/{channelId}`).
  const match = /^(?:\/webhooks)?\/whatsapp\/([A-Za-z0-9_.:-]{1,128})\/?$/.exec(req.path);
  if (!match) return bad(404, 'not-found', `No webhook at ${req.path}`);
  const channelId = match[1]!;
  if (req.method === 'GET') {
    const ok = req.query['hub.mode'] === 'subscribe' && config.whatsapp.verifyToken !== '' && req.query['hub.verify_token'] === config.whatsapp.verifyToken;
    return ok ? { status: 200, body: String(req.query['hub.challenge'] ?? '') } : bad(403, 'permission-denied', 'Wrong verify token');
  }
  if (req.method !== 'POST') return bad(405, 'invalid-argument', 'Use GET or POST');
  const header = req.headers['x-hub-signature-256'];
  if (!config.whatsapp.appSecret || !validSignature(config.whatsapp.appSecret, req.rawBody, Array.isArray(header) ? header[0] : header))
    return bad(401, 'unauthenticated', 'Bad or missing X-Hub-Signature-256');
  let json: unknown;
  try {
    json = JSON.parse(req.rawBody.toString('utf8'));
  } catch {
    return bad(400, 'invalid-argument', 'The body is not JSON', [{ path: '(body)', message: 'not JSON' }]);
  }
  const payload = WhatsAppPayload.safeParse(json);
  if (!payload.success)
    return bad(400, 'invalid-argument', 'Not a WhatsApp webhook payload', payload.error.issues.map((i) => ({ path: i.path.map(String).join('.') || '(body)', message: i.message })));
  let received = 0;
  let skipped = 0;
  for (const entry of payload.data.entry)
    for (const { value } of entry.changes)
      for (const m of value.messages ?? []) {
        if (m.type !== 'text' || !m.text?.body.trim()) {
          skipped++;
          continue;
        }
        const name = value.contacts?.find((c) => c.wa_id === m.from)?.profile?.name;
        try {
          await executeCommand(commandRegistry, runnerOf(deps), SYSTEM, 'inbound.receive', {
            channelId,
            externalId: m.from,
            contact: { name, phone: m.from },
            channelMessageId: m.id,
            text: m.text.body,
          });
          received++;
        } catch (e) {
          if (isCommandError(e)) return bad(httpStatusOf[e.code], e.code, e.message, e.issues);
          throw e;
        }
      }
  return { status: 200, body: { received, skipped } };
};
