import { randomBytes } from 'node:crypto';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { CommandError, Id, commandRegistry, executeCommand, policy, refs, providerKey, widgetContact, WidgetVisitor, type CustomerActor } from '@atende/core';
import { newToken } from '../lib/secrets.ts';
import { adoptFile, attachmentOf, attachmentPolicy, findFile, readingUpload, receiveFile, recordFile, sendFile } from '../lib/files.ts';
import { createWidgetSessions } from '../widget/sessions.ts';
import { createWidgetQuotas } from '../widget/quotas.ts';
import { attachmentSchema, errorResponses, fileParams } from './schemas.ts';

const MAX_TEXT = 4096;

const channelParams = {
  type: 'object',
  required: ['channelId'],
  properties: { channelId: { type: 'string', pattern: '^[A-Za-z0-9_.:-]{1,128}$' } },
} as const;

/**
 * The web-chat widget's API (E2): customers, identified by a bearer token
 * from the session call, reach only their own conversation. No cookies, so
 * it may be embedded on any origin.
 */
const widgetRoutes: FastifyPluginAsync = async (app) => {
  const sessions = createWidgetSessions(app);
  const quotas = createWidgetQuotas(app);
  const requireCustomer = sessions.require;

  const webchatChannel = (channelId: string) => {
    const channel = app.store.get(refs.channel(channelId));
    if (!channel || channel.type !== 'webchat' || !channel.active) throw new CommandError('not-found', 'Este chat não está disponível. (This chat is not available.)');
    return channel;
  };

  const cors = (reply: FastifyReply) =>
    reply.headers({
      'access-control-allow-origin': '*',
      'access-control-allow-headers': 'Authorization, Content-Type',
      'access-control-allow-methods': 'GET, POST, OPTIONS',
      'access-control-max-age': '600',
    });
  // One hook a widget request (a customer's message pays for each): the CORS headers, then one ceiling for every
  // widget request (all channels, all visitors).
  const corsAndCeiling = async (request: FastifyRequest, reply: FastifyReply) => {
    cors(reply);
    await quotas.global(request, reply);
  };
  app.options('/api/widget/*', { onRequest: async (_request, reply) => void cors(reply) }, async (_request, reply) => reply.code(204).send());
  app.addHook('onRoute', (route) => {
    if (!route.url.startsWith('/api/widget/') || route.method === 'OPTIONS') return;
    route.onRequest = [corsAndCeiling as never, ...(Array.isArray(route.onRequest) ? route.onRequest : route.onRequest ? [route.onRequest] : [])];
  });

  app.get<{ Params: { channelId: string } }>(
    '/api/widget/:channelId',
    {
      schema: {
        params: channelParams,
        response: { 200: { type: 'object', properties: { channel: { type: 'object', properties: { id: { type: 'string' }, name: { type: 'string' }, type: { type: 'string' } } } } }, ...errorResponses },
      },
    },
    async (request) => {
      const channel = webchatChannel(request.params.channelId);
      return { channel: { id: channel.id, name: channel.name, type: channel.type } };
    },
  );

  const SessionBody = WidgetVisitor.extend({ token: z.string().max(200).optional() });

  app.post<{ Params: { channelId: string }; Body: unknown }>(
    '/api/widget/:channelId/session',
    {
      schema: {
        params: channelParams,
        body: { type: 'object' },
        response: {
          200: {
            type: 'object',
            properties: { token: { type: 'string' }, contactId: { type: 'string' }, fileKey: { type: 'string' }, fileKeyExpiresAt: { type: 'number' } },
          },
          ...errorResponses,
        },
      },
      preHandler: quotas.newSession,
    },
    async (request) => {
      const channel = webchatChannel(request.params.channelId);
      const parsed = SessionBody.safeParse(request.body);
      if (!parsed.success) {
        const issues = parsed.error.issues.map((i) => ({ path: i.path.join('.') || '(body)', message: i.message }));
        throw new CommandError('invalid-argument', issues[0]?.message ?? 'Dados inválidos', issues);
      }
      const body = parsed.data;
      const resumed = sessions.sessionOf(body.token);
      if (resumed && resumed.actor.channelId === channel.id && app.store.get(refs.contact(resumed.actor.contactId)))
        return { token: body.token!, contactId: resumed.actor.contactId, ...sessions.fileKey(resumed.actor) };

      const now = app.clock();
      const visitorId = `v-${randomBytes(12).toString('base64url')}`;
      const contact = widgetContact(body, channel.id, visitorId, app.newId(), now);
      await app.store.transaction(async (tx) => tx.create(refs.contact(contact.id), contact));
      const { token, hash } = newToken();
      sessions.create({ hash, channelId: channel.id, contactId: contact.id, visitorId });
      return { token, contactId: contact.id, ...sessions.fileKey({ kind: 'customer', channelId: channel.id, contactId: contact.id }) };
    },
  );

  const MessageBody = z.object({
    text: z.string().max(MAX_TEXT, `Mensagem muito longa (máximo ${MAX_TEXT} caracteres). (Message too long.)`).default(''),
    attachments: z.array(z.object({ id: Id }).passthrough()).max(10, 'Envie no máximo 10 arquivos por mensagem. (At most 10 files.)').default([]),
    clientMessageId: z.string().min(1).max(100, 'clientMessageId too long').regex(/^[A-Za-z0-9_.:-]+$/, 'letters, digits, "_", ".", ":" and "-" only'),
  });

  app.post<{ Body: unknown }>(
    '/api/widget/messages',
    {
      // Customers' messages, thousands a second at peak (as provider webhooks): no two info lines per message; errors still log.
      logLevel: 'warn',
      schema: {
        body: { type: 'object' },
        response: {
          200: { type: 'object', properties: { ticketId: { type: 'string' }, messageId: { type: 'string' }, protocol: { type: 'string' } } },
          ...errorResponses,
        },
      },
      // The customer, then their message limits, in one hook.
      preHandler: async (request, reply) => {
        requireCustomer(request);
        for (const limit of quotas.message) await limit(request, reply);
      },
    },
    async (request) => {
      const session = request.customer!;
      const parsed = MessageBody.safeParse(request.body);
      if (!parsed.success) {
        const issues = parsed.error.issues.map((i) => ({ path: i.path.join('.') || '(body)', message: i.message }));
        throw new CommandError('invalid-argument', issues[0]?.message ?? 'Mensagem inválida', issues);
      }
      const body = parsed.data;
      if (!body.text.trim() && body.attachments.length === 0)
        throw new CommandError('invalid-argument', 'Escreva uma mensagem ou anexe um arquivo. (Write a message or attach a file.)', [{ path: 'text', message: 'empty' }]);
      // Only files this customer uploaded, described as the server stored them, and not yet sent:
      // a file already in a ticket stays there (files never move), so citing it again is refused,
      // unless this is a retry of the very message that sent it.
      const owner = `contact:${session.actor.contactId}`;
      // A retry of a message already received (its receipt: SQLite keeps them, core/src/channels/received.ts): looked up only when it matters.
      let retried: boolean | undefined;
      const isRetry = () => (retried ??= app.store.get(refs.receipt(providerKey(session.actor.channelId, body.clientMessageId, session.actor.contactId))) !== null);
      const rows = body.attachments.map((a, i) => {
        const row = findFile(app, a.id);
        if (!row || row.owner !== owner)
          throw new CommandError('invalid-argument', 'Anexo não encontrado: envie o arquivo de novo. (Attachment not found: upload it again.)', [{ path: `attachments.${i}.id`, message: 'not uploaded by you' }]);
        if (row.ticket_id !== null && !isRetry())
          throw new CommandError('invalid-argument', 'Este anexo já foi enviado: anexe o arquivo de novo. (This file was already sent: attach it again.)', [{ path: `attachments.${i}.id`, message: 'already sent in a conversation' }]);
        return row;
      });
      // The quota check only reads: a retry it refuses goes on (its message is already in).
      try {
        quotas.checkNewTicket(session.actor);
      } catch (error) {
        if (!isRetry()) throw error;
      }
      // The contact exists since the session call: inbound.receive finds it by the actor, no details needed here.
      const result = (await executeCommand(commandRegistry, app.deps, session.actor satisfies CustomerActor, 'inbound.receive', {
        channelId: session.actor.channelId,
        externalId: session.visitorId,
        channelMessageId: body.clientMessageId,
        text: body.text,
        attachments: rows.map(attachmentOf),
      })) as { ticketId: string; messageId: string; protocol?: string };
      for (const row of rows) adoptFile(app, row, result.ticketId);
      const protocol = result.protocol ?? app.store.get(refs.ticket(result.ticketId))?.protocol ?? '';
      return { ticketId: result.ticketId, messageId: result.messageId, protocol };
    },
  );

  app.post(
    '/api/widget/files',
    {
      schema: { response: { 200: { type: 'object', properties: { attachment: attachmentSchema } }, ...errorResponses } },
      preHandler: [async (request) => void requireCustomer(request), ...quotas.upload],
    },
    async (request) => {
      const session = request.customer!;
      if (!request.isMultipart()) throw new CommandError('invalid-argument', 'Envie o arquivo como multipart/form-data. (Send the file as multipart/form-data.)', [{ path: 'file', message: 'required' }]);
      const owner = `contact:${session.actor.contactId}`;
      const maxBytes = quotas.stagingRoom(owner, attachmentPolicy(app).maxBytes);
      const part = await readingUpload(() => request.file({ limits: { fileSize: maxBytes, files: 1 } }));
      if (!part) throw new CommandError('invalid-argument', 'Anexe um arquivo. (Attach a file.)', [{ path: 'file', message: 'required' }]);
      const received = await readingUpload(() => receiveFile(app, part, `_widget/${session.actor.contactId}`, maxBytes));
      return { attachment: recordFile(app, received, { ticketId: null, owner }) };
    },
  );

  // A fresh file key for links, before the last one expires.
  app.post(
    '/api/widget/file-key',
    {
      schema: { response: { 200: { type: 'object', properties: { fileKey: { type: 'string' }, fileKeyExpiresAt: { type: 'number' } } }, ...errorResponses } },
      preHandler: async (request) => void requireCustomer(request),
    },
    async (request) => sessions.fileKey(request.customer!.actor),
  );

  app.get<{ Params: { ticketId: string; attachmentId: string } }>(
    '/api/widget/files/:ticketId/:attachmentId',
    {
      schema: {
        params: fileParams,
      },
    },
    async (request, reply) => {
      // A link carries a short-lived signed key (`?key=`), never the conversation's token; a script may send the token as a header.
      const key = (request.query as { key?: unknown }).key;
      const actor = typeof key === 'string' ? sessions.actorOfFileKey(key) : requireCustomer(request).actor;
      if (!actor) throw new CommandError('unauthenticated', 'Este link expirou: abra o arquivo pela conversa. (This link has expired: open the file from the chat.)');
      const ticket = app.store.get(refs.ticket(request.params.ticketId));
      if (!ticket || !policy.canReadTicket(actor, ticket)) throw new CommandError('not-found', 'Arquivo não encontrado. (File not found.)');
      return sendFile(app, reply, ticket.id, request.params.attachmentId);
    },
  );

  app.get('/api/widget/live', { websocket: true, preValidation: async (request) => void requireCustomer(request, { allowQuery: true }) }, (socket, request) => {
    app.hub.attach(socket, request.customer!.actor, { sessionHash: null, owner: `widget:${request.customer!.tokenHash}` });
  });

};

export default widgetRoutes;
