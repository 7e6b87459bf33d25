import { domainOf, outboundMessageId, replySubject, ticketAddress } from './thread.ts';

/** The mail an agent's reply becomes; the carrier hands it to SMTP (nodemailer) as it is. */
export interface OutgoingMail {
  from: { name: string; address: string };
  replyTo: string;
  to: string;
  subject: string;
  messageId: string;
  inReplyTo: string | null;
  references: string[];
  text: string;
  headers: Record<string, string>;
  /** Attachment ids the carrier reads from the file store. */
  attachmentIds: string[];
}

export interface ReplyInput {
  mailbox: string;
  fromName: string;
  /** The sector's signature, appended after "-- ". */
  signature: string;
  ticket: { id: string; protocol: string; contactEmail: string };
  message: { id: string; text: string; authorName: string | null; attachmentIds: string[] };
  /** The customer's mail this answers (the last one on the ticket), for threading. */
  answering: { messageId: string; subject: string; references: string[] } | null;
}

const MAX_REFERENCES = 20;

export const buildReply = (input: ReplyInput): OutgoingMail => {
  const { ticket, message, answering } = input;
  const references = answering ? [...answering.references, answering.messageId].filter(Boolean).slice(-MAX_REFERENCES) : [];
  const signature = input.signature.trim();
  const text = signature ? `${message.text.trim()}\n\n-- \n${signature}` : message.text.trim();
  return {
    from: { name: message.authorName ? `${message.authorName} · ${input.fromName}` : input.fromName, address: input.mailbox },
    replyTo: ticketAddress(input.mailbox, ticket.id),
    to: ticket.contactEmail,
    subject: replySubject(answering?.subject ?? '', ticket.protocol),
    messageId: outboundMessageId(ticket.id, message.id, input.mailbox),
    inReplyTo: answering?.messageId ?? null,
    references,
    text,
    headers: { 'X-Atende-Ticket': ticket.protocol, 'Auto-Submitted': 'no' },
    attachmentIds: message.attachmentIds,
  };
};

export { domainOf };
