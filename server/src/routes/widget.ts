import { randomBytes } from 'node:crypto';
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { CommandError, Id, commandRegistry, executeCommand, policy, refs, type Contact, type CustomerActor } from '@atende/core';
import { hashToken, newToken } from '../lib/secrets.ts';
import { adoptFile, attachmentOf, attachmentPolicy, findFile, readingUpload, readUpload, sendFile, storeFile } from '../lib/files.ts';
import type { CustomerSession } from '../types.ts';
import { attachmentSchema, errorResponses } from './schemas.ts';

const WIDGET_SESSION_TTL_MS = 180 * 24 * 60 * 60 * 1000;
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
  const q = {
    insert: app.db.prepare('INSERT INTO widget_sessions (token_hash, channel_id, contact_id, visitor_id, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)'),
    get: app.db.prepare<[string], { channel_id: string; contact_id: string; visitor_id: string; expires_at: number }>(
      'SELECT channel_id, contact_id, visitor_id, expires_at FROM widget_sessions WHERE token_hash = ?',
    ),
  };

  const sessionOf = (token: string | undefined): CustomerSession | null => {
    if (!token || token.length > 200) return null;
    const tokenHash = hashToken(token);
    const row = q.get.get(tokenHash);
    if (!row || row.expires_at <= app.clock()) return null;
    return { actor: { kind: 'customer', contactId: row.contact_id, channelId: row.channel_id }, visitorId: row.visitor_id, tokenHash };
  };

  const bearer = (request: FastifyRequest): string | undefined => {
    const header = request.headers.authorization;
    if (header?.startsWith('Bearer ')) return header.slice(7).trim();
    const token = (request.query as { token?: unknown } | undefined)?.token;
    return typeof token === 'string' ? token : undefined;
  };

  const requireCustomer = (request: FastifyRequest): CustomerSession => {
    const session = sessionOf(bearer(request));
    if (!session) throw new CommandError('unauthenticated', 'Sua sessão de conversa expirou: recarregue a página. (Chat session expired: reload the page.)');
    request.customer = session;
    return session;
  };

  const webchatChannel = (channelId: string) => {
    const channel = app.store.get(refs.channel(channelId));
    if (!channel || channel.type !== 'webchat' || !channel.active) throw new CommandError('not-found', 'Este chat não está disponível. (This chat is not available.)');
    return channel;
  };

  app.addHook('onRequest', async (request, reply) => {
    if (!request.url.startsWith('/api/widget/')) return;
    reply.header('Access-Control-Allow-Origin', '*');
    reply.header('Access-Control-Allow-Headers', 'Authorization, Content-Type');
    reply.header('Access-Control-Allow-Methods', 'GET, POST, OPTIONS');
    reply.header('Access-Control-Max-Age', '600');
  });
  app.options('/api/widget/*', async (_request, reply) => reply.code(204).send());

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

  const SessionBody = z.object({
    name: z.string().trim().min(1, 'Informe seu nome. (Tell us your name.)').max(120, 'Nome muito longo. (Name too long.)'),
    email: z.union([z.string().trim().email('E-mail inválido. (Invalid e-mail.)').max(200), z.literal('')]).optional(),
    phone: z.string().trim().max(40, 'Telefone muito longo. (Phone too long.)').optional(),
    token: z.string().max(200).optional(),
  });

  app.post<{ Params: { channelId: string }; Body: unknown }>(
    '/api/widget/:channelId/session',
    {
      schema: {
        params: channelParams,
        body: { type: 'object' },
        response: { 200: { type: 'object', properties: { token: { type: 'string' }, contactId: { type: 'string' } } }, ...errorResponses },
      },
    },
    async (request) => {
      const channel = webchatChannel(request.params.channelId);
      const parsed = SessionBody.safeParse(request.body);
      if (!parsed.success) {
        const issues = parsed.error.issues.map((i) => ({ path: i.path.join('.') || '(body)', message: i.message }));
        throw new CommandError('invalid-argument', issues[0]?.message ?? 'Dados inválidos', issues);
      }
      const body = parsed.data;
      const resumed = sessionOf(body.token);
      if (resumed && resumed.actor.channelId === channel.id && app.store.get(refs.contact(resumed.actor.contactId)))
        return { token: body.token!, contactId: resumed.actor.contactId };

      const now = app.clock();
      const visitorId = `v-${randomBytes(12).toString('base64url')}`;
      const contact: Contact = {
        id: app.newId(),
        name: body.name,
        phone: body.phone || null,
        email: body.email || null,
        identityKeys: [`${channel.id}:${visitorId}`],
        tagIds: [],
        notes: '',
        createdAt: now,
        updatedAt: now,
      };
      await app.store.transaction(async (tx) => tx.create(refs.contact(contact.id), contact));
      const { token, hash } = newToken();
      q.insert.run(hash, channel.id, contact.id, visitorId, now, now + WIDGET_SESSION_TTL_MS);
      return { token, contactId: contact.id };
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
      schema: {
        body: { type: 'object' },
        response: {
          200: { type: 'object', properties: { ticketId: { type: 'string' }, messageId: { type: 'string' }, protocol: { type: 'string' } } },
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const session = requireCustomer(request);
      const parsed = MessageBody.safeParse(request.body);
      if (!parsed.success) {
        const issues = parsed.error.issues.map((i) => ({ path: i.path.join('.') || '(body)', message: i.message }));
        throw new CommandError('invalid-argument', issues[0]?.message ?? 'Mensagem inválida', issues);
      }
      const body = parsed.data;
      if (!body.text.trim() && body.attachments.length === 0)
        throw new CommandError('invalid-argument', 'Escreva uma mensagem ou anexe um arquivo. (Write a message or attach a file.)', [{ path: 'text', message: 'empty' }]);
      // Only files this customer uploaded, described as the server stored them.
      const owner = `contact:${session.actor.contactId}`;
      const rows = body.attachments.map((a, i) => {
        const row = findFile(app, a.id);
        if (!row || row.owner !== owner)
          throw new CommandError('invalid-argument', 'Anexo não encontrado: envie o arquivo de novo. (Attachment not found: upload it again.)', [{ path: `attachments.${i}.id`, message: 'not uploaded by you' }]);
        return row;
      });
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

  app.post('/api/widget/files', { schema: { response: { 200: { type: 'object', properties: { attachment: attachmentSchema } }, ...errorResponses } } }, async (request) => {
    const session = requireCustomer(request);
    if (!request.isMultipart()) throw new CommandError('invalid-argument', 'Envie o arquivo como multipart/form-data. (Send the file as multipart/form-data.)', [{ path: 'file', message: 'required' }]);
    const { maxBytes } = attachmentPolicy(app);
    const part = await readingUpload(() => request.file({ limits: { fileSize: maxBytes, files: 1 } }));
    if (!part) throw new CommandError('invalid-argument', 'Anexe um arquivo. (Attach a file.)', [{ path: 'file', message: 'required' }]);
    const buffer = await readingUpload(() => readUpload(part, maxBytes));
    const attachment = storeFile(app, {
      buffer,
      filename: part.filename,
      ticketId: null,
      owner: `contact:${session.actor.contactId}`,
      stagingDir: `_widget/${session.actor.contactId}`,
    });
    return { attachment };
  });

  app.get<{ Params: { ticketId: string; attachmentId: string } }>(
    '/api/widget/files/:ticketId/:attachmentId',
    {
      schema: {
        params: {
          type: 'object',
          required: ['ticketId', 'attachmentId'],
          properties: { ticketId: { type: 'string', pattern: '^[A-Za-z0-9_.:-]{1,128}$' }, attachmentId: { type: 'string', pattern: '^[A-Za-z0-9_.:-]{1,128}$' } },
        },
      },
    },
    async (request, reply) => {
      const session = requireCustomer(request);
      const ticket = app.store.get(refs.ticket(request.params.ticketId));
      if (!ticket || !policy.canReadTicket(session.actor, ticket)) throw new CommandError('not-found', 'Arquivo não encontrado. (File not found.)');
      return sendFile(app, reply, ticket.id, request.params.attachmentId);
    },
  );

  app.get('/api/widget/live', { websocket: true, preValidation: async (request) => void requireCustomer(request) }, (socket, request) => {
    app.hub.attach(socket, request.customer!.actor, { sessionHash: null, owner: `widget:${request.customer!.tokenHash}` });
  });

};

export default widgetRoutes;
