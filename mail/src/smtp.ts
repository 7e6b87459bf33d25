import nodemailer from 'nodemailer';
import type { SendResult } from '@atende/core';
import type { OutgoingMail } from '@atende/core/email';

export interface SmtpSettings {
  host: string;
  port: number;
  secure: boolean;
  user: string;
  password: string;
}

export interface MailFile {
  filename: string;
  contentType: string;
  content: Buffer;
}

/**
 * Sends one mail and classifies what the server answered like every channel
 * does: 4xx and network failures are retried, 5xx recipient errors give up
 * with the reason, an authentication failure marks the channel for an admin.
 */
export const sendMail = async (settings: SmtpSettings, mail: OutgoingMail, attachments: MailFile[]): Promise<SendResult> => {
  const transport = nodemailer.createTransport({
    host: settings.host,
    port: settings.port,
    secure: settings.secure,
    auth: settings.user && settings.password ? { user: settings.user, pass: settings.password } : undefined,
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
    return { kind: 'sent', channelMessageId: mail.messageId };
  } catch (error) {
    return classifySmtpError(error as Error & { code?: string; responseCode?: number });
  } finally {
    transport.close();
  }
};

export const classifySmtpError = (error: Error & { code?: string; responseCode?: number }): SendResult => {
  const detail = (error.message || String(error)).slice(0, 300);
  const providerCode = error.responseCode ?? null;
  if (error.code === 'EAUTH' || providerCode === 535 || providerCode === 534) return { kind: 'attention', failure: { code: 'auth', providerCode, detail } };
  if (providerCode !== null && providerCode >= 500) {
    const recipient = error.code === 'EENVELOPE' || ([550, 551, 553].includes(providerCode) && /recipient|mailbox|user|address|rcpt/i.test(detail));
    return { kind: 'give-up', failure: { code: recipient ? 'invalid-recipient' : 'rejected', providerCode, detail } };
  }
  return { kind: 'retry', failure: { code: 'provider-unavailable', providerCode, detail } };
};
