/** Channels with a provider (WhatsApp…): delivery failures, the reply window, templates, new conversation. English. */
export const channel = {
  delivery: {
    'window-closed': 'Not delivered: the 24-hour window is closed. Send a template.',
    'invalid-recipient': 'Not delivered: this number cannot receive WhatsApp messages.',
    'rate-limited': 'Sending limit reached: retrying automatically.',
    'template-rejected': 'Not delivered: the template was refused (not approved or invalid variables).',
    'media-rejected': 'Not delivered: the channel did not accept the file.',
    auth: 'Not delivered: the channel refused the credentials. An administrator must review the connection.',
    'provider-unavailable': 'The channel did not answer: retrying automatically.',
    'not-configured': 'Not delivered: this channel is not connected.',
    rejected: 'Not delivered: the channel refused the message.',
    code: 'Code {code}',
  },
  started: '{actor} started the conversation',
  unsupported: 'The customer sent a kind of message Atende cannot show ({type}).',
};
