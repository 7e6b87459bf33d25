/**
 * How a reply finds its ticket. Every mail Atende sends carries a Message-ID
 * that names the ticket, `<atende.{ticketId}.{messageId}@{domain}>`, and a
 * Reply-To with a `+{ticketId}` sub-address; a customer's reply quotes the
 * first in In-Reply-To/References, and most clients send it to the second.
 */
const ID = '[A-Za-z0-9_-]{1,100}';
const OUR_MESSAGE_ID = new RegExp(`^<?atende\\.(${ID})\\.(${ID})@[^>\\s]+>?$`);

export const outboundMessageId = (ticketId: string, messageId: string, address: string): string =>
  `<atende.${ticketId}.${messageId}@${domainOf(address)}>`;

export const domainOf = (address: string): string => address.slice(address.lastIndexOf('@') + 1).toLowerCase() || 'atende.local';

/** `suporte@loja.com.br` + ticket → `suporte+t.{ticketId}@loja.com.br`. */
export const ticketAddress = (address: string, ticketId: string): string => {
  const at = address.lastIndexOf('@');
  return at < 0 ? address : `${address.slice(0, at)}+t.${ticketId}${address.slice(at)}`;
};

/** The ticket a mail answers, from its threading headers first, then from a `+t.{id}` recipient. */
export const ticketIdFromMail = (mail: { inReplyTo: string | null; references: string[]; to: string[] }, mailbox: string): string | null => {
  const ids = [mail.inReplyTo, ...[...mail.references].reverse()].filter((v): v is string => !!v);
  for (const id of ids) {
    const match = OUR_MESSAGE_ID.exec(id.trim());
    if (match?.[1]) return match[1];
  }
  const at = mailbox.lastIndexOf('@');
  const local = mailbox.slice(0, at).toLowerCase();
  const domain = mailbox.slice(at + 1).toLowerCase();
  for (const to of mail.to) {
    const lower = to.toLowerCase();
    const match = new RegExp(`^${escape(local)}\\+t\\.(${ID})@${escape(domain)}$`, 'i').exec(lower);
    if (match?.[1]) return to.slice(local.length + 3, to.lastIndexOf('@'));
  }
  return null;
};

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** "Re: " once, whatever the customer's client put there already (Re:, RES:, Fwd:, ENC:). */
export const replySubject = (subject: string, protocol: string): string => {
  const bare = subject
    .replace(/^\s*((re|res|fw|fwd|enc|aw|tr)\s*(\[\d+\])?\s*:\s*)+/i, '')
    .replace(/\s*\[#[^\]]*\]\s*$/, '')
    .trim();
  return `Re: ${bare || 'Atendimento'} [#${protocol}]`;
};
