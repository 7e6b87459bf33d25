/**
 * The attachment type rule, once for every part of Atende: the embedded
 * server and the Cloud Functions check uploads with it, the console and the
 * widget warn with it before an upload. Types come from content
 * (`sniff.ts`), never from names.
 */
import type { AttachmentKind } from '../model/index.ts';

/** The bare, lower-case type of a MIME string (`Audio/Webm; codecs=opus` → `audio/webm`). */
export const bareMime = (mime: string): string => mime.split(';')[0]!.trim().toLowerCase();

/** `image/*` allows every image; anything else must match exactly. */
export const typeAllowed = (mime: string, allowed: readonly string[]): boolean => {
  const bare = bareMime(mime);
  return bare !== '' && allowed.some((a) => (a.endsWith('/*') ? bare.startsWith(a.slice(0, -1)) : a === bare));
};

export const kindOf = (mime: string): AttachmentKind => {
  const bare = bareMime(mime);
  return bare.startsWith('image/') ? 'image' : bare.startsWith('audio/') ? 'audio' : bare.startsWith('video/') ? 'video' : 'document';
};

/** The extension every detectable type is saved under. */
const EXTENSIONS: Record<string, string> = {
  'image/png': '.png',
  'image/jpeg': '.jpg',
  'image/gif': '.gif',
  'image/webp': '.webp',
  'audio/wav': '.wav',
  'audio/ogg': '.ogg',
  'audio/mpeg': '.mp3',
  'audio/mp4': '.m4a',
  'audio/webm': '.weba',
  'video/webm': '.webm',
  'video/mp4': '.mp4',
  'application/pdf': '.pdf',
  'application/zip': '.zip',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': '.docx',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': '.xlsx',
  'text/plain': '.txt',
};

/** Other names a type's files commonly carry, kept as they are. */
const ALIASES: Record<string, readonly string[]> = {
  'image/jpeg': ['.jpeg', '.jpe'],
  'audio/ogg': ['.oga', '.opus'],
  'audio/webm': ['.webm'],
  'text/plain': ['.csv', '.log', '.md'],
};

export const extensionFor = (mime: string): string => EXTENSIONS[bareMime(mime)] ?? '.bin';

/**
 * The name a file is downloaded under: the name it was sent with, ending in
 * the extension of the type its content has (`fatura.bat` holding text is
 * `fatura.bat.txt`; `foto.PNG` holding a PNG stays `foto.PNG`).
 */
export const downloadName = (name: string, mime: string): string => {
  const wanted = extensionFor(mime);
  const dot = name.lastIndexOf('.');
  const current = dot > 0 ? name.slice(dot).toLowerCase() : '';
  if (current === wanted || (current && ALIASES[bareMime(mime)]?.includes(current))) return name;
  return `${name}${wanted}`;
};
