import type { FastifyInstance } from 'fastify';
import { CommandError, constantTimeEqual, Id, refs } from '@atende/core';
import { MAX_RAW_BYTES } from '@atende/mail';
import { receiveRawMail } from '../channels/email.ts';

const encoder = new TextEncoder();

/**
 * `POST /webhooks/email/:channelId`: for mail providers that forward each
 * received message to a URL (the raw message as `message/rfc822`), instead
 * of Atende reading the mailbox by IMAP. Authenticated by the channel's
 * inbound token (`Authorization: Bearer …`), compared in constant time.
 */
export default async function emailInboundRoutes(app: FastifyInstance) {
  app.addContentTypeParser(['message/rfc822', 'text/plain', 'application/octet-stream'], { parseAs: 'buffer', bodyLimit: MAX_RAW_BYTES }, (_req, body, done) =>
    done(null, body),
  );

  app.post<{ Params: { channelId: string } }>('/webhooks/email/:channelId', { bodyLimit: MAX_RAW_BYTES }, async (request, reply) => {
    const channelId = Id.safeParse(request.params.channelId);
    const channel = channelId.success ? app.store.get(refs.channel(channelId.data)) : null;
    const token = app.store.get(refs.channelSecrets(channelId.success ? channelId.data : '_'))?.verifyToken ?? '';
    const given = /^Bearer\s+(.+)$/i.exec(request.headers.authorization ?? '')?.[1]?.trim() ?? '';
    if (!channel || channel.type !== 'email' || !token || !constantTimeEqual(encoder.encode(given), encoder.encode(token)))
      throw new CommandError('unauthenticated', 'Canal ou token de entrada inválido. (Unknown channel or wrong inbound token.)');
    if (!channel.active) throw new CommandError('failed-precondition', 'O canal está desativado. (The channel is switched off.)');
    if (!Buffer.isBuffer(request.body) || request.body.length === 0)
      throw new CommandError('invalid-argument', 'Envie a mensagem bruta (message/rfc822). (Send the raw message as message/rfc822.)', [{ path: '(body)', message: 'empty' }]);
    const outcome = await receiveRawMail(app, channel, request.body);
    return reply.code(outcome === 'received' ? 200 : 202).send({ outcome });
  });
}
