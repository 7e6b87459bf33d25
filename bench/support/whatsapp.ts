import { createHmac } from 'node:crypto';
import type { HttpClient, JsonResponse } from './http.ts';
import type { Visitor } from './widget.ts';

/** The demo seed's first WhatsApp number and its Meta app (issue 11's contract). */
export const WHATSAPP_DEMO = {
  phoneNumberId: '100000000000001',
  displayPhoneNumber: '5511999990001',
  wabaId: '200000000000001',
  appSecret: 'atende-demo-app-secret',
} as const;

/** A customer's WhatsApp id: Brazilian mobile numbers (55, area 11, nine digits), one per visitor. */
export const waIdOf = (index: number): string => `55119${String(70_000_000 + index).padStart(8, '0')}`;

/** One inbound text message as Meta's Cloud API webhook delivers it. */
export const textWebhook = (waId: string, name: string, wamid: string, text: string, at = Date.now()): string =>
  JSON.stringify({
    object: 'whatsapp_business_account',
    entry: [
      {
        id: WHATSAPP_DEMO.wabaId,
        changes: [
          {
            field: 'messages',
            value: {
              messaging_product: 'whatsapp',
              metadata: { display_phone_number: WHATSAPP_DEMO.displayPhoneNumber, phone_number_id: WHATSAPP_DEMO.phoneNumberId },
              contacts: [{ profile: { name }, wa_id: waId }],
              messages: [{ from: waId, id: wamid, timestamp: String(Math.floor(at / 1000)), type: 'text', text: { body: text } }],
            },
          },
        ],
      },
    ],
  });

/** `X-Hub-Signature-256` of a raw body: HMAC-SHA256 with the app secret, hex. */
export const signatureOf = (raw: string, secret: string = WHATSAPP_DEMO.appSecret): string => `sha256=${createHmac('sha256', secret).update(raw).digest('hex')}`;

/** A customer writing on WhatsApp: a signed webhook POST of one text message, as Meta sends it. */
export const sendAsWhatsApp = (http: HttpClient, v: Visitor, text: string, messageId: string): Promise<JsonResponse<unknown>> => {
  const raw = textWebhook(waIdOf(v.index), `Cliente WhatsApp ${v.index}`, `wamid.bench-${messageId}`, text);
  return http.post('/webhooks/whatsapp', raw, { 'x-hub-signature-256': signatureOf(raw) });
};
