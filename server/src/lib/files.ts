import { createReadStream, createWriteStream, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { MultipartFile } from '@fastify/multipart';
import { CommandError, LIMITS, createTypeDetector, downloadName, kindOf, refs, typeAllowed, type Attachment } from '@atende/core';

export interface FileRow {
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

// Busboy leaves `filename` undefined for `filename=""`, whatever its type says.
const safeName = (name: string | undefined): string => {
  const cleaned = (name ?? '').replace(/[\u0000-\u001f\u007f/\\]/g, '_').trim().slice(0, 255);
  return cleaned || 'arquivo';
};

export const notAllowed = (mime: string | null) =>
  new CommandError('invalid-argument', mime ? `Tipo de arquivo não permitido (${mime}). (Files of type ${mime} are not allowed.)` : 'Tipo de arquivo não permitido. (This file type is not allowed.)', [
    { path: 'file', message: mime ? `type ${mime} is not allowed` : 'unrecognised file type' },
  ]);

export interface ReceivedFile {
  id: string;
  path: string;
  filename: string;
  size: number;
  mime: string;
}

/**
 * Streams a multipart file to disk under `files/<folder>/`, counting its size
 * and typing it by content as the chunks arrive (its first bytes, and a
 * chunk-by-chunk text check): nothing is held whole in memory and no step
 * blocks the event loop. A file over `maxBytes`, empty, or of a type the
 * policy does not allow is removed and refused.
 */
export const receiveFile = async (app: FastifyInstance, part: MultipartFile, folder: string, maxBytes = attachmentPolicy(app).maxBytes): Promise<ReceivedFile> => {
  const { allowedTypes } = attachmentPolicy(app);
  const id = app.newId();
  const dir = join(app.config.filesDir, folder);
  mkdirSync(dir, { recursive: true });
  const path = join(dir, id);
  const detector = createTypeDetector(LIMITS.uploads.sniffBytes);
  let size = 0;
  try {
    await pipeline(
      part.file,
      async function* (chunks: AsyncIterable<Buffer>) {
        for await (const chunk of chunks) {
          size += chunk.length;
          if (size > maxBytes) throw tooLarge(maxBytes);
          detector.push(chunk);
          yield chunk;
        }
      },
      createWriteStream(path, { flags: 'wx' }),
    );
    if (part.file.truncated) throw tooLarge(maxBytes);
    if (size === 0) throw new CommandError('invalid-argument', 'O arquivo está vazio. (The file is empty.)', [{ path: 'file', message: 'empty' }]);
    const mime = detector.finish();
    if (!mime || !typeAllowed(mime, allowedTypes)) throw notAllowed(mime);
    return { id, path, filename: safeName(part.filename), size, mime };
  } catch (error) {
    rmSync(path, { force: true });
    if ((error as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') throw tooLarge(maxBytes);
    throw error;
  }
};

/** Records a received file: for a ticket, a quick reply's folder, or (ticketId null) staged for a customer's next message. */
export const recordFile = (app: FastifyInstance, file: ReceivedFile, place: { ticketId: string | null; owner: string }): Attachment => {
  const attachment: Attachment = { id: file.id, name: file.filename, mime: file.mime, size: file.size, kind: kindOf(file.mime) };
  app.db
    .prepare('INSERT INTO files (id, ticket_id, owner, name, mime, size, kind, path, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)')
    .run(file.id, place.ticketId, place.owner, attachment.name, file.mime, file.size, attachment.kind, file.path, app.clock());
  return attachment;
};

/** Removes a received file that will not be recorded (its ticket turned out wrong). */
export const discardFile = (file: ReceivedFile): void => rmSync(file.path, { force: true });

export const findFile = (app: FastifyInstance, id: string): FileRow | null =>
  (app.db.prepare('SELECT * FROM files WHERE id = ?').get(id) as FileRow | undefined) ?? null;

export const attachmentOf = (row: FileRow): Attachment => ({ id: row.id, name: row.name, mime: row.mime, size: row.size, kind: row.kind });

/**
 * Gives a customer's staged upload to the ticket its message landed in. Only
 * a staged file (no ticket yet) is taken: a file already in a ticket stays
 * there (files never move between tickets, so a closed ticket keeps its evidence).
 */
export const adoptFile = (app: FastifyInstance, row: FileRow, ticketId: string): boolean =>
  app.db.prepare('UPDATE files SET ticket_id = ? WHERE id = ? AND ticket_id IS NULL').run(ticketId, row.id).changes === 1;

/** What a customer holds staged now: files and bytes, for the per-session quota. */
export const stagedBy = (app: FastifyInstance, owner: string): { files: number; bytes: number } =>
  app.db.prepare('SELECT COUNT(*) AS files, COALESCE(SUM(size), 0) AS bytes FROM files WHERE owner = ? AND ticket_id IS NULL').get(owner) as { files: number; bytes: number };

/** Bytes all customers hold staged now, for the global ceiling. */
export const stagedTotal = (app: FastifyInstance): number =>
  (app.db.prepare('SELECT COALESCE(SUM(size), 0) AS bytes FROM files WHERE ticket_id IS NULL').get() as { bytes: number }).bytes;

/** The download name ends in the extension of the type the content has, whatever the sender called it. */
const contentDisposition = (row: FileRow): string => {
  const inline = row.kind === 'image' || row.kind === 'audio' || row.kind === 'video';
  const name = downloadName(row.name, row.mime);
  const ascii = name.replace(/[^\x20-\x7e]|["\\]/g, '_');
  return `${inline ? 'inline' : 'attachment'}; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`;
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

const STAGED_TTL_MS = LIMITS.widget.stagedTtlMs;

/** Customers' uploads never attached to a message (an abandoned chat) are removed after LIMITS.widget.stagedTtlMs. */
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
