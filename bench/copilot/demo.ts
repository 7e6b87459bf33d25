/**
 * The demo's case, for `npm run eval:copilot`: the demo workspace seeded with its month of closed tickets (core
 * `seedDemo`, as `npm start` does), each learnt through `learnFromClosedTicket` as the server does when a ticket
 * closes; then what a first-time user asks. A question a quick reply answers must get that reply first; one only the
 * history answers must get the history's answer first.
 */
import { MemoryStore, createIdGenerator, seedDemo, type Message, type Ticket } from '@atende/core';
import { CopilotIndex, learnFromClosedTicket, syncIndex, type ReplySuggestion } from '@atende/core/copilot';

interface Case {
  sectorId: string;
  question: string;
  /** What the first suggestion must be. */
  want: { quickReply: string } | { answerIncludes: string };
}

const CASES: Case[] = [
  { sectorId: 'financeiro', question: 'Como emito a segunda via do boleto?', want: { quickReply: 'boleto' } },
  { sectorId: 'financeiro', question: 'Qual o número do meu protocolo?', want: { quickReply: 'protocolo' } },
  { sectorId: 'suporte', question: 'Qual o prazo de entrega para Curitiba?', want: { answerIncludes: 'Curitiba' } },
  { sectorId: 'financeiro', question: 'Quero negociar uma fatura em atraso.', want: { answerIncludes: 'parcelar' } },
];

const fits = (r: ReplySuggestion | undefined, want: Case['want']) =>
  r !== undefined && ('quickReply' in want ? r.source.kind === 'quickReply' && r.source.shortcut === want.quickReply : r.source.kind === 'answer' && r.text.includes(want.answerIncludes));

export interface DemoCheck {
  examples: number;
  /** Learning the month's closed tickets, one `learnFromClosedTicket` each (in memory). */
  learnMs: number;
  results: { question: string; ok: boolean; first: string }[];
}

export const demoCheck = async (): Promise<DemoCheck> => {
  const store = new MemoryStore();
  const now = Date.UTC(2026, 11, 4, 15);
  const clock = () => now;
  await seedDemo({ store, clock, newId: createIdGenerator(clock) }, { history: true });
  const closed = store.all('tickets').filter((t) => t.status === 'closed');
  const t0 = performance.now();
  for (const t of closed) await learnFromClosedTicket(store, t.id);
  const learnMs = performance.now() - t0;
  const index = new CopilotIndex();
  const examples = await syncIndex(store, index);
  index.setQuickReplies(store.all('quickReplies'));
  const vars = { contact: { name: 'Zé' }, agent: { name: 'Ana Souza' }, ticket: { protocol: '20261204-0001' }, sector: { name: '' } };
  const line = (k: number, direction: 'in' | 'out', text: string): Message =>
    ({ id: `m${k}`, ticketId: 'probe', contactId: 'c', direction, authorId: direction === 'out' ? 'ana' : null, authorName: direction === 'out' ? 'Ana Souza' : 'Zé', text, attachments: [], status: 'delivered', createdAt: now + k, channelMessageId: null, clientId: null, event: null, automated: false }) as Message;
  const results = CASES.flatMap((c) => {
    const ticket: Ticket = { ...closed[0]!, id: 'probe', status: 'open', sectorId: c.sectorId, classificationId: null, tagIds: [], contact: { name: 'Zé Silva', phone: null, email: null } };
    // As the customer's first words, and once the conversation is under way.
    return [[line(0, 'in', c.question)], [line(0, 'in', 'Oi'), line(1, 'out', 'Olá, Zé! Aqui é Ana Souza. Como posso ajudar?'), line(2, 'in', c.question)]].map((messages) => {
      const first = index.suggest({ ticket, messages, vars }).replies[0];
      return { question: `${c.question}${messages.length > 1 ? ' (em andamento)' : ''}`, ok: fits(first, c.want), first: first ? `${first.source.kind === 'quickReply' ? `/${first.source.shortcut}` : 'histórico'}: ${first.text}` : '—' };
    });
  });
  return { examples, learnMs, results };
};
