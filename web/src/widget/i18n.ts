/**
 * The widget's own tiny dictionary: vue-i18n alone would take most of the
 * 30 KB budget. Portuguese first; English for browsers that ask for it.
 */
const ptBR = {
  loading: 'Carregando…',
  fallbackTitle: 'Atendimento',
  unknownChannel: 'Este chat não está disponível no momento.',
  unknownChannelHint: 'Verifique o endereço ou fale com a empresa por outro canal.',
  offline: 'Não foi possível conectar. Verifique sua internet e tente de novo.',
  retry: 'Tentar de novo',
  welcomeTitle: 'Olá!',
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
  servedBy: '{name} está atendendo você',
  awaitingAgentHint: 'Você será atendido em breve. Pode deixar sua mensagem.',
  ticketClosed: 'Este atendimento foi encerrado. Escreva para iniciar um novo.',
  surveyTitle: 'Como foi o atendimento?',
  surveyScore: 'Nota {n} de 5',
  surveyLow: 'Muito ruim',
  surveyHigh: 'Excelente',
  surveyComment: 'Comentário (opcional), depois escolha a nota',
  reconnecting: 'Reconectando…',
  placeholder: 'Escreva sua mensagem…',
  send: 'Enviar',
  attach: 'Anexar arquivo',
  close: 'Fechar chat',
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
  errServer: '{text}',
  errNetwork: 'Sem conexão. Verifique sua internet e tente novamente.',
  errFileFirst: 'Escreva uma mensagem antes de enviar um arquivo.',
} as const;

export type MessageKey = keyof typeof ptBR;


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

let active: Record<MessageKey, string> = ptBR;

/** Call (and await) before mounting: switches to English when the browser asks for it. */
export const loadLocale = async (lang: Locale = locale): Promise<void> => {
  active = lang === 'en' ? (await import('./i18n.en.ts')).default : ptBR;
};

export const t = (key: MessageKey, vars: Record<string, string | number> = {}): string =>
  active[key].replace(/\{(\w+)\}/g, (_, name: string) => String(vars[name] ?? ''));

export const formatBytes = (bytes: number): string => {
  const fmt = (n: number) => n.toLocaleString(locale, { maximumFractionDigits: n < 10 ? 1 : 0 });
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${fmt(bytes / 1024)} KB`;
  return `${fmt(bytes / (1024 * 1024))} MB`;
};

/** Today's messages show the time; older ones the day too, for conversations resumed later. */
export const formatTime = (millis: number, now: number = Date.now()): string => {
  const date = new Date(millis);
  const time = date.toLocaleTimeString(locale, { hour: '2-digit', minute: '2-digit' });
  return date.toDateString() === new Date(now).toDateString() ? time : `${date.toLocaleDateString(locale, { day: '2-digit', month: '2-digit' })} ${time}`;
};
