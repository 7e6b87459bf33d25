import type { connection as ptConnection, mail as ptMail } from './mail.pt-BR.ts';

/** Instagram and e-mail (issue 16). en. */
export const mail: typeof ptMail = {
  subject: 'Subject',
  showQuoted: 'Show quoted text',
  hideQuoted: 'Hide quoted text',
  showHtml: 'View formatted e-mail',
  hideHtml: 'Hide formatted e-mail',
  htmlTitle: 'Formatted e-mail (no scripts or remote images)',
  deleted: 'Message deleted',
  deletedHint: 'The customer deleted this message on the channel.',
};

export const connection: typeof ptConnection = {
  title: 'Connection',
  igAccount: 'Instagram account id',
  igDisplay: 'Display name',
  accessToken: 'Access token',
  appSecret: 'App secret',
  verifyToken: 'Verify token',
  humanAgentTag: "Reply up to 7 days later (Meta's human agent tag)",
  igHint: "Meta app webhook: {origin}/webhooks/instagram, with this verify token. Only the customer can start a conversation.",
  address: 'Mailbox address',
  fromName: 'Sender name',
  useImap: 'Read the mailbox by IMAP',
  imap: 'Receiving (IMAP)',
  smtp: 'Sending (SMTP)',
  host: 'Server',
  port: 'Port',
  user: 'User',
  password: 'Password',
  inboundToken: 'Inbound token',
  inboundHint: 'Without IMAP, forward each mail (message/rfc822) to {url} with Authorization: Bearer and the inbound token.',
  secretSet: 'set — blank keeps it',
  secretUnset: 'not set',
  save: 'Save connection',
  saved: 'Connection saved',
  accountRequired: 'Give the Instagram account id.',
  addressRequired: 'Give the mailbox address.',
};
