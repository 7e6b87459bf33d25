import type { FastifyInstance } from 'fastify';
import { adapterOf, refs, receiveWebhook, SIGNATURE_HEADER } from '@atende/core';

/**
 * The same for `/webhooks/instagram` (routed by the Instagram account id of `entry[].id`).
 * `GET /webhooks/whatsapp`: Meta's verify handshake (`hub.mode=subscribe`,
 * `hub.verify_token` equal to a WhatsApp channel's verify token → echo
 * `hub.challenge`, else 403). `POST /webhooks/whatsapp`: one URL for every
 * number of the app; core parses, routes by `phone_number_id`, checks
 * `X-Hub-Signature-256` over the raw bytes and runs the commands.
 */
export default async function webhookRoutes(app: FastifyInstance) {
  // The signature is over the exact bytes Meta sent: keep them raw here (this plugin only).
  app.addContentTypeParser(['application/json', 'text/plain'], { parseAs: 'buffer', bodyLimit: 1024 * 1024 }, (_req, body, done) => done(null, body));

  // Meta's providers share the handshake, the signature and core's receiveWebhook: one route pair each.
  for (const type of ['whatsapp', 'instagram'] as const) {
    app.get(`/webhooks/${type}`, async (request, reply) => {
      const query = request.query as Record<string, unknown>;
      const adapter = adapterOf(type)!;
      const channels = app.store.query({ collection: 'channels', where: [['type', '==', type]], orderBy: [], limit: 100 });
      const tokens = channels.map((c) => app.store.get(refs.channelSecrets(c.id))?.verifyToken ?? '').filter(Boolean);
      const challenge = tokens.map((t) => adapter.verifyHandshake!(query, t)).find((c) => c !== null);
      if (challenge === undefined)
        return reply.code(403).send({ error: { code: 'permission-denied', message: 'Token de verificação incorreto. (Wrong verify token.)', issues: [{ path: 'hub.verify_token', message: 'does not match' }] } });
      return reply.type('text/plain').send(challenge);
    });

    // A provider posts once per event, thousands a second at peak: no two info lines per delivery (refusals and errors still log).
    app.post(`/webhooks/${type}`, { logLevel: 'warn' }, async (request, reply) => {
      const raw = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
      const outcome = await receiveWebhook(app.deps, adapterOf(type)!, raw, request.headers[SIGNATURE_HEADER], app.channels.webhookIo(type));
      return reply.code(outcome.status).send(outcome.body);
    });
  }
}
