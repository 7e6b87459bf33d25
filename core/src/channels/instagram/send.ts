import type { DeliveryFailure, HttpAnswer, HttpCall, OutboundMessage, SendContext, SendResult } from '../types.ts';

/**
 * Sending on Instagram: `POST {base}/me/messages` with the account's token,
 * one request per file and one for the text. With the human-agent tag the
 * reply may go out up to seven days after the customer's last message.
 */

const ATTACHMENT_TYPE = { image: 'image', video: 'video', audio: 'audio', document: 'file' } as const;

export const buildInstagramSend = (ctx: SendContext, message: OutboundMessage, humanAgentTag: boolean): HttpCall[] => {
  const url = `${ctx.baseUrl}/me/messages`;
  const headers = { authorization: `Bearer ${ctx.secrets.accessToken}`, 'content-type': 'application/json' };
  const tag = humanAgentTag ? { messaging_type: 'MESSAGE_TAG', tag: 'HUMAN_AGENT' } : {};
  const recipient = { id: message.to };
  const calls: HttpCall[] = message.attachments
    .filter((a) => a.url !== null)
    .map((a) => ({ method: 'POST', url, headers, json: { recipient, ...tag, message: { attachment: { type: ATTACHMENT_TYPE[a.kind], payload: { url: a.url } } } } }));
  // Instagram has no buttons for a bot menu in plain messages: quick replies carry up to 13 choices.
  const text = message.text.trim();
  if (message.menu && message.menu.options.length > 0 && message.menu.options.length <= 13)
    calls.push({
      method: 'POST',
      url,
      headers,
      json: {
        recipient,
        ...tag,
        message: { text: text || ' ', quick_replies: message.menu.options.map((o) => ({ content_type: 'text', title: o.label.slice(0, 20), payload: o.key })) },
      },
    });
  else if (text) calls.push({ method: 'POST', url, headers, json: { recipient, ...tag, message: { text: text.slice(0, 1000) } } });
  return calls;
};

const failure = (code: DeliveryFailure['code'], providerCode: number | null, detail: string | null): DeliveryFailure => ({ code, providerCode, detail });

/** Meta's error object: `{error: {message, type, code, error_subcode}}`. */
export const readInstagramAnswer = (answer: HttpAnswer): SendResult => {
  const body = (answer.body && typeof answer.body === 'object' ? answer.body : {}) as { message_id?: unknown; error?: { message?: string; code?: number; error_subcode?: number } };
  if (answer.status >= 200 && answer.status < 300 && typeof body.message_id === 'string') return { kind: 'sent', channelMessageId: body.message_id };
  if (answer.status === 0) return { kind: 'retry', failure: failure('provider-unavailable', null, 'no answer from Instagram') };
  const code = body.error?.code ?? null;
  const sub = body.error?.error_subcode ?? null;
  const detail = body.error?.message?.slice(0, 500) ?? `HTTP ${answer.status}`;
  if (code === 190 || answer.status === 401) return { kind: 'attention', failure: failure('auth', code, detail) };
  if (code === 10 && (sub === 2018278 || sub === 2534022)) return { kind: 'give-up', failure: failure('window-closed', sub, detail) };
  if (code === 551 || sub === 2018001 || sub === 2018108 || sub === 2534014) return { kind: 'give-up', failure: failure('invalid-recipient', sub ?? code, detail) };
  if (code === 4 || code === 17 || code === 32 || code === 613 || answer.status === 429) {
    const retryAfter = Number(answer.headers['retry-after']);
    return { kind: 'retry', failure: failure('rate-limited', code, detail), ...(retryAfter > 0 ? { afterMs: retryAfter * 1000 } : {}) };
  }
  if (answer.status >= 500 || code === 1 || code === 2) return { kind: 'retry', failure: failure('provider-unavailable', code, detail) };
  if (sub === 2018047 || sub === 2018074) return { kind: 'give-up', failure: failure('media-rejected', sub, detail) };
  return { kind: 'give-up', failure: failure('rejected', code, detail) };
};
