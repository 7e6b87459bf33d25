import { createHmac, timingSafeEqual } from 'node:crypto';
import { commandRegistry, executeCommand, httpStatusOf, isCommandError, SYSTEM } from '@atende/core';
import { z } from 'zod';
import { runnerOf, type Deps } from './deps.ts';
import { bad, type WebhookRequest, type WebhookResponse } from './http.ts';

export interface WebhookConfig {
  whatsapp: { verifyToken: string; appSecret: string };
}

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
