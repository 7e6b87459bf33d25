import { htmlToText, sanitizeHtml } from './html.ts';
import { splitQuoted } from './quote.ts';
import { ticketIdFromMail } from './thread.ts';

/**
 * A received e-mail as the carriers hand it over after parsing the raw
 * message (mailparser on the server and in the functions): addresses
 * lower-cased, headers decoded, attachments with their bytes.
 */
export interface ReceivedMail {
  messageId: string | null;
  inReplyTo: string | null;
  references: string[];
  from: { address: string; name: string | null } | null;
  replyTo: string | null;
  to: string[];
  subject: string;
  date: number | null;
  text: string | null;
  html: string | null;
  /** Auto-Submitted / Precedence / X-Autoreply / X-Auto-Response-Suppress present: out-of-office and bounces. */
  automatic: boolean;
  attachments: { name: string | null; mime: string; size: number; inline: boolean }[];
}

export interface MailDecision {
  /** Why nothing is created (logged): a bounce, an auto-reply, a mail from ourselves. */
  ignore: string | null;
  externalId: string;
  name: string | null;
  channelMessageId: string;
  subject: string;
  /** What the customer wrote now. */
  text: string;
  /** The history they quoted, collapsed in the thread. */
  quoted: string;
  /** Sanitised HTML body, shown in a sandboxed frame on demand; null when the mail had none. */
  html: string | null;
  /** The ticket the headers point at (a reply to one of our mails). */
  threadTicketId: string | null;
  /** Indexes of `attachments` to keep (inline images are part of the HTML, not files). */
  keepAttachments: number[];
}

const MAX_TEXT = 4000;

/** A stable id for a mail without Message-ID (some bulk senders), so a re-poll cannot duplicate it. */
const fallbackId = (mail: ReceivedMail) => `nomsgid:${mail.from?.address ?? ''}:${mail.date ?? 0}:${mail.subject.slice(0, 80)}`;

export const decideInbound = (mail: ReceivedMail, mailbox: string): MailDecision => {
  const sender = (mail.replyTo ?? mail.from?.address ?? '').trim().toLowerCase();
  const body = mail.text?.trim() ? mail.text : mail.html ? htmlToText(mail.html) : '';
  const split = splitQuoted(body);
  const text = split.text.length > MAX_TEXT ? `${split.text.slice(0, MAX_TEXT - 1)}…` : split.text;
  const keep = mail.attachments.flatMap((a, i) => (a.inline && mail.html ? [] : [i]));
  let ignore: string | null = null;
  if (!sender || !sender.includes('@')) ignore = 'no sender address';
  else if (sender === mailbox.toLowerCase()) ignore = 'sent by this mailbox (a loop)';
  else if (mail.automatic || /^(mailer-daemon|postmaster|no-?reply)@/i.test(sender)) ignore = 'automatic reply or bounce';
  else if (!text && keep.length === 0) ignore = 'empty message';
  return {
    ignore,
    externalId: sender,
    name: mail.from?.name?.trim() || null,
    channelMessageId: (mail.messageId ?? fallbackId(mail)).slice(0, 300),
    subject: mail.subject.trim().slice(0, 300),
    text: text || (keep.length ? '' : ''),
    quoted: split.quoted.slice(0, 20_000),
    html: mail.html ? sanitizeHtml(mail.html) : null,
    threadTicketId: ticketIdFromMail(mail, mailbox),
    keepAttachments: keep,
  };
};
