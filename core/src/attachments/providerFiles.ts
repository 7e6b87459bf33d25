/**
 * A file a provider sent us (WhatsApp media, an e-mail attachment): the same
 * rule on both backends. Its type comes from its bytes, never from what the
 * provider claims; it must fit the workspace's attachment policy; its name is
 * the customer's, or made up from the kind and the detected type.
 */
import type { AttachmentKind } from '../model/index.ts';
import { extensionFor, kindOf, typeAllowed } from './rules.ts';
import { createTypeDetector } from './sniff.ts';
import { LIMITS } from '../limits.ts';

export interface ProviderFileInfo {
  kind: AttachmentKind;
  name: string | null;
  /** A recorded voice note (WhatsApp `voice: true`). */
  voice?: boolean;
}

export interface AttachmentRule {
  maxBytes: number;
  allowedTypes: readonly string[];
}

export type ProviderFileCheck =
  | { ok: true; mime: string; kind: AttachmentKind; name: string; size: number }
  | { ok: false; why: 'empty' | 'too-large' | 'type'; mime: string | null; reason: string };

const megabytes = (bytes: number) => `${Math.round((bytes / 1048576) * 10) / 10} MB`;

/** Control characters and path separators out, at most 255 characters. */
const safeName = (name: string) => name.replace(/[\u0000-\u001f\u007f/\\]/g, '_').slice(0, 255);

export const checkProviderFile = (bytes: Uint8Array, file: ProviderFileInfo, rule: AttachmentRule): ProviderFileCheck => {
  if (bytes.length === 0) return { ok: false, why: 'empty', mime: null, reason: 'o arquivo está vazio (the file is empty)' };
  if (bytes.length > rule.maxBytes)
    return { ok: false, why: 'too-large', mime: null, reason: `arquivo maior que ${megabytes(rule.maxBytes)} (larger than ${megabytes(rule.maxBytes)})` };
  const detector = createTypeDetector(LIMITS.uploads.sniffBytes);
  detector.push(bytes);
  const mime = detector.finish();
  if (!mime || !typeAllowed(mime, rule.allowedTypes))
    return { ok: false, why: 'type', mime, reason: mime ? `tipo de arquivo não permitido: ${mime} (type not allowed)` : 'tipo de arquivo não reconhecido (unrecognised type)' };
  const made = `${file.voice ? 'audio' : file.kind}${extensionFor(mime)}`;
  return { ok: true, mime, kind: kindOf(mime), name: safeName(file.name?.trim() || made) || 'arquivo', size: bytes.length };
};
