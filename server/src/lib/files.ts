import { mkdirSync, renameSync, rmSync, writeFileSync, createReadStream } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { MultipartFile } from '@fastify/multipart';
import { CommandError, refs, type Attachment } from '@atende/core';
import { detectMime, isAllowed, kindOf } from './sniff.ts';

interface FileRow {
  id: string;
  ticket_id: string | null;
  owner: string;
  name: string;
  mime: string;
  size: number;
  kind: Attachment['kind'];
  path: string;
}

const megabytes = (bytes: number) =>
  bytes < 1024 * 1024 ? `${Math.round(bytes / 1024)} KB` : `${Math.round((bytes / (1024 * 1024)) * 10) / 10} MB`;

/** What the attachment policy allows now, read from the workspace settings. */
export const attachmentPolicy = (app: FastifyInstance) => {
  const settings = app.store.get(refs.settings());
  return settings?.attachments ?? { maxBytes: 16 * 1024 * 1024, allowedTypes: [] };
};

export const tooLarge = (maxBytes: number) =>
  new CommandError('invalid-argument', `Arquivo muito grande (máximo ${megabytes(maxBytes)}). (File too large: at most ${megabytes(maxBytes)}.)`, [
    { path: 'file', message: `larger than ${maxBytes} bytes` },
  ]);

/**
 * Runs what reads a multipart body. The parser throws plain errors for a body
 * that is cut short or has a broken boundary: those are the sender's fault,
 * a 400 naming the file, not a 500.
 */
export const readingUpload = async <T>(read: () => Promise<T>): Promise<T> => {
  try {
    return await read();
  } catch (error) {
    if (error instanceof CommandError || typeof (error as { statusCode?: unknown }).statusCode === 'number') throw error;
    throw new CommandError('invalid-argument', 'O envio do arquivo chegou incompleto ou malformado. (The upload was cut short or malformed.)', [
      { path: 'file', message: `malformed multipart body: ${(error as Error).message}` },
    ]);
  }
};

/** Reads a multipart file whole, within the policy's size limit. */
export const readUpload = async (part: MultipartFile, maxBytes: number): Promise<Buffer> => {
  try {
    const buffer = await part.toBuffer();
    if (part.file.truncated || buffer.length > maxBytes) throw tooLarge(maxBytes);
    return buffer;
  } catch (error) {
    if (error instanceof CommandError) throw error;
    if ((error as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') throw tooLarge(maxBytes);
    throw error;
  }
};

// Busboy leaves `filename` undefined for `filename=""`, whatever its type says.
const safeName = (name: string | undefined): string => {
  const cleaned = (name ?? '').replace(/[\u0000-\u001f\u007f/\\]/g, '_').trim().slice(0, 255);
  return cleaned || 'arquivo';
};

/**
 * Checks a file against the attachment policy (type by content, size) and
 * stores it: under `files/<ticketId>/` for staff, or a customer's staging
 * folder until their message names it.
 */
export const storeFile = (
  app: FastifyInstance,
  input: { buffer: Buffer; filename: string; ticketId: string | null; owner: string; stagingDir?: string },
): Attachment => {
  const policy = attachmentPolicy(app);
  if (input.buffer.length > policy.maxBytes) throw tooLarge(policy.maxBytes);
  if (input.buffer.length === 0) throw new CommandError('invalid-argument', 'O arquivo está vazio. (The file is empty.)', [{ path: 'file', message: 'empty' }]);
  const mime = detectMime(input.buffer);
  if (!mime || !isAllowed(mime, policy.allowedTypes))
    throw new CommandError('invalid-argument', `Tipo de arquivo não permitido${mime ? ` (${mime})` : ''}. (This file type is not allowed.)`, [
      { path: 'file', message: mime ? `type ${mime} is not allowed` : 'unrecognised file type' },
    ]);
  const id = app.newId();
  const dir = join(app.config.filesDir, input.ticketId ?? input.stagingDir ?? '_staging');
  mkdirSync(dir, { recursive: true });
  const path = join(dir, id);
  writeFileSync(path, input.buffer, { flag: 'wx' });
  const attachment: Attachment = { id, name: safeName(input.filename), mime, size: input.buffer.length, kind: kindOf(mime) };
  app.db
    .prepare('INSERT INTO files (id, ticket_id, owner, name, mime, size, kind, path, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)')
    .run(id, input.ticketId, input.owner, attachment.name, mime, attachment.size, attachment.kind, path, app.clock());
  return attachment;
};

export const findFile = (app: FastifyInstance, id: string): FileRow | null =>
  (app.db.prepare('SELECT * FROM files WHERE id = ?').get(id) as FileRow | undefined) ?? null;

export const attachmentOf = (row: FileRow): Attachment => ({ id: row.id, name: row.name, mime: row.mime, size: row.size, kind: row.kind });

/** Moves a customer's staged upload under the ticket its message landed in. */
export const adoptFile = (app: FastifyInstance, row: FileRow, ticketId: string): void => {
  if (row.ticket_id === ticketId) return;
  const dir = join(app.config.filesDir, ticketId);
  mkdirSync(dir, { recursive: true });
  const path = join(dir, row.id);
  renameSync(row.path, path);
  app.db.prepare('UPDATE files SET ticket_id = ?, path = ? WHERE id = ?').run(ticketId, path, row.id);
};

const contentDisposition = (row: FileRow): string => {
  const inline = row.kind === 'image' || row.kind === 'audio' || row.kind === 'video';
  const ascii = row.name.replace(/[^\x20-\x7e]|["\\]/g, '_');
  return `${inline ? 'inline' : 'attachment'}; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(row.name)}`;
};

/** Sends a stored file of a ticket, after the caller checked the reader may see that ticket. */
export const sendFile = (app: FastifyInstance, reply: FastifyReply, ticketId: string, id: string) => {
  const row = findFile(app, id);
  if (!row || row.ticket_id !== ticketId) throw new CommandError('not-found', 'Arquivo não encontrado. (File not found.)');
  return reply
    .header('Content-Type', row.mime)
    .header('Content-Length', row.size)
    .header('Content-Disposition', contentDisposition(row))
    .header('X-Content-Type-Options', 'nosniff')
    .header('Cache-Control', 'private, max-age=86400')
    .header('Content-Security-Policy', "default-src 'none'; img-src 'self'; media-src 'self'; style-src 'unsafe-inline'; sandbox")
    .send(createReadStream(row.path));
};

const STAGED_TTL_MS = 24 * 60 * 60 * 1000;

/** Customers' uploads never attached to a message (an abandoned chat) are removed after a day. */
export const removeStaleStagedFiles = (app: FastifyInstance): number => {
  const stale = app.db
    .prepare('SELECT id, path FROM files WHERE ticket_id IS NULL AND created_at < ?')
    .all(app.clock() - STAGED_TTL_MS) as { id: string; path: string }[];
  const remove = app.db.prepare('DELETE FROM files WHERE id = ? AND ticket_id IS NULL');
  for (const row of stale) {
    rmSync(row.path, { force: true });
    remove.run(row.id);
  }
  return stale.length;
};
