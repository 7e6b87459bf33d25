import { randomBytes } from 'node:crypto';

/** How many messages and requests a fake Graph API remembers. */
export const MAX_MESSAGES = 2000;

/** A Graph API error as Meta sends it, with its HTTP status. */
export const graphError = (status: number, code: number, message: string) => ({
  status,
  body: { error: { message, type: 'OAuthException', code, error_data: { messaging_product: 'whatsapp', details: message }, fbtrace_id: randomBytes(8).toString('hex') } },
});
