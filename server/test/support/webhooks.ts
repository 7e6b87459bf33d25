import { createHmac } from 'node:crypto';
import type { TestServer } from '../helpers.ts';

/** What the channel webhook tests (WhatsApp, Instagram) share: Meta's signature, the POST, waiting for a commit. */

/** Meta's `x-hub-signature-256` header value for a webhook body. */
export const hubSignature = (body: string, secret: string): string => `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;

/** POSTs a webhook body as Meta does, signed with `signature` (none when left out). */
export const postWebhook = (server: TestServer, path: string, body: string, signature?: string) =>
  fetch(`${server.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...(signature ? { 'x-hub-signature-256': signature } : {}) }, body });

/** Resolves once `check` holds, re-checking after every commit of the server's store (no sleeping). */
export const untilCommitted = <T>(server: TestServer, check: () => T | null | undefined | false, timeoutMs = 5000): Promise<T> =>
  new Promise((resolve, reject) => {
    const first = check();
    if (first) return resolve(first);
    const timer = setTimeout(() => {
      off();
      reject(new Error('condition not reached'));
    }, timeoutMs);
    const off = server.app.store.onCommit(() => {
      const value = check();
      if (value) {
        clearTimeout(timer);
        off();
        resolve(value);
      }
    });
  });

/** A WhatsApp Cloud API webhook body: one text message from `from` to the business number `phoneNumberId`. */
export const whatsappTextBody = (m: { wabaId: string; phoneNumberId: string; from: string; name: string; id: string; text: string; timestamp: string }): string =>
  JSON.stringify({
    object: 'whatsapp_business_account',
    entry: [{ id: m.wabaId, changes: [{ field: 'messages', value: { messaging_product: 'whatsapp', metadata: { display_phone_number: '551140000002', phone_number_id: m.phoneNumberId }, contacts: [{ profile: { name: m.name }, wa_id: m.from }], messages: [{ from: m.from, id: m.id, timestamp: m.timestamp, type: 'text', text: { body: m.text } }] } }] }],
  });
