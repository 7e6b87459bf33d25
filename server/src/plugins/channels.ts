import { createHmac } from 'node:crypto';
import fp from 'fastify-plugin';
import { channelAdapters, DEFAULT_GRAPH_URL, INSTAGRAM_GRAPH_URL, httpCarrier, type Attachment, type ChannelType, type DeliveryJob, type WebhookIo } from '@atende/core';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { CommandError, checkProviderFile, type ProviderFileInfo } from '@atende/core';
import { adoptFile, attachmentPolicy, findFile, notAllowed, recordFile, tooLarge } from '../lib/files.ts';
import { performHttp, readStoredFile } from '../channels/http.ts';
import { createWidgetSessions } from '../widget/sessions.ts';

export interface ChannelsOptions {
  /** Base of every Graph call (default `ATENDE_WHATSAPP_GRAPH_URL`, else Meta's); a function when known only once listening. */
  whatsappGraphUrl?: string | (() => string);
  /** Base of every Instagram call (default `ATENDE_INSTAGRAM_GRAPH_URL`, else Meta's). */
  instagramGraphUrl?: string | (() => string);
  /** Where providers fetch the files an agent sends (`PUBLIC_URL`; Instagram takes files only by URL). */
  publicUrl?: string | (() => string);
}

declare module 'fastify' {
  interface FastifyInstance {
    channels: { baseUrl(type: ChannelType): string; webhookIo(type: ChannelType): WebhookIo };
  }
}

/**
 * Channel providers on the embedded server: plugs core's HTTP carrier for
 * each adapter into the outbox, and gives the webhook routes their I/O
 * (HMAC with node:crypto, fetch, files through the attachment policy).
 */
export default fp<ChannelsOptions>(
  async (app, options) => {
    const configured = options.whatsappGraphUrl ?? process.env.ATENDE_WHATSAPP_GRAPH_URL ?? DEFAULT_GRAPH_URL;
    const graphUrl = () => (typeof configured === 'function' ? configured() : configured).replace(/\/+$/, '');
    const instagram = options.instagramGraphUrl ?? process.env.ATENDE_INSTAGRAM_GRAPH_URL ?? INSTAGRAM_GRAPH_URL;
    const instagramUrl = () => (typeof instagram === 'function' ? instagram() : instagram).replace(/\/+$/, '');
    const baseUrl = (type: ChannelType) => (type === 'whatsapp' ? graphUrl() : type === 'instagram' ? instagramUrl() : '');
    const fileBytes = (id: string) => readStoredFile(findFile(app, id)?.path ?? null);
    // Instagram takes an agent's file only by URL: a link to the customer's file route with a short-lived
    // key signed for that customer (what the widget's links use), at PUBLIC_URL.
    const links = createWidgetSessions(app);
    const publicUrl = () => (typeof options.publicUrl === 'function' ? options.publicUrl() : (options.publicUrl ?? '')).replace(/\/+$/, '');
    const linkOf = (job: DeliveryJob, attachmentId: string) => {
      const { fileKey } = links.fileKey({ kind: 'customer', channelId: job.ticket.channelId, contactId: job.ticket.contactId });
      return `${publicUrl()}/api/widget/files/${encodeURIComponent(job.ticket.id)}/${encodeURIComponent(attachmentId)}?key=${encodeURIComponent(fileKey)}`;
    };
    for (const [type, adapter] of Object.entries(channelAdapters) as [ChannelType, NonNullable<(typeof channelAdapters)[ChannelType]>][]) {
      // The server is often not reachable from the provider: files are uploaded where the provider allows it, linked otherwise.
      const fileUrl = type === 'instagram' ? linkOf : () => null;
      const carry = (io: { baseUrl: string }) => httpCarrier(adapter, { baseUrl: io.baseUrl, fetch: (call) => performHttp(call, fileBytes), fileUrl });
      app.outbox.setCarrier(type, (job) => carry({ baseUrl: baseUrl(type) })(job));
    }
    const webhookIo = (type: ChannelType): WebhookIo => ({
      baseUrl: baseUrl(type),
      hmac: (key, body) => createHmac('sha256', key).update(body).digest(),
      fetch: (call) => performHttp(call),
      async saveMedia(bytes, media, channel) {
        try {
          return storeBytes(app, Buffer.from(bytes), media.name ?? '', `channel:${channel.id}`, media);
        } catch (e) {
          return e instanceof Error ? e.message : String(e);
        }
      },
      adoptMedia(attachments: Attachment[], ticketId: string) {
        for (const a of attachments) {
          const row = findFile(app, a.id);
          if (row) adoptFile(app, row, ticketId);
        }
      },
      warn: (message, detail) => app.log.warn({ detail }, message),
    });
    app.decorate('channels', { baseUrl, webhookIo });
  },
  { name: 'channels', dependencies: ['outbox'] },
);


/** A file a provider sent us, checked by core's rule for provider files (type from content, the attachment policy), staged until its ticket is known. */
export const storeBytes = (app: FastifyInstance, bytes: Buffer, filename: string, owner: string, file: ProviderFileInfo = { kind: 'document', name: filename }) => {
  const policy = attachmentPolicy(app);
  const checked = checkProviderFile(bytes, { ...file, name: file.name ?? filename }, policy);
  if (!checked.ok) {
    if (checked.why === 'too-large') throw tooLarge(policy.maxBytes);
    if (checked.why === 'type') throw notAllowed(checked.mime);
    throw new CommandError('invalid-argument', 'O arquivo está vazio. (The file is empty.)', [{ path: 'file', message: 'empty' }]);
  }
  const id = app.newId();
  const dir = join(app.config.filesDir, '_channels');
  mkdirSync(dir, { recursive: true });
  const path = join(dir, id);
  writeFileSync(path, bytes, { flag: 'wx' });
  return recordFile(app, { id, path, filename: checked.name, size: bytes.length, mime: checked.mime }, { ticketId: null, owner });
};
