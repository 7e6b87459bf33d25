import nodemailer from 'nodemailer';
import type { OutgoingMail } from '@atende/core/email';

export interface SmtpSettings {
  host: string;
  port: number;
  secure: boolean;
  user: string;
  password: string;
}

export type SmtpOutcome =
  | { kind: 'sent'; messageId: string }
  | { kind: 'retry'; detail: string }
  | { kind: 'give-up'; detail: string; code: 'invalid-recipient' | 'rejected' }
  | { kind: 'attention'; detail: string };

/**
 * Sends one mail and classifies what the server answered: 4xx and network
 * failures are retried, 5xx recipient errors give up with the reason, an
 * authentication failure marks the channel for an admin.
 */
export const sendMail = async (
  settings: SmtpSettings,
  mail: OutgoingMail,
  attachments: { filename: string; contentType: string; content: Buffer }[],
): Promise<SmtpOutcome> => {
  const transport = nodemailer.createTransport({
    host: settings.host,
    port: settings.port,
    secure: settings.secure,
    auth: settings.user ? { user: settings.user, pass: settings.password } : undefined,
    // Port 587 upgrades with STARTTLS when the server offers it; plain loopback relays do not.
    tls: { rejectUnauthorized: settings.secure },
    connectionTimeout: 15_000,
    socketTimeout: 30_000,
  });
  try {
    await transport.sendMail({
      from: mail.from,
      replyTo: mail.replyTo,
      to: mail.to,
      subject: mail.subject,
      messageId: mail.messageId,
      inReplyTo: mail.inReplyTo ?? undefined,
      references: mail.references.length ? mail.references : undefined,
      text: mail.text,
      headers: mail.headers,
      attachments,
    });
    return { kind: 'sent', messageId: mail.messageId };
  } catch (error) {
    return classifySmtpError(error as Error & { code?: string; responseCode?: number });
  } finally {
    transport.close();
  }
};

export const classifySmtpError = (error: Error & { code?: string; responseCode?: number }): SmtpOutcome => {
  const detail = (error.message || String(error)).slice(0, 300);
  if (error.code === 'EAUTH' || error.responseCode === 535 || error.responseCode === 534) return { kind: 'attention', detail };
  if (error.responseCode && error.responseCode >= 500) {
    const recipient = [550, 551, 553, 554].includes(error.responseCode) && /recipient|mailbox|user|address|rcpt/i.test(detail);
    return { kind: 'give-up', detail, code: recipient || error.code === 'EENVELOPE' ? 'invalid-recipient' : 'rejected' };
  }
  return { kind: 'retry', detail };
};
