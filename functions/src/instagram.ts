import { createHmac } from 'node:crypto';
import { adapterOf, INSTAGRAM_GRAPH_URL, receiveWebhook, refs, SIGNATURE_HEADER, type HttpAnswer, type HttpCall, type WebhookIo } from '@atende/core';
import { runnerOf, type Deps } from './deps.ts';
import { bad, type WebhookRequest, type WebhookResponse } from './http.ts';

/** A provider request as core describes it, carried with fetch (JSON bodies only: the functions store no Instagram files yet). */
const perform = async (call: HttpCall): Promise<HttpAnswer> => {
  try {
    const res = await fetch(call.url, {
      method: call.method,
      headers: call.headers,
      ...(call.json !== undefined ? { body: JSON.stringify(call.json) } : {}),
      signal: AbortSignal.timeout(15_000),
    });
    const text = await res.text();
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      /* not JSON: kept as text */
    }
    return { status: res.status, headers: Object.fromEntries(res.headers), body };
  } catch (e) {
    return { status: 0, headers: {}, body: { error: { message: e instanceof Error ? e.message : String(e) } } };
  }
};

/**
 * `instagramWebhook`: Meta's Instagram messaging webhook on Firebase, the
 * same core path as the embedded server's `/webhooks/instagram`: GET answers
 * the handshake with an Instagram channel's verify token; POST runs core's
 * `receiveWebhook` (route by `entry[].id` → channel `account.id`, check
 * `X-Hub-Signature-256` with that channel's app secret, `inbound.receive` /
 * `inbound.deleted`…). Files customers send are noted in the thread, not stored (yet).
 */
export const handleInstagramWebhook = async (deps: Deps, req: WebhookRequest, log: (message: string, detail?: unknown) => void = () => undefined): Promise<WebhookResponse> => {
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
  const io: WebhookIo = {
    baseUrl: (process.env.ATENDE_INSTAGRAM_GRAPH_URL ?? INSTAGRAM_GRAPH_URL).replace(/\/+$/, ''),
    hmac: (key, body) => createHmac('sha256', key).update(body).digest(),
    fetch: perform,
    saveMedia: async () => 'files from Instagram are not stored on Firebase yet',
    warn: log,
  };
  const outcome = await receiveWebhook(runner, adapter, req.rawBody, req.headers[SIGNATURE_HEADER], io);
  return { status: outcome.status, body: outcome.body };
};
