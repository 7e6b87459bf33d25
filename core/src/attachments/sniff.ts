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

const latin1 = (bytes: Uint8Array): string => {
  let out = '';
  for (let i = 0; i < bytes.length; i += 4096) out += String.fromCharCode(...bytes.subarray(i, i + 4096));
  return out;
};

/** Office documents are zip files; their inner names tell them apart. */
export const refineZip = (file: Uint8Array): string => {
  const text = latin1(file.subarray(0, Math.min(file.length, 4096)));
  if (text.includes('word/')) return 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
  if (text.includes('xl/')) return 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
  return 'application/zip';
};

/** Control characters other than tab, newline and carriage return mean binary. */
const BINARY_CONTROL = /[\x00-\x08\x0b\x0c\x0e-\x1f]/;

/**
 * Whether a stream of bytes is UTF-8 text, checked chunk by chunk as it
 * arrives (an upload is never held whole, and no single step takes long).
 */
interface Utf8Decoder {
  decode(input?: Uint8Array, options?: { stream?: boolean }): string;
}
// TextDecoder is in every runtime the core runs on (Node, browsers), but not in the ES library typings.
const Decoder = (globalThis as unknown as { TextDecoder: new (label: string, options: { fatal: boolean }) => Utf8Decoder }).TextDecoder;

export const createTextCheck = () => {
  const decoder = new Decoder('utf-8', { fatal: true });
  let text = true;
  let bytes = 0;
  return {
    push(chunk: Uint8Array, last = false) {
      bytes += chunk.length;
      if (!text) return;
      try {
        if (BINARY_CONTROL.test(decoder.decode(chunk, { stream: !last }))) text = false;
      } catch {
        text = false;
      }
    },
    /** Whether everything pushed was text; `complete` is false when only the head of a longer file was seen. */
    result(complete = true): boolean {
      if (text && complete) this.push(new Uint8Array(0), true);
      return text && bytes > 0;
    },
  };
};

const isUtf8Text = (file: Uint8Array, complete = true): boolean => {
  const check = createTextCheck();
  check.push(file, complete);
  return check.result(false);
};

/**
 * A browser's voice recording (MediaRecorder, audio/webm;codecs=opus) is a
 * WebM file with only an audio track: its track headers name audio codecs
 * (`A_OPUS`, `A_VORBIS`) and no video codec (`V_…`). Typed as audio, it plays
 * as a voice message rather than as a video.
 */
export const refineWebm = (file: Uint8Array): string => {
  const head = latin1(file.subarray(0, Math.min(file.length, 8192)));
  const audio = /A_(OPUS|VORBIS|AAC|MPEG)/.test(head);
  const video = /V_(VP8|VP9|AV1|MPEG4|MPEGH|THEORA)/.test(head);
  return audio && !video ? 'audio/webm' : 'video/webm';
};

/**
 * The MIME type of a file from its bytes, or null when it is nothing we
 * recognise (executables, unknown binaries). `complete` is false when `file`
 * is only the head of a longer file (then a character cut at its end is fine).
 */
export const detectMime = (file: Uint8Array, complete = true): string | null => {
  const sniffed = sniffMime(file.subarray(0, 64));
  if (sniffed === 'application/zip') return refineZip(file);
  if (sniffed === 'video/webm') return refineWebm(file);
  if (sniffed) return sniffed;
  return file.length > 0 && isUtf8Text(file, complete) ? 'text/plain' : null;
};

/**
 * Types an upload as it streams: keeps its first `headBytes` for the magic
 * bytes and checks the rest is text chunk by chunk. `finish()` gives the type.
 */
export const createTypeDetector = (headBytes = 8192) => {
  const head = new Uint8Array(headBytes);
  let held = 0;
  const text = createTextCheck();
  return {
    push(chunk: Uint8Array) {
      if (held < headBytes) {
        const take = Math.min(headBytes - held, chunk.length);
        head.set(chunk.subarray(0, take), held);
        held += take;
      }
      text.push(chunk);
    },
    finish(): string | null {
      const first = head.subarray(0, held);
      const sniffed = sniffMime(first.subarray(0, 64));
      if (sniffed === 'application/zip') return refineZip(first);
      if (sniffed === 'video/webm') return refineWebm(first);
      if (sniffed) return sniffed;
      return text.result() ? 'text/plain' : null;
    },
  };
};
