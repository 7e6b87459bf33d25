import type { Attachment } from '../../model/index.ts';
import type { HttpAnswer, HttpCall, OutboundMessage, SendContext, SendResult } from '../types.ts';
import { graphFailure } from './errors.ts';

/** The default base of every Graph call (`ATENDE_WHATSAPP_GRAPH_URL` overrides it). */
export const DEFAULT_GRAPH_URL = 'https://graph.facebook.com/v23.0';

const auth = (ctx: Pick<SendContext, 'secrets'>) => ({ authorization: `Bearer ${ctx.secrets.accessToken}` });

const post = (ctx: SendContext, to: string, content: Record<string, unknown>, replyTo: string | null): HttpCall => ({
  method: 'POST',
  url: `${ctx.baseUrl}/${encodeURIComponent(ctx.account.id)}/messages`,
  headers: { ...auth(ctx), 'content-type': 'application/json' },
  json: { messaging_product: 'whatsapp', recipient_type: 'individual', to, ...(replyTo ? { context: { message_id: replyTo } } : {}), ...content },
});

const mediaRef = (url: string) => (url.startsWith('media:') ? { id: url.slice('media:'.length) } : { link: url });

/** Captions go with images, videos and documents; audio and stickers have none. */
const captioned = (kind: Attachment['kind']) => kind !== 'audio';

const MAX_BUTTONS = 3;
const MAX_ROWS = 10;
const cut = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

/** The bot menu: reply buttons (≤ 3), a list (≤ 10 rows), or numbered text beyond that. */
const menuContent = (menu: NonNullable<OutboundMessage['menu']>, text: string): Record<string, unknown> => {
  const body = { text: cut(text || menu.header, 1024) };
  if (menu.options.length <= MAX_BUTTONS)
    return {
      type: 'interactive',
      interactive: { type: 'button', body, action: { buttons: menu.options.map((o) => ({ type: 'reply', reply: { id: o.key, title: cut(o.label, 20) } })) } },
    };
  if (menu.options.length <= MAX_ROWS)
    return {
      type: 'interactive',
      interactive: {
        type: 'list',
        body,
        action: { button: 'Opções', sections: [{ title: 'Opções', rows: menu.options.map((o) => ({ id: o.key, title: cut(o.label, 24) })) }] },
      },
    };
  return { type: 'text', text: { preview_url: false, body: cut(text, 4096) } };
};

/**
 * The requests for one message: a template; the bot menu as buttons or a
 * list; else each file (the text as the caption of a single captionable
 * file), then the text.
 */
export const buildWhatsAppSend = (ctx: SendContext, m: OutboundMessage): HttpCall[] => {
  if (m.template) {
    const components = m.template.bodyParams.length ? [{ type: 'body', parameters: m.template.bodyParams.map((text) => ({ type: 'text', text })) }] : [];
    return [post(ctx, m.to, { type: 'template', template: { name: m.template.name, language: { code: m.template.language }, components } }, m.replyToChannelMessageId)];
  }
  if (m.menu) return [post(ctx, m.to, menuContent(m.menu, m.text), m.replyToChannelMessageId)];
  const calls: HttpCall[] = [];
  const text = m.text.trim();
  const single = m.attachments.length === 1 && captioned(m.attachments[0]!.kind) && text.length <= 1024;
  for (const a of m.attachments) {
    const type = a.kind;
    const media: Record<string, unknown> = { ...mediaRef(a.url ?? '') };
    if (type === 'document') media.filename = a.name;
    if (single && text) media.caption = text;
    calls.push(post(ctx, m.to, { type, [type]: media }, calls.length === 0 ? m.replyToChannelMessageId : null));
  }
  if (text && !single) calls.push(post(ctx, m.to, { type: 'text', text: { preview_url: false, body: cut(text, 4096) } }, calls.length === 0 ? m.replyToChannelMessageId : null));
  return calls;
};

export const readWhatsAppSendAnswer = (answer: HttpAnswer): SendResult => {
  if (answer.status >= 200 && answer.status < 300) {
    const id = (answer.body as { messages?: { id?: unknown }[] } | null)?.messages?.[0]?.id;
    if (typeof id === 'string' && id) return { kind: 'sent', channelMessageId: id };
  }
  return graphFailure(answer);
};

/** `POST /{phone-number-id}/media`: multipart with `messaging_product`, `type` and the file. */
export const whatsAppUploadRequest = (ctx: SendContext, a: Attachment): HttpCall => ({
  method: 'POST',
  url: `${ctx.baseUrl}/${encodeURIComponent(ctx.account.id)}/media`,
  headers: auth(ctx),
  form: { fields: { messaging_product: 'whatsapp', type: a.mime }, file: { field: 'file', attachmentId: a.id, name: a.name, mime: a.mime } },
});

export const readWhatsAppUpload = (answer: HttpAnswer): { kind: 'uploaded'; mediaId: string } | Exclude<SendResult, { kind: 'sent' }> => {
  const id = (answer.body as { id?: unknown } | null)?.id;
  if (answer.status >= 200 && answer.status < 300 && typeof id === 'string' && id) return { kind: 'uploaded', mediaId: id };
  return graphFailure(answer);
};

/** Step one of a download: `GET /{media-id}` → `{url, mime_type, sha256, file_size}`. */
export const whatsAppMediaInfoRequest = (ctx: SendContext, mediaId: string): HttpCall => ({
  method: 'GET',
  url: `${ctx.baseUrl}/${encodeURIComponent(mediaId)}?phone_number_id=${encodeURIComponent(ctx.account.id)}`,
  headers: auth(ctx),
});

export const readWhatsAppMediaInfo = (answer: HttpAnswer) => {
  const b = (answer.body ?? {}) as { url?: unknown; mime_type?: unknown; sha256?: unknown; file_size?: unknown };
  if (answer.status !== 200 || typeof b.url !== 'string') throw new Error(`media lookup failed: HTTP ${answer.status}`);
  const size = Number(b.file_size);
  return { url: b.url, mime: typeof b.mime_type === 'string' ? b.mime_type : null, size: Number.isFinite(size) ? size : null, sha256: typeof b.sha256 === 'string' ? b.sha256 : null };
};

/** Step two: the URL with the same bearer token. */
export const whatsAppMediaDownloadRequest = (ctx: SendContext, url: string): HttpCall => ({ method: 'GET', url, headers: auth(ctx) });

/** `GET /{waba-id}/message_templates` (one page; `after` is the paging cursor). */
export const whatsAppTemplatesRequest = (ctx: SendContext, after: string | null): HttpCall => ({
  method: 'GET',
  url: `${ctx.baseUrl}/${encodeURIComponent(ctx.account.businessId ?? '')}/message_templates?fields=name,language,category,status,components&limit=100${after ? `&after=${encodeURIComponent(after)}` : ''}`,
  headers: auth(ctx),
});
