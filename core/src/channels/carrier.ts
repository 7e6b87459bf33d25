import type { CarryResult, Carrier, DeliveryJob } from '../outbox/deliver.ts';
import { outboundOf } from '../outbox/deliver.ts';
import type { ChannelAdapter, HttpAnswer, HttpCall, SendContext } from './types.ts';

/** What a backend supplies to carry a channel's HTTP requests. */
export interface HttpIo {
  /** Performs a request; a network failure or timeout resolves to status 0 (never throws for those). */
  fetch(call: HttpCall): Promise<HttpAnswer>;
  /** A URL the provider can fetch the attachment from (signed, short-lived), or null to upload its bytes instead. */
  fileUrl(job: DeliveryJob, attachmentId: string): string | null | Promise<string | null>;
  /** The provider base URL for this channel type (`ATENDE_WHATSAPP_GRAPH_URL`…). */
  baseUrl: string;
}

/**
 * The HTTP carrier both backends use: builds the adapter's requests for a
 * job, performs them in order through `io.fetch`, and reads each answer with
 * the adapter. The first request that does not succeed decides the outcome.
 */
export const httpCarrier =
  (adapter: ChannelAdapter, io: HttpIo): Carrier =>
  async (job): Promise<CarryResult> => {
    if (!job.channel.account || !job.secrets)
      return { kind: 'give-up', failure: { code: 'not-configured', providerCode: null, detail: 'the channel has no account or access token' } };
    if (!job.to) return { kind: 'give-up', failure: { code: 'invalid-recipient', providerCode: null, detail: 'the contact has no id on this channel' } };
    const ctx: SendContext = { baseUrl: io.baseUrl, account: job.channel.account, secrets: job.secrets, humanAgentTag: job.channel.humanAgentTag === true };
    const urls = new Map<string, string | null>();
    for (const a of job.message.attachments) urls.set(a.id, await io.fileUrl(job, a.id));
    const out = outboundOf(job, (id) => urls.get(id) ?? null);
    // Files without a public URL are uploaded first; the message then refers to the provider's media id.
    for (const attachment of out.attachments) {
      if (attachment.url !== null || !adapter.uploadRequest) continue;
      const answer = await io.fetch(adapter.uploadRequest(ctx, attachment));
      const uploaded = adapter.readUpload!(answer);
      if (uploaded.kind !== 'uploaded') return uploaded;
      attachment.url = `media:${uploaded.mediaId}`;
    }
    const ids: string[] = [];
    for (const call of adapter.buildSend(ctx, out)) {
      const result = adapter.readSendAnswer(await io.fetch(call));
      if (result.kind !== 'sent') return result;
      ids.push(result.channelMessageId);
    }
    const last = ids.at(-1);
    if (!last) return { kind: 'give-up', failure: { code: 'rejected', providerCode: null, detail: 'nothing to send' } };
    return { kind: 'sent', channelMessageId: last, channelMessageIds: ids };
  };
