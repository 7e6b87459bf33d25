import { commandRegistry } from '../commands/index.ts';
import { executeCommand, type RunnerDeps } from '../commands/runtime.ts';
import { isCommandError } from '../errors.ts';
import type { Attachment, Channel } from '../model/index.ts';
import { SYSTEM } from '../policy.ts';
import { refs } from '../store/refs.ts';
import { findByProviderKey, providerKey } from './received.ts';
import { verifySignature } from './signature.ts';
import { WebhookError, type ChannelAdapter, type HttpAnswer, type HttpCall, type InboundMedia, type InboundMessageEvent, type SendContext } from './types.ts';

/**
 * A provider's webhook POST, the same on both backends: parse, route each
 * event by its account to a channel, verify the signature with that
 * channel's app secret, download media (two steps, through the attachment
 * policy), then run `inbound.receive` / `inbound.react` / `channel.status`.
 * Nothing is written unless the signature is right.
 */
export interface WebhookIo {
  /** HMAC-SHA256 of the raw body with this key (node:crypto in both backends). */
  hmac(key: string, body: Uint8Array): Uint8Array;
  fetch(call: HttpCall): Promise<HttpAnswer>;
  /** Stores downloaded bytes as a ticket-less attachment after sniffing them and checking the policy; a string says why not. */
  saveMedia(bytes: Uint8Array, media: InboundMedia & { mime: string | null }, channel: Channel): Promise<Attachment | string>;
  /** Moves files saved by `saveMedia` under the ticket their message landed in. */
  adoptMedia?(attachments: Attachment[], ticketId: string): Promise<void> | void;
  baseUrl: string;
  /** The app secret to check with when a channel has none stored (functions' WHATSAPP_APP_SECRET). */
  fallbackAppSecret?: string;
  warn(message: string, detail?: unknown): void;
}

export interface WebhookOutcome {
  status: number;
  body: Record<string, unknown>;
}

const bad = (status: number, code: string, message: string, issues: { path: string; message: string }[] = []): WebhookOutcome => ({ status, body: { error: { code, message, issues } } });

/** Channels of a type by provider account, with their secrets (read by the backend only). */
const routeAccounts = (runner: RunnerDeps, type: Channel['type'], accounts: string[]) =>
  runner.store.transaction(async (tx) => {
    const found = new Map<string, { channel: Channel; appSecret: string; accessToken: string }>();
    if (accounts.length === 0) return found;
    // One query by type (a workspace has a handful of numbers), matched by account in memory:
    // the Firestore emulator used in tests cannot filter on a nested field.
    const ofType = await tx.query({ collection: 'channels', where: [['type', '==', type]], orderBy: [], limit: 200 });
    for (const account of accounts) {
      const channel = ofType.find((c) => c.account?.id === account);
      if (!channel) continue;
      const secrets = await tx.get(refs.channelSecrets(channel.id));
      found.set(account, { channel, appSecret: secrets?.appSecret ?? '', accessToken: secrets?.accessToken ?? '' });
    }
    return found;
  });

/** The two-step download of one file; a string is why it could not be had. */
const download = async (adapter: ChannelAdapter, ctx: SendContext, media: InboundMedia, channel: Channel, io: WebhookIo): Promise<Attachment | string> => {
  if (!adapter.mediaDownloadRequest) return 'this channel cannot download files';
  try {
    // Two steps (WhatsApp: the media id resolves to a URL) or one (Instagram: the ref is the URL).
    const info = adapter.mediaInfoRequest && adapter.readMediaInfo ? adapter.readMediaInfo(await io.fetch(adapter.mediaInfoRequest(ctx, media.ref))) : { url: media.ref, mime: null };
    const file = await io.fetch(adapter.mediaDownloadRequest(ctx, info.url));
    if (file.status !== 200 || !(file.body instanceof Uint8Array)) return `download failed: HTTP ${file.status}`;
    return await io.saveMedia(file.body, { ...media, mime: info.mime ?? media.mime }, channel);
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
};

export const receiveWebhook = async (runner: RunnerDeps, adapter: ChannelAdapter, rawBody: Uint8Array, signature: string | string[] | undefined, io: WebhookIo): Promise<WebhookOutcome> => {
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder().decode(rawBody));
  } catch {
    return bad(400, 'invalid-argument', 'The body is not JSON', [{ path: '(body)', message: 'not JSON' }]);
  }
  let parsed;
  try {
    parsed = adapter.parseWebhook(json);
  } catch (e) {
    if (e instanceof WebhookError) return bad(400, 'invalid-argument', e.message, e.issues);
    throw e;
  }
  const accounts = [...new Set([...parsed.events.map((e) => e.account), ...(parsed.accounts ?? [])])];
  const routes = await routeAccounts(runner, adapter.type, accounts);
  // Every secret that routes something must sign these bytes; with nothing routed, the fallback must.
  const secrets = new Set([...routes.values()].map((r) => r.appSecret || io.fallbackAppSecret || ''));
  if (secrets.size === 0) secrets.add(io.fallbackAppSecret ?? '');
  for (const secret of secrets)
    if (!secret || !verifySignature(signature, () => io.hmac(secret, rawBody))) return bad(401, 'unauthenticated', 'Bad or missing X-Hub-Signature-256');
  const ignored = [...parsed.ignored];
  let received = 0;
  let statuses = 0;
  const run = (name: string, input: unknown) => executeCommand(commandRegistry, runner, SYSTEM, name, input);
  for (const event of parsed.events) {
    const route = routes.get(event.account);
    if (!route) {
      ignored.push(`account ${event.account} is not connected to a channel`);
      continue;
    }
    const channelId = route.channel.id;
    try {
      if (event.kind === 'status') {
        await run('channel.status', { channelId, channelMessageId: event.channelMessageId, status: event.status, failure: event.failure });
        statuses++;
      } else if (event.kind === 'reaction') {
        const r = (await run('inbound.react', { channelId, targetChannelMessageId: event.targetChannelMessageId, emoji: event.emoji })) as { applied: boolean; reason: string | null };
        if (!r.applied) ignored.push(`reaction ${event.channelMessageId}: ${r.reason}`);
      } else if (event.kind === 'deleted') {
        const r = (await run('inbound.deleted', { channelId, channelMessageId: event.channelMessageId })) as { applied: boolean; reason: string | null };
        if (!r.applied) ignored.push(`deleted ${event.channelMessageId}: ${r.reason}`);
      } else {
        await receive(runner, adapter, route, event, io, run);
        received++;
      }
    } catch (e) {
      if (!isCommandError(e)) throw e;
      ignored.push(`${event.kind} ${'channelMessageId' in event ? event.channelMessageId : ''}: ${e.message}`);
    }
  }
  if (ignored.length) io.warn('webhook events ignored', ignored);
  return { status: 200, body: { received, statuses, ignored: ignored.length } };
};

const receive = async (
  runner: RunnerDeps,
  adapter: ChannelAdapter,
  route: { channel: Channel; accessToken: string },
  event: InboundMessageEvent,
  io: WebhookIo,
  run: (name: string, input: unknown) => Promise<unknown>,
) => {
  const channel = route.channel;
  const attachments: Attachment[] = [];
  const notes: string[] = [];
  if (event.media.length > 0) {
    // A repeated delivery must not download again: the message is already here.
    const known = await runner.store.transaction((tx) => findByProviderKey(tx, providerKey(channel.id, event.channelMessageId)));
    if (known) return;
    const ctx: SendContext = { baseUrl: io.baseUrl, account: channel.account!, secrets: { accessToken: route.accessToken } };
    for (const media of event.media) {
      const saved = await download(adapter, ctx, media, channel, io);
      if (typeof saved === 'string') {
        notes.push(`📎 Arquivo não recebido (${saved})`);
        io.warn('inbound media not stored', { channelId: channel.id, media: media.ref, reason: saved });
      } else attachments.push(saved);
    }
  }
  const contact = { ...event.contact };
  if (!contact.name && adapter.profileRequest && adapter.readProfile) {
    // A customer the webhook does not name (Instagram): ask the provider once, when the contact is new.
    const known = await runner.store.transaction((tx) =>
      tx.query({ collection: 'contacts', where: [['identityKeys', 'array-contains', `${channel.id}:${event.externalId}`]], orderBy: [], limit: 1 }),
    );
    if (known.length === 0) {
      try {
        const ctx: SendContext = { baseUrl: io.baseUrl, account: channel.account!, secrets: { accessToken: route.accessToken } };
        const profile = adapter.readProfile(await io.fetch(adapter.profileRequest(ctx, event.externalId)));
        if (profile) contact.name = profile.name;
      } catch (e) {
        io.warn('customer profile not read', { channelId: channel.id, reason: e instanceof Error ? e.message : String(e) });
      }
    }
  }
  const text = [event.text, ...notes].filter(Boolean).join('\n');
  const result = (await run('inbound.receive', {
    channelId: channel.id,
    externalId: event.externalId,
    contact,
    channelMessageId: event.channelMessageId,
    text,
    attachments,
    replyToChannelMessageId: event.replyToChannelMessageId,
    unsupportedType: text || attachments.length ? event.unsupportedType : (event.unsupportedType ?? 'vazio'),
  })) as { ticketId: string };
  if (attachments.length && io.adoptMedia) await io.adoptMedia(attachments, result.ticketId);
};
