/**
 * What Meta's webhooks share (WhatsApp Cloud API, Instagram): the GET
 * verification handshake. The signature check is `signature.ts`.
 */

/** `hub.mode=subscribe` with our verify token: the `hub.challenge` to echo; anything else: null (403). */
export const metaHandshake = (query: Record<string, unknown>, verifyToken: string): string | null => {
  const mode = query['hub.mode'];
  const token = query['hub.verify_token'];
  const challenge = query['hub.challenge'];
  if (mode !== 'subscribe' || typeof token !== 'string' || typeof challenge !== 'string') return null;
  if (!verifyToken || token.length !== verifyToken.length) return null;
  let diff = 0;
  for (let i = 0; i < token.length; i++) diff |= token.charCodeAt(i) ^ verifyToken.charCodeAt(i);
  return diff === 0 && challenge.length <= 200 ? challenge : null;
};
