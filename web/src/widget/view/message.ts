import type { Attachment, Message } from '@atende/core';
import { formatBytes, formatTime, t } from '../i18n.ts';
import { linkify, type PendingMessage } from '../thread.ts';
import { h, icon } from './dom.ts';

export interface MessageProps {
  message?: Message;
  pending?: PendingMessage;
  /** Continues the run of the message above (same author): no name, tighter spacing. */
  continues: boolean;
  /** Ends its run: shows the time. */
  last: boolean;
  fileUrl: (ticketId: string, attachmentId: string) => string;
  onRetry: (clientMessageId: string) => void;
}

const isBot = (m: Message) => m.automated || m.authorId === null;
const newTab = { target: '_blank', rel: 'noopener noreferrer' } as const;

/** Text from customers and agents goes in as text; only http(s) runs become links. */
const richText = (value: string, mine: boolean) =>
  h(
    'span',
    null,
    ...linkify(value).map((part) =>
      part.href
        ? h('a', { href: part.href, ...newTab, class: `underline underline-offset-2 [overflow-wrap:anywhere] ${mine ? 'decoration-current/60' : 'text-brand'}` }, part.text)
        : part.text,
    ),
  );

const docIcon = () =>
  icon(
    'size-5',
    'M6 22a2 2 0 0 1-2-2V4a2 2 0 0 1 2-2h8a2.4 2.4 0 0 1 1.704.706l3.588 3.588A2.4 2.4 0 0 1 20 8v12a2 2 0 0 1-2 2z',
    'M14 2v5a1 1 0 0 0 1 1h5',
    'M10 9H8',
    'M16 13H8',
    'M16 17H8',
  );

// `url` is null while a non-image file is still uploading.
const attachmentView = (a: Attachment, url: string | null, mine: boolean): HTMLElement => {
  if (a.kind === 'image' && url)
    return h(
      'a',
      { href: url, ...newTab, class: 'block overflow-hidden rounded-xl', 'aria-label': t('openImage', { name: a.name }) },
      h('img', { src: url, alt: a.name, loading: 'lazy', class: 'max-h-56 w-full max-w-64 bg-black/5 object-cover shadow-xs ring-1 ring-black/5' }),
    );
  // Voice messages and clips play in place, as in a messenger.
  if (a.kind === 'audio' && url) return h('audio', { src: url, controls: true, preload: 'metadata', class: 'h-10 w-64 max-w-full', 'aria-label': a.name });
  if (a.kind === 'video' && url)
    return h('video', { src: url, controls: true, preload: 'metadata', class: 'max-h-56 w-full max-w-64 rounded-xl bg-black', 'aria-label': a.name });
  const card = `flex min-w-44 items-center gap-2.5 rounded-xl px-2.5 py-2 no-underline ${mine ? 'bg-white/15 hover:bg-white/25' : 'bg-white text-gray-900 shadow-xs ring-1 ring-gray-200 hover:bg-gray-50'}`;
  const body = [
    h('span', { class: `flex size-9 shrink-0 items-center justify-center rounded-lg ${mine ? 'bg-white/20' : 'bg-brand/10 text-brand'}` }, docIcon()),
    h(
      'span',
      { class: 'min-w-0 whitespace-normal' },
      h('span', { class: 'block truncate text-sm font-medium' }, a.name),
      h('span', { class: 'block text-xs opacity-70' }, formatBytes(a.size)),
    ),
  ];
  return url ? h('a', { href: url, ...newTab, download: a.name, 'aria-label': t('download', { name: a.name }), class: card }, ...body) : h('div', { class: card }, ...body);
};

/** One bubble, with the author's name atop a run and the time (or the sending state) below it. */
export const messageView = ({ message, pending, continues, last, fileUrl, onRetry }: MessageProps): HTMLElement => {
  const mine = pending !== undefined || message?.direction === 'in';
  const value = message?.text ?? pending?.text ?? '';
  let files: { attachment: Attachment; url: string | null }[] = [];
  if (message) files = message.attachments.map((a) => ({ attachment: a, url: fileUrl(message.ticketId, a.id) }));
  else if (pending?.file)
    files = [
      {
        attachment: { id: pending.clientMessageId, name: pending.file.name, size: pending.file.size, mime: '', kind: pending.file.previewUrl ? 'image' : 'document' },
        url: pending.file.previewUrl,
      },
    ];

  const bubble = [
    'max-w-[85%] text-sm leading-relaxed break-words whitespace-pre-wrap',
    value ? 'rounded-2xl px-3.5 py-2 shadow-xs' : 'text-gray-900',
    value && (mine ? 'bg-brand text-brand-ink' : isBot(message!) ? 'bg-gray-100' : 'bg-white ring-1 ring-gray-200'),
    value && (mine ? last && 'rounded-br-md' : !continues && 'rounded-tl-md'),
    pending?.state === 'sending' && 'opacity-70',
    pending?.state === 'failed' && 'rounded-2xl ring-2 ring-red-400',
  ];

  const footer =
    pending?.state === 'sending'
      ? [t('sending')]
      : pending?.state === 'failed'
        ? [
            h('span', { class: 'text-red-600' }, t('failed')),
            ' · ',
            h('button', { type: 'button', class: 'font-medium text-red-600 underline', onclick: () => onRetry(pending.clientMessageId) }, t('resend')),
          ]
        : [formatTime(message?.createdAt ?? pending?.createdAt ?? Date.now())];

  return h(
    'div',
    { class: `flex flex-col ${mine ? 'items-end' : 'items-start'} ${continues ? '' : 'mt-2'}`, 'data-status': pending ? pending.state : 'stored', 'data-testid': 'message' },
    !mine &&
      !continues &&
      message &&
      h('span', { class: 'mb-0.5 ml-3 text-[11px] font-medium text-gray-500' }, isBot(message) ? t('bot') : message.authorName || t('agent')),
    h(
      'div',
      { class: bubble.filter(Boolean).join(' '), 'data-testid': 'bubble' },
      files.length > 0 &&
        h('div', { class: `flex flex-col gap-1.5 ${value ? 'mb-1.5' : ''}` }, ...files.map((f) => attachmentView(f.attachment, f.url, mine && !!value))),
      value && richText(value, mine),
    ),
    (last || pending) && h('span', { class: 'mx-1 mt-0.5 text-[10px] text-gray-400' }, ...footer),
  );
};
