import type { ReceivedMail } from './inbound.ts';

/**
 * The parts of a parsed message (mailparser's `ParsedMail`, which the
 * server and the functions use) that Atende reads, typed structurally so the
 * core needs no Node import. Both carriers call `receivedMail` on it.
 */
interface Address {
  address?: string | undefined;
  name?: string | undefined;
}
interface AddressList {
  value: Address[];
}
export interface ParsedMailLike {
  messageId?: string | undefined;
  inReplyTo?: string | undefined;
  references?: string[] | string | undefined;
  from?: AddressList | undefined;
  replyTo?: AddressList | undefined;
  to?: AddressList | AddressList[] | undefined;
  cc?: AddressList | AddressList[] | undefined;
  subject?: string | undefined;
  date?: Date | undefined;
  text?: string | undefined;
  html?: string | false | undefined;
  headers: { get(key: string): unknown };
  attachments: { filename?: string | undefined; contentType: string; size: number; related?: boolean | undefined; contentDisposition?: string | undefined }[];
}

const addresses = (list: AddressList | AddressList[] | undefined): string[] =>
  (Array.isArray(list) ? list : list ? [list] : []).flatMap((l) => l.value.map((a) => (a.address ?? '').trim().toLowerCase()).filter(Boolean));

const headerText = (value: unknown): string => (typeof value === 'string' ? value : value && typeof value === 'object' && 'value' in value ? String((value as { value: unknown }).value) : '');

/** RFC 3834 and the de-facto headers of out-of-office replies and bulk mail. */
const isAutomatic = (headers: ParsedMailLike['headers']): boolean => {
  const auto = headerText(headers.get('auto-submitted')).toLowerCase();
  const precedence = headerText(headers.get('precedence')).toLowerCase();
  return (
    (auto !== '' && auto !== 'no') ||
    ['bulk', 'junk', 'auto_reply', 'list'].includes(precedence) ||
    headers.get('x-autoreply') !== undefined ||
    headers.get('x-autorespond') !== undefined
  );
};

export const receivedMail = (parsed: ParsedMailLike): ReceivedMail => {
  const from = parsed.from?.value[0];
  const references = Array.isArray(parsed.references) ? parsed.references : parsed.references ? parsed.references.split(/\s+/).filter(Boolean) : [];
  return {
    messageId: parsed.messageId ?? null,
    inReplyTo: parsed.inReplyTo ?? null,
    references,
    from: from?.address ? { address: from.address.trim().toLowerCase(), name: from.name?.trim() || null } : null,
    replyTo: addresses(parsed.replyTo)[0] ?? null,
    to: [...addresses(parsed.to), ...addresses(parsed.cc)],
    subject: parsed.subject ?? '',
    date: parsed.date ? parsed.date.getTime() : null,
    text: parsed.text ?? null,
    html: parsed.html || null,
    automatic: isAutomatic(parsed.headers),
    attachments: parsed.attachments.map((a) => ({
      name: a.filename ?? null,
      mime: a.contentType,
      size: a.size,
      inline: a.related === true || a.contentDisposition === 'inline',
    })),
  };
};
