import type { CustomerActor } from '../policy.ts';

/**
 * Short-lived signed keys for file links (`?key=`), the same on both
 * backends: an `<img src>` cannot send a header, and a link must never carry
 * a long-lived credential (a forwarded link would open the conversation or
 * the console). A key names who may read (a web-chat customer, or a staff
 * member whose rights are re-read at each request) and when it expires; the
 * server signs it with its own secret (`sign` is an HMAC the carrier
 * computes). Whoever holds the link reads only what that person may read,
 * and only until it expires (LIMITS.widget.fileLinkTtlMs).
 */
export type FileKeySubject = CustomerActor | { kind: 'staff'; uid: string };

/** Characters an id may have; `~` separates the parts, `@` marks a staff key. */
const ID = /^[A-Za-z0-9_.:-]{1,128}$/;

const bodyOf = (s: FileKeySubject, expiresAt: number): string => (s.kind === 'staff' ? `@${s.uid}~${expiresAt}` : `${s.channelId}~${s.contactId}~${expiresAt}`);

/** A key for `subject`, valid until `expiresAt`. */
export const signFileKey = (subject: FileKeySubject, expiresAt: number, sign: (body: string) => string): string => {
  const body = bodyOf(subject, expiresAt);
  return `${body}~${sign(body)}`;
};

const sameText = (a: string, b: string): boolean => {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
};

/** Who a key was signed for, if it is genuine and not expired at `now`; null otherwise. */
export const readFileKey = (key: unknown, now: number, sign: (body: string) => string): FileKeySubject | null => {
  if (typeof key !== 'string' || key.length > 400) return null;
  const parts = key.split('~');
  let subject: FileKeySubject;
  let exp: string;
  if (parts.length === 3 && parts[0]!.startsWith('@')) {
    subject = { kind: 'staff', uid: parts[0]!.slice(1) };
    exp = parts[1]!;
    if (!ID.test(subject.uid)) return null;
  } else if (parts.length === 4) {
    subject = { kind: 'customer', channelId: parts[0]!, contactId: parts[1]! };
    exp = parts[2]!;
    if (!ID.test(subject.channelId) || !ID.test(subject.contactId)) return null;
  } else return null;
  if (!/^\d{1,15}$/.test(exp)) return null;
  if (!sameText(parts.at(-1)!, sign(bodyOf(subject, Number(exp))))) return null;
  return Number(exp) > now ? subject : null;
};
