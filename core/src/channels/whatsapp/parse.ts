import type { Attachment } from '../../model/index.ts';
import { WebhookError, type InboundEvent, type InboundMedia, type ParsedWebhook } from '../types.ts';
import { failureOf } from './errors.ts';

/**
 * Parses a Cloud API webhook (`object: whatsapp_business_account`): every
 * message of every change becomes an event routed by the change's
 * `metadata.phone_number_id`; statuses are sorted by time so that a batch
 * applies in order. Unknown types are kept as `unsupportedType`, never dropped.
 */

type Json = Record<string, unknown>;
const obj = (v: unknown): Json | null => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : null);
const str = (v: unknown): string | null => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : null);
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const secondsToMs = (v: unknown, fallback: number): number => {
  const n = Number(str(v));
  return Number.isFinite(n) && n > 0 ? n * 1000 : fallback;
};

const MEDIA_TYPES: Record<string, Attachment['kind']> = { image: 'image', video: 'video', audio: 'audio', document: 'document', sticker: 'image' };

const locationText = (l: Json): string => {
  const lat = str(l.latitude);
  const lng = str(l.longitude);
  const place = [str(l.name), str(l.address)].filter(Boolean).join(' — ');
  return ['📍 Localização' + (place ? `: ${place}` : ''), lat && lng ? `https://maps.google.com/?q=${lat},${lng}` : null, str(l.url)].filter(Boolean).join('\n');
};

const contactsText = (list: unknown[]): string =>
  list
    .map((c) => {
      const card = obj(c) ?? {};
      const name = str(obj(card.name)?.formatted_name) ?? 'Contato';
      const phones = arr(card.phones).map((p) => str(obj(p)?.phone)).filter(Boolean);
      const emails = arr(card.emails).map((e) => str(obj(e)?.email)).filter(Boolean);
      return ['👤 ' + name, ...phones, ...emails].join('\n');
    })
    .join('\n\n');

const parseMessage = (m: Json, account: string, names: Map<string, string>, now: number): InboundEvent | string => {
  const from = str(m.from);
  const id = str(m.id);
  const type = str(m.type) ?? 'unknown';
  if (!from || !id) return 'a message without from or id';
  const at = secondsToMs(m.timestamp, now);
  const name = names.get(from);
  const base = {
    kind: 'message' as const,
    account,
    externalId: from,
    contact: { ...(name ? { name } : {}), phone: `+${from.replace(/^\+/, '')}` },
    channelMessageId: id,
    at,
    text: '',
    media: [] as InboundMedia[],
    replyToChannelMessageId: str(obj(m.context)?.id),
    unsupportedType: null as string | null,
  };
  const body = obj(m[type]) ?? {};
  switch (type) {
    case 'text':
      return { ...base, text: str(body.body) ?? '' };
    case 'image':
    case 'video':
    case 'audio':
    case 'document':
    case 'sticker': {
      const mediaId = str(body.id);
      if (!mediaId) return { ...base, unsupportedType: type };
      return {
        ...base,
        text: str(body.caption) ?? '',
        media: [{ ref: mediaId, kind: MEDIA_TYPES[type]!, mime: str(body.mime_type), name: str(body.filename), voice: body.voice === true, sha256: str(body.sha256) }],
      };
    }
    case 'location':
      return { ...base, text: locationText(body) };
    case 'contacts':
      return { ...base, text: contactsText(arr(m.contacts)) };
    case 'interactive': {
      const reply = obj(body.button_reply) ?? obj(body.list_reply);
      const title = str(reply?.title);
      return title ? { ...base, text: title } : { ...base, unsupportedType: `interactive:${str(body.type) ?? '?'}` };
    }
    case 'button': {
      const text = str(body.text) ?? str(body.payload);
      return text ? { ...base, text } : { ...base, unsupportedType: 'button' };
    }
    case 'reaction': {
      const target = str(body.message_id);
      if (!target) return 'a reaction without message_id';
      const emoji = str(body.emoji);
      return { kind: 'reaction', account, externalId: from, channelMessageId: id, targetChannelMessageId: target, emoji: emoji ? emoji : null, at };
    }
    default:
      return { ...base, unsupportedType: type };
  }
};

const STATUSES = new Set(['sent', 'delivered', 'read', 'failed']);

export const parseWhatsAppWebhook = (payload: unknown, now = Date.now()): ParsedWebhook => {
  const root = obj(payload);
  if (!root || root.object !== 'whatsapp_business_account')
    throw new WebhookError('Not a WhatsApp Business webhook: "object" must be "whatsapp_business_account"', [{ path: 'object', message: 'must be whatsapp_business_account' }]);
  if (!Array.isArray(root.entry)) throw new WebhookError('Not a WhatsApp Business webhook: "entry" must be a list', [{ path: 'entry', message: 'must be a list' }]);
  const events: InboundEvent[] = [];
  const statuses: InboundEvent[] = [];
  const ignored: string[] = [];
  for (const [i, rawEntry] of root.entry.entries()) {
    for (const [j, rawChange] of arr(obj(rawEntry)?.changes).entries()) {
      const change = obj(rawChange);
      if (change?.field !== undefined && change.field !== 'messages') {
        ignored.push(`entry.${i}.changes.${j}: field ${String(change.field)}`);
        continue;
      }
      const value = obj(change?.value);
      const account = str(obj(value?.metadata)?.phone_number_id);
      if (!value || !account) {
        ignored.push(`entry.${i}.changes.${j}: no metadata.phone_number_id`);
        continue;
      }
      const names = new Map<string, string>();
      for (const c of arr(value.contacts)) {
        const wa = str(obj(c)?.wa_id);
        const name = str(obj(obj(c)?.profile)?.name);
        if (wa && name) names.set(wa, name);
      }
      for (const rawMessage of arr(value.messages)) {
        const m = obj(rawMessage);
        const event = m ? parseMessage(m, account, names, now) : 'a message that is not an object';
        if (typeof event === 'string') ignored.push(event);
        else events.push(event);
      }
      for (const rawStatus of arr(value.statuses)) {
        const s = obj(rawStatus);
        const status = str(s?.status);
        const id = str(s?.id);
        if (!s || !id || !status || !STATUSES.has(status)) {
          ignored.push(`a status ${status ?? '?'} we do not track`);
          continue;
        }
        const error = obj(arr(s.errors)[0]);
        const code = typeof error?.code === 'number' ? error.code : null;
        const detail = [str(error?.title), str(obj(error?.error_data)?.details)].filter(Boolean).join(': ') || null;
        statuses.push({
          kind: 'status',
          account,
          channelMessageId: id,
          status: status as 'sent' | 'delivered' | 'read' | 'failed',
          at: secondsToMs(s.timestamp, now),
          failure: status === 'failed' ? failureOf(code, detail, 200) : null,
        });
      }
    }
  }
  // Statuses of one batch in time order (Meta does not promise it); core keeps the furthest anyway.
  statuses.sort((a, b) => a.at - b.at);
  return { events: [...events, ...statuses], ignored };
};
