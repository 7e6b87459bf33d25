import type { FastifyRequest } from 'fastify';

/**
 * The origin (scheme, host and port) browsers must come from to use the
 * staff API: the configured public URL, or else the address this request
 * was made to. A cross-site page (another host, or another port of the same
 * host, which SameSite cookies treat as same-site) is refused, and so is
 * `Origin: null` (sandboxed frames, file: pages, some redirects).
 */
export const expectedOrigin = (publicUrl: string | null, request: FastifyRequest): string =>
  publicUrl ? new URL(publicUrl).origin : `${request.protocol}://${request.host}`;

/** Whether a request's Origin header is acceptable; a request without one (not a browser, or same-origin GET) is. */
export const originAllowed = (origin: string | undefined, expected: string): boolean => {
  if (origin === undefined) return true;
  if (origin === 'null') return false;
  try {
    return new URL(origin).origin === new URL(expected).origin;
  } catch {
    return false;
  }
};
