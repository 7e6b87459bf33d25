import type { CarryResult, Carrier, DeliveryJob } from '../../outbox/deliver.ts';
import type { Attachment, EmailPart, MailServer } from '../../model/index.ts';
import type { SendResult } from '../types.ts';
import { buildReply, type OutgoingMail } from './outbound.ts';

/** What a backend supplies to send the e-mail channel's messages (SMTP and its store). */
export interface MailSenderIo {
  /** The channel's SMTP password (from `channelSecrets`), '' when none. */
  smtpPassword(channelId: string): Promise<string>;
  /** The customer's latest mail on the ticket (its Message-ID, subject and thread), to answer in the thread. */
  lastCustomerMail(ticketId: string): Promise<{ messageId: string; email: EmailPart } | null>;
  /** The closing signature of a sector's replies. */
  signature(sectorId: string | null): Promise<string>;
  /** The bytes of an attachment of the message. */
  readFile(ticketId: string, attachment: Attachment): Promise<Uint8Array>;
  send(server: MailServer & { password: string }, mail: OutgoingMail, files: { filename: string; contentType: string; content: Uint8Array }[]): Promise<SendResult>;
}

/** The e-mail carrier both backends plug into the outbox: an agent's reply as a mail in the customer's thread. */
export const emailCarrier =
  (io: MailSenderIo): Carrier =>
  async (job: DeliveryJob): Promise<CarryResult> => {
    const settings = job.channel.mail;
    const mailbox = job.channel.account?.id;
    if (!settings?.smtp || !mailbox)
      return { kind: 'give-up', failure: { code: 'not-configured', providerCode: null, detail: 'the channel has no SMTP server or address' } };
    const to = job.to ?? job.ticket.contact.email;
    if (!to) return { kind: 'give-up', failure: { code: 'invalid-recipient', providerCode: null, detail: 'the contact has no e-mail address' } };
    const answering = await io.lastCustomerMail(job.ticket.id);
    const mail = buildReply({
      mailbox,
      fromName: settings.fromName || job.channel.name,
      signature: await io.signature(job.ticket.sectorId),
      ticket: { id: job.ticket.id, protocol: job.ticket.protocol, contactEmail: to },
      message: { id: job.message.id, text: job.message.text, authorName: job.message.authorName, attachmentIds: job.message.attachments.map((a) => a.id) },
      answering: answering ? { messageId: answering.messageId, subject: answering.email.subject, references: answering.email.references } : null,
    });
    const files = [];
    for (const attachment of job.message.attachments)
      files.push({ filename: attachment.name, contentType: attachment.mime, content: await io.readFile(job.ticket.id, attachment) });
    return io.send({ ...settings.smtp, password: await io.smtpPassword(job.channel.id) }, mail, files);
  };
