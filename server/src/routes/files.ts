import type { FastifyPluginAsync } from 'fastify';
import { CommandError, Id, policy, refs } from '@atende/core';
import { attachmentPolicy, discardFile, readingUpload, receiveFile, recordFile, sendFile, type ReceivedFile } from '../lib/files.ts';
import { attachmentSchema, errorResponses, fileParams } from './schemas.ts';

const fileRoutes: FastifyPluginAsync = async (app) => {
  app.post('/api/files', { schema: { response: { 200: { type: 'object', properties: { attachment: attachmentSchema } }, ...errorResponses } } }, async (request) => {
    const staff = request.staff!;
    if (!request.isMultipart()) throw new CommandError('invalid-argument', 'Send the file as multipart/form-data', [{ path: 'file', message: 'required' }]);
    const { maxBytes } = attachmentPolicy(app);
    /** The ticket named in the form, checked as soon as it is known (the SPA sends it before the file). */
    const ticketFor = (ticketId: string | null) => {
      if (!ticketId || !Id.safeParse(ticketId).success) throw new CommandError('invalid-argument', 'Name the ticket the file is for', [{ path: 'ticketId', message: 'required' }]);
      const ticket = app.store.get(refs.ticket(ticketId));
      if (!ticket) throw new CommandError('not-found', `Ticket ${ticketId} does not exist`, [{ path: 'ticketId', message: 'no such ticket' }]);
      const decision = policy.canManage(staff, ticket);
      if (decision !== true) throw new CommandError('permission-denied', decision);
      return ticket;
    };
    const { ticketId, upload } = await readingUpload(async () => {
      let ticketId: string | null = null;
      let upload: ReceivedFile | null = null;
      for await (const part of request.parts({ limits: { fileSize: maxBytes, files: 1, fields: 5 } })) {
        if (part.type === 'field') {
          if (part.fieldname === 'ticketId') ticketId = String(part.value);
        } else if (part.fieldname === 'file' && !upload) {
          if (ticketId !== null) ticketFor(ticketId);
          upload = await receiveFile(app, part, ticketId ?? '_incoming', maxBytes);
        } else part.file.resume();
      }
      return { ticketId, upload };
    });
    try {
      if (!upload) throw new CommandError('invalid-argument', 'Attach a file', [{ path: 'file', message: 'required' }]);
      const ticket = ticketFor(ticketId);
      return { attachment: recordFile(app, upload, { ticketId: ticket.id, owner: `user:${staff.uid}` }) };
    } catch (error) {
      if (upload) discardFile(upload);
      throw error;
    }
  });

  app.get<{ Params: { ticketId: string; attachmentId: string } }>(
    '/api/files/:ticketId/:attachmentId',
    {
      schema: {
        params: fileParams,
      },
    },
    async (request, reply) => {
      const ticket = app.store.get(refs.ticket(request.params.ticketId));
      if (!ticket) throw new CommandError('not-found', 'Arquivo não encontrado. (File not found.)');
      if (!policy.canReadTicket(request.staff!, ticket)) throw new CommandError('permission-denied', 'you cannot see this ticket');
      return sendFile(app, reply, ticket.id, request.params.attachmentId);
    },
  );
};

export default fileRoutes;
