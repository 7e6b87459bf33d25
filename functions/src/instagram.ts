import { adapterOf, receiveWebhook, refs, SIGNATURE_HEADER } from '@atende/core';
import { webhookIo } from './channels.ts';
import { runnerOf, type Deps } from './deps.ts';
import { sendingReplies, type Carriers } from './outbox.ts';
import { bad, type WebhookRequest, type WebhookResponse } from './http.ts';

/**
 * `instagramWebhook`: Meta's Instagram messaging webhook on Firebase, the
 * same core path as the embedded server's `/webhooks/instagram`: GET answers
 * the handshake with an Instagram channel's verify token; POST runs core's
 * `receiveWebhook` (route by `entry[].id` → channel `account.id`, check
 * `X-Hub-Signature-256` with that channel's app secret, `inbound.receive` /
 * `inbound.deleted`…). Files customers send go into Storage through the attachment policy. With `carriers`
 * (production), the bot's replies are sent right after their commit, as the WhatsApp webhook's are.
 */
export const handleInstagramWebhook = async (
  deps: Deps,
  req: WebhookRequest,
  log: (message: string, detail?: unknown) => void = () => undefined,
  carriers?: Carriers,
): Promise<WebhookResponse> => {
  const adapter = adapterOf('instagram')!;
  const runner = runnerOf(deps);
  if (req.method === 'GET') {
    const tokens = await runner.store.transaction(async (tx) => {
      const channels = await tx.query({ collection: 'channels', where: [['type', '==', 'instagram']], orderBy: [], limit: 100 });
      return (await Promise.all(channels.map((c) => tx.get(refs.channelSecrets(c.id))))).map((s) => s?.verifyToken ?? '').filter(Boolean);
    });
    const challenge = tokens.map((t) => adapter.verifyHandshake!(req.query, t)).find((c) => c !== null);
    return challenge === undefined ? bad(403, 'permission-denied', 'Wrong verify token') : { status: 200, body: challenge };
  }
  if (req.method !== 'POST') return bad(405, 'invalid-argument', 'Use GET or POST');
  // With `carriers` (production) the bot's and the automation's replies leave right after their commit (sendingReplies).
  const outcome = await sendingReplies(deps, carriers, (sending) => receiveWebhook(sending, adapter, req.rawBody, req.headers[SIGNATURE_HEADER], webhookIo('instagram', '', log, deps)));
  return { status: outcome.status, body: outcome.body };
};
