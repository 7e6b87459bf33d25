import type { ChatMessage } from './provider.ts';

/** What every prompt says first: the provider drafts for a human, from the given material only. */
const RULES = [
  'Você é o copiloto de um atendente humano de atendimento ao cliente. Você nunca fala com o cliente: o atendente lê, edita e decide.',
  'Use somente a conversa, o histórico e as respostas rápidas fornecidos abaixo.',
  'Nunca invente políticas, preços, prazos, valores, links, números de protocolo ou promessas que não estejam nesse material; se faltar informação, diga que vai verificar.',
].join('\n');

export interface PromptLine {
  who: 'Cliente' | 'Atendente' | 'Sistema';
  text: string;
}

export interface PromptContext {
  lines: PromptLine[];
  quickReplies: { shortcut: string; text: string }[];
  /** Earlier tickets of the contact, only when the admin allows sending them. */
  history: string[];
  agentName: string;
  contactName: string;
  /** The ticket's own protocol and sector: the only ones a reply may quote. */
  protocol?: string;
  sectorName?: string;
}

const transcript = (lines: PromptLine[]) => lines.map((l) => `${l.who}: ${l.text}`).join('\n');

const material = (c: PromptContext): string =>
  [
    `Cliente: ${c.contactName}. Atendente: ${c.agentName}.${c.sectorName ? ` Setor: ${c.sectorName}.` : ''}${c.protocol ? ` Protocolo deste atendimento: ${c.protocol}.` : ''}`,
    c.quickReplies.length ? `Respostas rápidas da equipe:\n${c.quickReplies.map((q) => `/${q.shortcut}: ${q.text}`).join('\n')}` : '',
    c.history.length ? `Atendimentos anteriores deste cliente:\n${c.history.join('\n')}` : '',
    `Conversa atual:\n${transcript(c.lines)}`,
  ]
    .filter(Boolean)
    .join('\n\n');

export const suggestPrompt = (c: PromptContext): ChatMessage[] => [
  { role: 'system', content: `${RULES}\nEscreva a próxima resposta do atendente ao cliente, no idioma em que o cliente escreve, curta e cordial. Responda só com o texto da mensagem.` },
  { role: 'user', content: material(c) },
];

export const summarizePrompt = (c: PromptContext): ChatMessage[] => [
  {
    role: 'system',
    content: `${RULES}\nResuma em português, em até 6 linhas curtas, para o atendente que vai assumir: o que o cliente pediu, o que já foi feito, o que está pendente e, se houver, o que aconteceu nos atendimentos anteriores.`,
  },
  { role: 'user', content: material(c) },
];

export const REWRITE_MODES = {
  corrigir: 'Corrija ortografia, gramática e pontuação sem mudar o sentido nem o tom.',
  formal: 'Reescreva num tom mais formal e profissional, sem mudar o sentido.',
  cordial: 'Reescreva num tom mais cordial e acolhedor, sem mudar o sentido.',
  curto: 'Reescreva de forma mais curta e direta, mantendo todas as informações.',
} as const;
export type RewriteMode = keyof typeof REWRITE_MODES;

export const rewritePrompt = (draft: string, mode: RewriteMode, c: PromptContext): ChatMessage[] => [
  {
    role: 'system',
    content: `${RULES}\n${REWRITE_MODES[mode]} Mantenha o idioma do rascunho. Não acrescente fatos. Responda só com o texto reescrito.`,
  },
  { role: 'user', content: `${material(c)}\n\nRascunho do atendente:\n${draft}` },
];

/** `to`: a language name or code; `customer` means "the language the customer writes in". */
export const translatePrompt = (text: string, to: string, c: PromptContext): ChatMessage[] => [
  {
    role: 'system',
    content:
      to === 'customer'
        ? `${RULES}\nTraduza o texto para o idioma em que o cliente escreve na conversa. Responda só com a tradução.`
        : `${RULES}\nTraduza o texto para ${to === 'pt-BR' ? 'português do Brasil' : to}. Responda só com a tradução.`,
  },
  { role: 'user', content: to === 'customer' ? `Conversa:\n${transcript(c.lines.slice(-6))}\n\nTexto a traduzir:\n${text}` : `Texto a traduzir:\n${text}` },
];
