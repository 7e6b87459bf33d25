import {
  CommandError,
  commandRegistry,
  checkProviderFile,
  constantTimeEqual,
  executeCommand,
  Id,
  isCommandError,
  refs,
  SYSTEM,
  type Attachment,
  type ProviderFileInfo,
  type Carrier,
  type Channel,
} from '@atende/core';
import { emailCarrier, receiveMail, type EmailInboundInput } from '@atende/core/email';
import { fetchOnce, MAX_RAW_BYTES, parseRawMail, sendMail } from '@atende/mail';
import { storeOf, type Deps } from './deps.ts';
import { sendingReplies, type Carriers } from './outbox.ts';
import { bad, type WebhookRequest, type WebhookResponse } from './http.ts';
import { skippingMalformed } from './malformed.ts';

/**
 * The e-mail channel on Firebase, the same core rules as the embedded
 * server (`receiveMail` decides sender, thread, history and files;
 * `emailCarrier` builds the reply): these functions carry the bytes —
 * the inbound HTTP endpoint, the scheduled IMAP poll and SMTP sending
 * (@atende/mail). Passwords and the inbound token live in `channelSecrets`.
 */

export type MailLog = { info(obj: unknown, msg: string): void; warn(obj: unknown, msg: string): void };
const quiet: MailLog = { info: () => undefined, warn: () => undefined };

/** Where a customer's file waits until the ticket its message lands in is known. */
export const stagedPath = (id: string) => `files/_incoming/${id}`;

/** One file a customer sent (mail or DM), typed by its content and checked against the attachment policy, staged in Storage. */
export const storeInboundFile = async (deps: Deps, bytes: Uint8Array, name: string, file: ProviderFileInfo = { kind: 'document', name }): Promise<Attachment> => {
  if (!deps.writeObject) throw new CommandError('failed-precondition', 'File storage is not configured on this server');
  const settings = await storeOf(deps.db).transaction((tx) => tx.get(refs.settings()));
  const rule = settings?.attachments ?? { maxBytes: 16 * 1024 * 1024, allowedTypes: [] };
  // Core's rule for provider files (type from the bytes, the policy, the name), as on the embedded server.
  const checked = checkProviderFile(bytes, { ...file, name: file.name || name || null }, rule);
  if (!checked.ok) {
    if (checked.why === 'empty') throw new CommandError('invalid-argument', 'O arquivo está vazio. (The file is empty.)', [{ path: 'file', message: 'empty' }]);
    if (checked.why === 'too-large') throw new CommandError('invalid-argument', `The file is larger than ${Math.floor(rule.maxBytes / 1048576)} MB`, [{ path: 'size', message: 'too large' }]);
    throw new CommandError('invalid-argument', `Files of type ${checked.mime ?? 'unknown'} are not accepted`, [{ path: 'mime', message: 'type not allowed' }]);
  }
  const id = deps.newId();
  await deps.writeObject(stagedPath(id), bytes, checked.mime);
  return { id, name: checked.name, mime: checked.mime, size: checked.size, kind: checked.kind };
};

/** Runs one raw mail through core's `receiveMail`: files through the policy into Storage, then `inbound.receive` as the system. */
export const receiveRawMail = async (deps: Deps, channel: Channel, raw: Buffer, log: MailLog = quiet, carriers?: Carriers): Promise<'received' | 'ignored'> => {
  const mailbox = channel.account?.id;
  if (!mailbox) throw new Error(`channel ${channel.id} has no address`);
  const { mail, files } = await parseRawMail(raw);
  const staged: string[] = [];
  return receiveMail({ id: channel.id, mailbox }, mail, files, {
    async storeFile(bytes, name) {
      const attachment = await storeInboundFile(deps, bytes, name);
      staged.push(attachment.id);
      return attachment;
    },
    async receive(input: EmailInboundInput) {
      // With `carriers`, the bot's and the automation's replies leave by SMTP right after the commit (sendingReplies).
      const result = (await sendingReplies(deps, carriers, (runner) => executeCommand(commandRegistry, runner, SYSTEM, 'inbound.receive', input))) as { ticketId: string; duplicate: boolean };
      // The files go where the message landed (`files/{ticketId}/{id}`, what the files function serves).
      if (!result.duplicate && deps.copyObject)
        for (const id of staged) if (await deps.copyObject(stagedPath(id), `files/${result.ticketId}/${id}`)) await deps.deleteObject?.(stagedPath(id));
      return result;
    },
    log,
  });
};

const encoder = new TextEncoder();

/**
 * `emailInbound` (HTTP; Hosting rewrites `/webhooks/email/**` here):
 * `POST /webhooks/email/{channelId}` with the raw message (`message/rfc822`)
 * and `Authorization: Bearer <inbound token>`, for mail providers that
 * forward each received message to a URL. The same contract as the embedded server.
 */
export const handleEmailInbound = async (deps: Deps, req: WebhookRequest, log: MailLog = quiet, carriers?: Carriers): Promise<WebhookResponse> => {
  const match = /^(?:\/webhooks)?(?:\/email)?\/([^/]{1,128})\/?$/.exec(req.path);
  if (req.method !== 'POST') return bad(405, 'invalid-argument', 'Use POST');
  const channelId = Id.safeParse(match?.[1] ?? '');
  const { channel, token } = channelId.success
    ? await storeOf(deps.db).transaction(async (tx) => ({ channel: await tx.get(refs.channel(channelId.data)), token: (await tx.get(refs.channelSecrets(channelId.data)))?.verifyToken ?? '' }))
    : { channel: null, token: '' };
  const header = req.headers.authorization;
  const given = /^Bearer\s+(.+)$/i.exec(typeof header === 'string' ? header : '')?.[1]?.trim() ?? '';
  if (!channel || channel.type !== 'email' || !token || !constantTimeEqual(encoder.encode(given), encoder.encode(token)))
    return bad(401, 'unauthenticated', 'Canal ou token de entrada inválido. (Unknown channel or wrong inbound token.)');
  if (!channel.active) return bad(409, 'failed-precondition', 'O canal está desativado. (The channel is switched off.)');
  if (req.rawBody.length === 0) return bad(400, 'invalid-argument', 'Envie a mensagem bruta (message/rfc822). (Send the raw message as message/rfc822.)', [{ path: '(body)', message: 'empty' }]);
  if (req.rawBody.length > MAX_RAW_BYTES) return bad(413, 'invalid-argument', `A mensagem passa de ${MAX_RAW_BYTES} bytes. (The message is larger than ${MAX_RAW_BYTES} bytes.)`);
  try {
    const outcome = await receiveRawMail(deps, channel, req.rawBody, log, carriers);
    return { status: outcome === 'received' ? 200 : 202, body: { outcome } };
  } catch (e) {
    if (isCommandError(e)) return bad(400, e.code, e.message, e.issues);
    throw e;
  }
};

/**
 * `emailPoll` (scheduled): reads every active e-mail channel's IMAP inbox
 * once — each unseen mail becomes a message, then is flagged \Seen. A
 * mailbox that cannot be reached is logged and tried again next run.
 */
export const handleEmailPoll = async (deps: Deps, log: MailLog = quiet, carriers?: Carriers): Promise<{ mailboxes: number; mails: number; failed: string[]; skipped?: string }> => {
  const store = storeOf(deps.db);
  // An e-mail channel broken by hand in the console: this run reads no mailbox and says why (malformed.ts), not a throw every 2 minutes.
  const channels = await skippingMalformed(() =>
    store.transaction(async (tx) => {
      const all = await tx.query({ collection: 'channels', where: [['type', '==', 'email']], orderBy: [], limit: 100 });
      return Promise.all(all.map(async (channel) => ({ channel, password: (await tx.get(refs.channelSecrets(channel.id)))?.imapPassword ?? '' })));
    }),
  );
  if (!Array.isArray(channels)) return { mailboxes: 0, mails: 0, failed: [], skipped: channels.skipped };
  let mailboxes = 0;
  let mails = 0;
  const failed: string[] = [];
  for (const { channel, password } of channels) {
    const imap = channel.mail?.imap;
    if (!channel.active || !imap?.user || !password || !channel.account?.id) continue;
    mailboxes++;
    try {
      mails += await fetchOnce({ ...imap, password }, async (raw) => void (await receiveRawMail(deps, channel, raw.source, log, carriers)), log);
    } catch (e) {
      failed.push(channel.id);
      log.warn({ channelId: channel.id, err: e instanceof Error ? e.message : String(e) }, 'reading the mailbox failed');
    }
  }
  return { mailboxes, mails, failed };
};

/** The e-mail channel's outbox carrier on Firebase: core's `emailCarrier` over Firestore, Storage and SMTP. */
export const emailSender = (deps: Deps): Carrier => {
  const store = storeOf(deps.db);
  return emailCarrier({
    smtpPassword: async (channelId) => (await store.transaction((tx) => tx.get(refs.channelSecrets(channelId))))?.smtpPassword ?? '',
    async lastCustomerMail(ticketId) {
      // Newest first, filtered here: the single-field order needs no composite index.
      const recent = await store.transaction((tx) => tx.query({ collection: 'messages', parentId: ticketId, where: [], orderBy: [['createdAt', 'desc']], limit: 30 }));
      const mail = recent.find((m) => m.direction === 'in' && m.email && m.channelMessageId);
      return mail?.email && mail.channelMessageId ? { messageId: mail.channelMessageId, email: mail.email } : null;
    },
    signature: async (sectorId) => (sectorId ? ((await store.transaction((tx) => tx.get(refs.sector(sectorId))))?.signature ?? '') : ''),
    async readFile(ticketId, attachment) {
      const bytes = deps.readObject ? await deps.readObject(`files/${ticketId}/${attachment.id}`) : null;
      if (!bytes) throw new Error(`file ${attachment.id} is not stored with ticket ${ticketId}`);
      return bytes;
    },
    send: (server, mail, files) => sendMail(server, mail, files.map((f) => ({ ...f, content: Buffer.from(f.content) }))),
  });
};
