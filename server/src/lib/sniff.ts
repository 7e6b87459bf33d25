/**
 * The type of a file from its first bytes, never from its name or the
 * browser's claim: uploads are typed by content (DESIGN §11).
 */
const startsWith = (b: Uint8Array, sig: readonly number[], offset = 0) => sig.every((x, i) => b[offset + i] === x);
const ascii = (b: Uint8Array, text: string, offset = 0) => startsWith(b, [...text].map((c) => c.charCodeAt(0)), offset);

export const sniffMime = (head: Uint8Array): string | null => {
  if (startsWith(head, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png';
  if (startsWith(head, [0xff, 0xd8, 0xff])) return 'image/jpeg';
  if (ascii(head, 'GIF87a') || ascii(head, 'GIF89a')) return 'image/gif';
  if (ascii(head, 'RIFF') && ascii(head, 'WEBP', 8)) return 'image/webp';
  if (ascii(head, 'RIFF') && ascii(head, 'WAVE', 8)) return 'audio/wav';
  if (ascii(head, '%PDF-')) return 'application/pdf';
  if (ascii(head, 'OggS')) return 'audio/ogg';
  if (startsWith(head, [0x1a, 0x45, 0xdf, 0xa3])) return 'video/webm';
  if (ascii(head, 'ftyp', 4)) return ascii(head, 'M4A ', 8) ? 'audio/mp4' : 'video/mp4';
  if (ascii(head, 'ID3') || (head[0] === 0xff && head[1] !== undefined && (head[1] & 0xe0) === 0xe0)) return 'audio/mpeg';
  if (startsWith(head, [0x50, 0x4b, 0x03, 0x04]) || startsWith(head, [0x50, 0x4b, 0x05, 0x06])) return 'application/zip';
  return null;
};

/** Office documents are zip files; their inner names tell them apart. */
export const refineZip = (file: Uint8Array): string => {
  const text = Buffer.from(file.subarray(0, Math.min(file.length, 4096))).toString('latin1');
  if (text.includes('word/')) return 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
  if (text.includes('xl/')) return 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
  return 'application/zip';
};

const isUtf8Text = (file: Uint8Array): boolean => {
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(file);
    // Control characters other than tab, newline and carriage return mean binary.
    return !/[\x00-\x08\x0b\x0c\x0e-\x1f]/.test(text);
  } catch {
    return false;
  }
};

/**
 * A browser's voice recording (MediaRecorder, audio/webm;codecs=opus) is a
 * WebM file with only an audio track: its track headers name audio codecs
 * (`A_OPUS`, `A_VORBIS`) and no video codec (`V_…`). Typed as audio, it plays
 * as a voice message rather than as a video.
 */
export const refineWebm = (file: Uint8Array): string => {
  const head = Buffer.from(file.subarray(0, Math.min(file.length, 8192))).toString('latin1');
  const audio = /A_(OPUS|VORBIS|AAC|MPEG)/.test(head);
  const video = /V_(VP8|VP9|AV1|MPEG4|MPEGH|THEORA)/.test(head);
  return audio && !video ? 'audio/webm' : 'video/webm';
};

/** The MIME type of a whole file, or null when it is nothing we recognise (executables, unknown binaries). */
export const detectMime = (file: Uint8Array): string | null => {
  const sniffed = sniffMime(file.subarray(0, 64));
  if (sniffed === 'application/zip') return refineZip(file);
  if (sniffed === 'video/webm') return refineWebm(file);
  if (sniffed) return sniffed;
  return file.length > 0 && isUtf8Text(file) ? 'text/plain' : null;
};

export const kindOf = (mime: string): 'image' | 'audio' | 'video' | 'document' =>
  mime.startsWith('image/') ? 'image' : mime.startsWith('audio/') ? 'audio' : mime.startsWith('video/') ? 'video' : 'document';

/** `image/*` allows every image; anything else must match exactly. */
export const isAllowed = (mime: string, allowed: readonly string[]): boolean =>
  allowed.some((a) => (a.endsWith('/*') ? mime.startsWith(a.slice(0, -1)) : a === mime));
