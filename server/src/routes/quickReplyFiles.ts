import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyPluginAsync } from 'fastify';
import { CommandError, policy, refs, type Attachment } from '@atende/core';
import { attachmentOf, attachmentPolicy, findFile, readingUpload, receiveFile, recordFile, sendFile, type ReceivedFile } from '../lib/files.ts';
import { attachmentSchema, errorResponses } from './schemas.ts';

/**
 * Quick replies' files live in one folder of their own, under a pseudo ticket id
 * no generated ticket id can take (ids never contain "quick-replies"), so the
 * staged-file sweeper (ticket_id IS NULL) never removes them.
 */
export const QUICK_REPLY_FOLDER = 'quick-replies';

const idPattern = '^[A-Za-z0-9_.:-]{1,128}$';

const quickReplyFileRoutes: FastifyPluginAsync = async (app) => {
  app.post('/api/quick-reply-files', { schema: { response: { 200: { type: 'object', properties: { attachment: attachmentSchema } }, ...errorResponses } } }, async (request) => {
    const staff = request.staff!;
    const decision = policy.canEditCatalogue(staff);
    if (decision !== true) throw new CommandError('permission-denied', decision);
    if (!request.isMultipart()) throw new CommandError('invalid-argument', 'Send the file as multipart/form-data', [{ path: 'file', message: 'required' }]);
    const { maxBytes } = attachmentPolicy(app);
    const upload = await readingUpload(async () => {
      let upload: ReceivedFile | null = null;
      for await (const part of request.parts({ limits: { fileSize: maxBytes, files: 1, fields: 5 } })) {
        if (part.type === 'file') {
          if (part.fieldname === 'file' && !upload) upload = await receiveFile(app, part, QUICK_REPLY_FOLDER, maxBytes);
          else part.file.resume();
        }
      }
      return upload;
    });
    if (!upload) throw new CommandError('invalid-argument', 'Attach a file', [{ path: 'file', message: 'required' }]);
    return { attachment: recordFile(app, upload, { ticketId: QUICK_REPLY_FOLDER, owner: `user:${staff.uid}` }) };
  });

  app.get<{ Params: { attachmentId: string } }>(
    '/api/quick-reply-files/:attachmentId',
    { schema: { params: { type: 'object', required: ['attachmentId'], properties: { attachmentId: { type: 'string', pattern: idPattern } } } } },
    async (request, reply) => sendFile(app, reply, QUICK_REPLY_FOLDER, request.params.attachmentId),
  );

  app.post<{ Body: { ticketId: string; quickReplyId: string; attachmentId: string } }>(
    '/api/files/from-quick-reply',
    {
      schema: {
        body: {
          type: 'object',
          required: ['ticketId', 'quickReplyId', 'attachmentId'],
          additionalProperties: false,
          properties: {
            ticketId: { type: 'string', pattern: idPattern },
            quickReplyId: { type: 'string', pattern: idPattern },
            attachmentId: { type: 'string', pattern: idPattern },
          },
        },
        response: { 200: { type: 'object', properties: { attachment: attachmentSchema } }, ...errorResponses },
      },
    },
    async (request) => {
      const staff = request.staff!;
      const { ticketId, quickReplyId, attachmentId } = request.body;
      const ticket = app.store.get(refs.ticket(ticketId));
      if (!ticket) throw new CommandError('not-found', `Ticket ${ticketId} does not exist`, [{ path: 'ticketId', message: 'no such ticket' }]);
      const decision = policy.canManage(staff, ticket);
      if (decision !== true) throw new CommandError('permission-denied', decision);
      const quickReply = app.store.get(refs.quickReply(quickReplyId));
      if (!quickReply) throw new CommandError('not-found', `Quick reply ${quickReplyId} does not exist`, [{ path: 'quickReplyId', message: 'no such quick reply' }]);
      const row = findFile(app, attachmentId);
      if (!(quickReply.attachments ?? []).some((a) => a.id === attachmentId) || !row || row.ticket_id !== QUICK_REPLY_FOLDER)
        throw new CommandError('not-found', 'Arquivo não encontrado. (File not found.)', [{ path: 'attachmentId', message: 'not an attachment of this quick reply' }]);
      // A copy, not a reference: the ticket keeps its file when the quick reply changes or is deleted.
      const id = app.newId();
      const dir = join(app.config.filesDir, ticket.id);
      mkdirSync(dir, { recursive: true });
      const path = join(dir, id);
      copyFileSync(row.path, path);
      const attachment: Attachment = { ...attachmentOf(row), id };
      app.db
        .prepare('INSERT INTO files (id, ticket_id, owner, name, mime, size, kind, path, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)')
        .run(id, ticket.id, `user:${staff.uid}`, attachment.name, attachment.mime, attachment.size, attachment.kind, path, app.clock());
      return { attachment };
    },
  );
};

export default quickReplyFileRoutes;
