import type { FastifyInstance } from 'fastify';
import { CommandError, commandRegistry } from '@atende/core';
import { attachmentOf, findFile } from './files.ts';

/** Where the files a command cites must be stored, by command: a ticket's folder, or the quick replies'. */
const FOLDER_OF: Record<string, (input: Record<string, unknown>) => unknown> = {
  'message.send': (input) => input.ticketId,
  'quickReply.save': () => 'quick-replies',
};

/**
 * Staff commands may cite only files the server stored for that place (a
 * message's ticket, the quick replies), and they are described as stored:
 * a client cannot invent an attachment, borrow another ticket's, or rename
 * one. Returns the input with the stored descriptions.
 */
export const citeStoredFiles = (app: FastifyInstance, name: string, input: unknown): unknown => {
  const folderOf = FOLDER_OF[name];
  if (!folderOf || input === null || typeof input !== 'object') return input;
  // Malformed input is left to the command, which names the field at fault.
  if (!commandRegistry.get(name)?.input.safeParse(input).success) return input;
  const body = input as Record<string, unknown>;
  if (!Array.isArray(body.attachments) || body.attachments.length === 0) return input;
  const folder = folderOf(body);
  const attachments = body.attachments.map((a: unknown, i) => {
    const id = a !== null && typeof a === 'object' ? (a as { id?: unknown }).id : undefined;
    const row = typeof id === 'string' ? findFile(app, id) : null;
    if (!row || row.ticket_id !== folder)
      throw new CommandError('invalid-argument', 'Anexo não encontrado: envie o arquivo de novo. (Attachment not found: upload it again.)', [
        { path: `attachments.${i}.id`, message: 'no such file stored for this ticket' },
      ]);
    return attachmentOf(row);
  });
  return { ...body, attachments };
};
