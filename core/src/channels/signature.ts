/**
 * Webhook signatures (`X-Hub-Signature-256: sha256=<hex>` for Meta). Core
 * stays free of Node and browser APIs: the carrier computes the HMAC of the
 * raw body with the channel's secret (node:crypto) and this compares it with
 * the header in constant time. A missing, malformed or wrong header is false.
 */
export const SIGNATURE_HEADER = 'x-hub-signature-256';

const HEX = /^[0-9a-f]+$/i;

/** The digest a `sha256=<hex>` header carries, or null when it is not one. */
export const parseSignatureHeader = (header: string | string[] | undefined): Uint8Array | null => {
  const value = Array.isArray(header) ? header[0] : header;
  if (typeof value !== 'string' || !value.startsWith('sha256=')) return null;
  const hex = value.slice('sha256='.length).trim();
  if (hex.length !== 64 || !HEX.test(hex)) return null;
  const bytes = new Uint8Array(32);
  for (let i = 0; i < 32; i++) bytes[i] = Number.parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return bytes;
};

/** Compares two byte strings in time that depends only on their length. */
export const constantTimeEqual = (a: Uint8Array, b: Uint8Array): boolean => {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ b[i]!;
  return diff === 0;
};

/**
 * True when the header is `sha256=` followed by exactly the HMAC-SHA256 the
 * carrier computed over the raw bytes (`hmac()` is only called for a
 * well-formed header, so garbage costs no hashing).
 */
export const verifySignature = (header: string | string[] | undefined, hmac: () => Uint8Array): boolean => {
  const given = parseSignatureHeader(header);
  if (!given) return false;
  return constantTimeEqual(given, hmac());
};
