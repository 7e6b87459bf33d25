import { adapterOf, refs, receiveWebhook, SIGNATURE_HEADER } from '@atende/core';
import { webhookIo } from './channels.ts';
import { storeOf, type Deps } from './deps.ts';
import { sendingReplies, type Carriers } from './outbox.ts';
import { bad, type WebhookRequest, type WebhookResponse } from './http.ts';

export interface WebhookConfig {
  /** Functions secrets WHATSAPP_APP_SECRET / WHATSAPP_VERIFY_TOKEN: used when a channel has none stored (channel.connect). */
  whatsapp: { verifyToken: string; appSecret: string };
}

/**
 * `webhooks`: `/whatsapp` (also `/webhooks/whatsapp` through the Hosting
 * rewrite; a trailing `/{channelId}` of older setups is accepted and
 * ignored). The same core code as the embedded server: GET answers Meta's
 * verify handshake against the channels' verify tokens; POST is parsed,
 * routed by `phone_number_id`, checked against `X-Hub-Signature-256` over
 * the raw bytes and turned into commands by `receiveWebhook`. With `carriers`
 * (production), the bot's and the automation's replies are sent right after
 * their commit, before Meta gets its answer (`sendingReplies`).
 */
export const handleWebhook = async (
  deps: Deps,
  config: WebhookConfig,
  req: WebhookRequest,
  warn: (message: string, detail?: unknown) => void = () => {},
  carriers?: Carriers,
): Promise<WebhookResponse> => {
  if (!/^(?:\/webhooks)?\/whatsapp(?:\/[A-Za-z0-9_.:-]{1,128})?\/?$/.test(req.path)) return bad(404, 'not-found', `No webhook at ${req.path}`);
  const adapter = adapterOf('whatsapp')!;
  if (req.method === 'GET') {
    const channels = await deps.db.collection('channels').where('type', '==', 'whatsapp').limit(100).get();
    const stored = await storeOf(deps.db).transaction(async (tx) => Promise.all(channels.docs.map(async (d) => (await tx.get(refs.channelSecrets(d.id)))?.verifyToken ?? '')));
    const tokens = [config.whatsapp.verifyToken, ...stored].filter(Boolean);
    const challenge = tokens.map((t) => adapter.verifyHandshake!(req.query, t)).find((c) => c !== null);
    return challenge === undefined ? bad(403, 'permission-denied', 'Wrong verify token') : { status: 200, body: challenge };
  }
  if (req.method !== 'POST') return bad(405, 'invalid-argument', 'Use GET or POST');
  return sendingReplies(deps, carriers, (runner) => receiveWebhook(runner, adapter, req.rawBody, req.headers[SIGNATURE_HEADER], webhookIo('whatsapp', config.whatsapp.appSecret, warn, deps)));
};
