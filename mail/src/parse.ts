import { simpleParser } from 'mailparser';
import { receivedMail, type ReceivedMail } from '@atende/core/email';
import { MAX_RAW_BYTES } from './imap.ts';

export interface ParsedRawMail {
  mail: ReceivedMail;
  /** The bytes of `mail.attachments[i]`, in the same order. */
  files: Buffer[];
}

/** Parses raw RFC 822 bytes (from IMAP or the inbound endpoint) into core's shape plus the attachments' bytes. */
export const parseRawMail = async (raw: Buffer | string): Promise<ParsedRawMail> => {
  const size = typeof raw === 'string' ? Buffer.byteLength(raw) : raw.length;
  if (size > MAX_RAW_BYTES) throw new Error(`mail of ${size} bytes is larger than ${MAX_RAW_BYTES}`);
  const parsed = await simpleParser(raw, { skipImageLinks: true, skipTextToHtml: true, skipTextLinks: true });
  return { mail: receivedMail(parsed), files: parsed.attachments.map((a) => a.content) };
};
