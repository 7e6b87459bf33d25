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

/**
 * Performs an adapter's request; a network failure or timeout is status 0, never a throw.
 * A multipart upload's file comes from `fileBytes` (the attachment in Storage).
 */
export const performHttp = async (call: HttpCall, fileBytes: (attachmentId: string) => Promise<Uint8Array | null> = async () => null): Promise<HttpAnswer> => {
  const headers = { ...call.headers };
  let body: string | FormData | undefined = call.json === undefined ? undefined : JSON.stringify(call.json);
  if (call.form) {
    const form = new FormData();
    for (const [k, v] of Object.entries(call.form.fields)) form.append(k, v);
    const file = call.form.file;
    if (file) {
      const bytes = await fileBytes(file.attachmentId);
      if (!bytes) return { status: 0, headers: {}, body: `file ${file.attachmentId} is not in Storage` };
      form.append(file.field, new Blob([new Uint8Array(bytes)], { type: file.mime }), file.name);
    }
    body = form;
    delete headers['content-type'];
  }
  try {
    const res = await fetch(call.url, { method: call.method, headers, body, signal: AbortSignal.timeout(TIMEOUT_MS) });
    const answerHeaders = Object.fromEntries([...res.headers.entries()]);
    if ((res.headers.get('content-type') ?? '').includes('json')) {
      const text = await res.text();
      try {
        return { status: res.status, headers: answerHeaders, body: JSON.parse(text) };
      } catch {
        return { status: res.status, headers: answerHeaders, body: text };
      }
    }
    return { status: res.status, headers: answerHeaders, body: new Uint8Array(await res.arrayBuffer()) };
  } catch (e) {
    return { status: 0, headers: {}, body: e instanceof Error ? e.message : String(e) };
  }
};

/**
 * The outbox carriers of every channel type with a provider: core's HTTP
 * carrier per adapter (a file goes as a signed Storage URL the provider
 * fetches, valid a few minutes: Instagram takes files only by URL; without
 * URL signing, WhatsApp gets the bytes read from Storage and uploaded with
 * `POST /{phone-number-id}/media`), and the e-mail channel's SMTP carrier.
 */
export const channelCarriers = (deps?: Deps): Carriers => {
  const carriers: Partial<Record<ChannelType, Carrier>> = {};
  const fileUrl = deps?.signDownload ? (ticketId: string, id: string) => deps.signDownload!(`files/${ticketId}/${id}`) : null;
  for (const [type, adapter] of Object.entries(channelAdapters) as [ChannelType, NonNullable<(typeof channelAdapters)[ChannelType]>][])
    carriers[type] = (job) =>
      httpCarrier(adapter, {
        baseUrl: baseUrlOf(type),
        fetch: (call) => performHttp(call, async (id) => (deps?.readObject ? deps.readObject(`files/${job.ticket.id}/${id}`) : null)),
        fileUrl: (_, id) => (fileUrl ? fileUrl(job.ticket.id, id) : null),
      })(job);
  if (deps) carriers.email = emailSender(deps);
  return carriers;
};

/** What core's `receiveWebhook` needs on Firebase: customers' files go through the attachment policy into Storage when `deps` can write there. */
export const webhookIo = (type: ChannelType, fallbackAppSecret: string, warn: (message: string, detail?: unknown) => void, deps?: Deps): WebhookIo => ({
  baseUrl: baseUrlOf(type),
  hmac: (key, body) => createHmac('sha256', key).update(body).digest(),
  fetch: (call) => performHttp(call),
  async saveMedia(bytes, media) {
    if (!deps?.writeObject) return 'inbound files are not stored on this server';
    try {
      return await storeInboundFile(deps, bytes, media.name ?? '', media);
    } catch (e) {
      return e instanceof Error ? e.message : String(e);
    }
  },
  async adoptMedia(attachments, ticketId) {
    for (const a of attachments) if (await deps?.copyObject?.(stagedPath(a.id), `files/${ticketId}/${a.id}`)) await deps?.deleteObject?.(stagedPath(a.id));
  },
  fallbackAppSecret,
  warn,
});
