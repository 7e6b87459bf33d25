import type { Attachment } from '../../model/index.ts';
import { decideInbound, type ReceivedMail } from './inbound.ts';

/**
 * One received mail, from bytes to `inbound.receive`, the same on both
 * backends: decide (sender, text, history, thread), store the files through
 * the attachment policy, run the command. What the backend supplies is I/O.
 */
export interface MailReceiverIo {
  /** Stores one file under the attachment policy; throws (a CommandError) when the policy refuses it. */
  storeFile(bytes: Uint8Array, name: string, mime: string): Promise<Attachment>;
  /** Runs `inbound.receive` as the system. */
  receive(input: EmailInboundInput): Promise<unknown>;
  log: { info(obj: unknown, msg: string): void; warn(obj: unknown, msg: string): void };
}

export interface EmailInboundInput {
  channelId: string;
  externalId: string;
  contact: { name?: string; email?: string };
  channelMessageId: string;
  text: string;
  attachments: Attachment[];
  email: { subject: string; quoted: string; html: string | null; references: string[] };
  threadTicketId?: string;
}

export const MAX_FILES_PER_MAIL = 10;

/** The note a mail's refused files leave in its text, so the agent knows something was not kept. */
const refusedNote = (names: string[]) => `[${names.length === 1 ? 'Anexo não aceito' : 'Anexos não aceitos'} pela política de arquivos: ${names.join(', ')}]`;

export const receiveMail = async (
  channel: { id: string; mailbox: string },
  mail: ReceivedMail,
  files: Uint8Array[],
  io: MailReceiverIo,
): Promise<'received' | 'ignored'> => {
  const decision = decideInbound(mail, channel.mailbox);
  if (decision.ignore) {
    io.log.info({ channelId: channel.id, messageId: mail.messageId, reason: decision.ignore }, 'mail ignored');
    return 'ignored';
  }
  const attachments: Attachment[] = [];
  const refused: string[] = [];
  for (const index of decision.keepAttachments.slice(0, MAX_FILES_PER_MAIL)) {
    const meta = mail.attachments[index];
    const bytes = files[index];
    if (!meta || !bytes) continue;
    const name = meta.name ?? `anexo-${index + 1}`;
    try {
      attachments.push(await io.storeFile(bytes, name, meta.mime));
    } catch (error) {
      refused.push(name);
      io.log.warn({ channelId: channel.id, name, err: error }, 'mail attachment refused');
    }
  }
  if (decision.keepAttachments.length > MAX_FILES_PER_MAIL) refused.push(`+${decision.keepAttachments.length - MAX_FILES_PER_MAIL}`);
  const text = [decision.text, refused.length ? refusedNote(refused) : ''].filter(Boolean).join('\n\n');
  await io.receive({
    channelId: channel.id,
    externalId: decision.externalId,
    contact: { ...(decision.name ? { name: decision.name } : {}), email: decision.externalId },
    channelMessageId: decision.channelMessageId,
    text: text || (attachments.length ? '' : decision.subject),
    attachments,
    email: { subject: decision.subject, quoted: decision.quoted, html: decision.html, references: mail.references.slice(-20) },
    ...(decision.threadTicketId ? { threadTicketId: decision.threadTicketId } : {}),
  });
  return 'received';
};
