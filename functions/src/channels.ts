import { createHmac } from 'node:crypto';
import { channelAdapters, DEFAULT_GRAPH_URL, httpCarrier, INSTAGRAM_GRAPH_URL, type Carrier, type ChannelType, type HttpAnswer, type HttpCall, type WebhookIo } from '@atende/core';
import type { Deps } from './deps.ts';
import { emailSender, stagedPath, storeInboundFile } from './email.ts';
import type { Carriers } from './outbox.ts';

/**
 * Channel providers on Firebase: the same core carrier and webhook ingest as
 * the embedded server, with `fetch` and node:crypto carrying the bytes.
 * `ATENDE_WHATSAPP_GRAPH_URL` points the Graph calls elsewhere (tests, staging).
 */

const TIMEOUT_MS = 15_000;

export const graphUrl = (): string => (process.env.ATENDE_WHATSAPP_GRAPH_URL ?? DEFAULT_GRAPH_URL).replace(/\/+$/, '');
/** `ATENDE_INSTAGRAM_GRAPH_URL` does the same for Instagram's calls. */
export const instagramUrl = (): string => (process.env.ATENDE_INSTAGRAM_GRAPH_URL ?? INSTAGRAM_GRAPH_URL).replace(/\/+$/, '');
const baseUrlOf = (type: ChannelType) => (type === 'whatsapp' ? graphUrl() : type === 'instagram' ? instagramUrl() : '');

/** Performs an adapter's request; a network failure or timeout is status 0, never a throw. Files are not uploaded from functions yet (status 0: retried, then failed). */
export const performHttp = async (call: HttpCall): Promise<HttpAnswer> => {
  if (call.form) return { status: 0, headers: {}, body: 'file uploads to the provider are not available on Firebase yet' };
  try {
    const res = await fetch(call.url, {
      method: call.method,
      headers: call.headers,
      body: call.json === undefined ? undefined : JSON.stringify(call.json),
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
    const headers = Object.fromEntries([...res.headers.entries()]);
    if ((res.headers.get('content-type') ?? '').includes('json')) {
      const text = await res.text();
      try {
        return { status: res.status, headers, body: JSON.parse(text) };
      } catch {
        return { status: res.status, headers, body: text };
      }
    }
    return { status: res.status, headers, body: new Uint8Array(await res.arrayBuffer()) };
  } catch (e) {
    return { status: 0, headers: {}, body: e instanceof Error ? e.message : String(e) };
  }
};

/**
 * The outbox carriers of every channel type with a provider: core's HTTP
 * carrier per adapter (a file goes as a signed Storage URL the provider
 * fetches, valid a few minutes: Instagram takes files only by URL), and the
 * e-mail channel's SMTP carrier.
 */
export const channelCarriers = (deps?: Deps): Carriers => {
  const carriers: Partial<Record<ChannelType, Carrier>> = {};
  const fileUrl = deps?.signDownload ? (ticketId: string, id: string) => deps.signDownload!(`files/${ticketId}/${id}`) : null;
  for (const [type, adapter] of Object.entries(channelAdapters) as [ChannelType, NonNullable<(typeof channelAdapters)[ChannelType]>][])
    carriers[type] = httpCarrier(adapter, { baseUrl: baseUrlOf(type), fetch: performHttp, fileUrl: (job, id) => (fileUrl ? fileUrl(job.ticket.id, id) : null) });
  if (deps) carriers.email = emailSender(deps);
  return carriers;
};

/** What core's `receiveWebhook` needs on Firebase: customers' files go through the attachment policy into Storage when `deps` can write there. */
export const webhookIo = (type: ChannelType, fallbackAppSecret: string, warn: (message: string, detail?: unknown) => void, deps?: Deps): WebhookIo => ({
  baseUrl: baseUrlOf(type),
  hmac: (key, body) => createHmac('sha256', key).update(body).digest(),
  fetch: performHttp,
  async saveMedia(bytes, media) {
    if (!deps?.writeObject) return 'inbound files are not stored on this server';
    try {
      const ext = media.mime?.split('/')[1]?.split(';')[0] ?? 'bin';
      return await storeInboundFile(deps, bytes, media.name ?? `${media.voice ? 'audio' : media.kind}.${ext}`);
    } catch (e) {
      return e instanceof Error ? e.message : String(e);
    }
  },
  async adoptMedia(attachments, ticketId) {
    for (const a of attachments) await deps?.copyObject?.(stagedPath(a.id), `files/${ticketId}/${a.id}`);
  },
  fallbackAppSecret,
  warn,
});
