/**
 * The widget's own tiny dictionary: vue-i18n alone would take most of the
 * 30 KB budget. Portuguese first; English for browsers that ask for it.
 */
const ptBR = {
  loading: 'Carregando…',
  unknownChannel: 'Este chat não está disponível no momento.',
  unknownChannelHint: 'Verifique o endereço ou fale com a empresa por outro canal.',
  offline: 'Não foi possível conectar. Verifique sua internet e tente de novo.',
  retry: 'Tentar de novo',
  welcomeTitle: 'Olá! 👋',
  welcomeText: 'Conte quem você é e fale com a nossa equipe.',
  name: 'Nome',
  namePlaceholder: 'Como podemos te chamar?',
  email: 'E-mail',
  phone: 'Telefone',
  optional: 'opcional',
  nameRequired: 'Informe seu nome.',
  emailInvalid: 'Confira o e-mail.',
  start: 'Iniciar conversa',
  starting: 'Iniciando…',
  protocol: 'Protocolo {protocol}',
  protocolClosed: 'Protocolo {protocol} · encerrado',
  newConversation: 'Envie uma mensagem para começar.',
  awaitingAgent: 'Aguardando um atendente…',
  awaitingAgentHint: 'Você será atendido em breve. Pode deixar sua mensagem.',
  ticketClosed: 'Este atendimento foi encerrado. Escreva para iniciar um novo.',
  reconnecting: 'Reconectando…',
  placeholder: 'Escreva sua mensagem…',
  send: 'Enviar',
  attach: 'Anexar arquivo',
  close: 'Fechar chat',
  you: 'Você',
  bot: 'Assistente virtual',
  agent: 'Atendente',
  sending: 'Enviando…',
  failed: 'Não enviada',
  resend: 'Reenviar',
  openImage: 'Abrir imagem {name} em nova aba',
  download: 'Baixar {name}',
  errTooLong: 'Sua mensagem é longa demais (máximo de {max} caracteres).',
  errTooLarge: 'O arquivo é grande demais.',
  errTooLargeMax: 'O arquivo é grande demais (máximo de {max}).',
  errForbiddenType: 'Este tipo de arquivo não é aceito.',
  errEmptyFile: 'O arquivo está vazio.',
  errRateLimited: 'Muitas mensagens em pouco tempo. Aguarde um instante.',
  errSession: 'Sua sessão expirou. Recarregue a página para continuar.',
  errGeneric: 'Não foi possível enviar. Tente novamente.',
  errNetwork: 'Sem conexão. Verifique sua internet e tente novamente.',
  poweredBy: 'Atendimento por Atende',
} as const;

export type MessageKey = keyof typeof ptBR;

const en: Record<MessageKey, string> = {
  loading: 'Loading…',
  unknownChannel: 'This chat is not available right now.',
  unknownChannelHint: 'Check the address or reach the company another way.',
  offline: 'Could not connect. Check your connection and try again.',
  retry: 'Try again',
  welcomeTitle: 'Hi there! 👋',
  welcomeText: 'Tell us who you are and talk to our team.',
  name: 'Name',
  namePlaceholder: 'What should we call you?',
  email: 'E-mail',
  phone: 'Phone',
  optional: 'optional',
  nameRequired: 'Please enter your name.',
  emailInvalid: 'Please check the e-mail.',
  start: 'Start conversation',
  starting: 'Starting…',
  protocol: 'Protocol {protocol}',
  protocolClosed: 'Protocol {protocol} · closed',
  newConversation: 'Send a message to get started.',
  awaitingAgent: 'Waiting for an agent…',
  awaitingAgentHint: 'Someone will be with you shortly. Feel free to leave a message.',
  ticketClosed: 'This conversation has ended. Write to start a new one.',
  reconnecting: 'Reconnecting…',
  placeholder: 'Type your message…',
  send: 'Send',
  attach: 'Attach file',
  close: 'Close chat',
  you: 'You',
  bot: 'Virtual assistant',
  agent: 'Agent',
  sending: 'Sending…',
  failed: 'Not sent',
  resend: 'Resend',
  openImage: 'Open image {name} in a new tab',
  download: 'Download {name}',
  errTooLong: 'Your message is too long (at most {max} characters).',
  errTooLarge: 'The file is too large.',
  errTooLargeMax: 'The file is too large (at most {max}).',
  errForbiddenType: 'This type of file is not accepted.',
  errEmptyFile: 'The file is empty.',
  errRateLimited: 'Too many messages at once. Please wait a moment.',
  errSession: 'Your session has expired. Reload the page to continue.',
  errGeneric: 'Could not send. Please try again.',
  errNetwork: 'No connection. Check your internet and try again.',
  poweredBy: 'Powered by Atende',
};

export type Locale = 'pt-BR' | 'en';

export const pickLocale = (languages: readonly string[]): Locale => {
  for (const lang of languages) {
    const l = lang.toLowerCase();
    if (l.startsWith('pt')) return 'pt-BR';
    if (l.startsWith('en')) return 'en';
  }
  return 'pt-BR';
};

const browserLanguages = (): readonly string[] =>
  typeof navigator === 'undefined' ? [] : navigator.languages?.length ? navigator.languages : [navigator.language];

export const locale: Locale = pickLocale(browserLanguages());

const dictionaries: Record<Locale, Record<MessageKey, string>> = { 'pt-BR': ptBR, en };

export const t = (key: MessageKey, vars: Record<string, string | number> = {}, lang: Locale = locale): string =>
  dictionaries[lang][key].replace(/\{(\w+)\}/g, (_, name: string) => String(vars[name] ?? ''));

export const formatBytes = (bytes: number): string => {
  const fmt = (n: number) => n.toLocaleString(locale, { maximumFractionDigits: n < 10 ? 1 : 0 });
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${fmt(bytes / 1024)} KB`;
  return `${fmt(bytes / (1024 * 1024))} MB`;
};

export const formatTime = (millis: number): string =>
  new Date(millis).toLocaleTimeString(locale, { hour: '2-digit', minute: '2-digit' });
