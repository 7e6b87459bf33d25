import type { Message, QuickReply, Ticket } from '../model/index.ts';
import { words } from './text.ts';

/** One answer an agent gave, and the customer's words it answered. */
export interface AnswerPair {
  question: string;
  /** With the contact's and agent's names and the protocol put back as variables. */
  answer: string;
  agentName: string;
  at: number;
  /** The quick reply this answer was (near enough word for word), if any. */
  quickReplyId: string | null;
  /** True for the first thing the agent said in the ticket (greetings). */
  opening: boolean;
}

/** What the copilot learns from a closed ticket (stored as `copilotExamples/{ticketId}`). */
export interface LearnedExample {
  id: string;
  sectorId: string | null;
  classificationId: string | null;
  tagIds: string[];
  customerText: string;
  /** The customer never wrote again once an agent had answered ("Cliente não respondeu"). */
  customerSilent: boolean;
  pairs: AnswerPair[];
  closedAt: number;
}

const MAX_PAIRS = 12;
const MAX_TEXT = 4000;

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Puts `{{contact.name}}`, `{{agent.name}}` and `{{ticket.protocol}}` back where a reply spelt them out. */
export const templatize = (text: string, names: { contact: string; agent: string; protocol: string }): string => {
  let out = text;
  const swap = (value: string, variable: string) => {
    const v = value.trim();
    if (v.length < 2) return;
    out = out.replace(new RegExp(`(?<![\\p{L}\\p{N}])${escape(v)}(?![\\p{L}\\p{N}])`, 'gu'), variable);
  };
  swap(names.protocol, '{{ticket.protocol}}');
  swap(names.contact, '{{contact.name}}');
  swap(names.contact.split(/\s+/)[0] ?? '', '{{contact.name}}');
  swap(names.agent, '{{agent.name}}');
  swap(names.agent.split(/\s+/)[0] ?? '', '{{agent.name}}');
  return out;
};

/** Words of a reply with variables reduced to one token each: how replies are compared. */
export const replyKey = (template: string): string => words(template.replace(/\{\{\s*([a-z]+)\.([a-z]+)\s*\}\}/gi, ' var$1$2 ')).join(' ');

const jaccard = (a: string, b: string): number => {
  const x = new Set(a.split(' '));
  const y = new Set(b.split(' '));
  let inter = 0;
  for (const w of x) if (y.has(w)) inter++;
  return inter / (x.size + y.size - inter || 1);
};

/** The quick reply an answer was sent from, when the words match closely. */
export const matchQuickReply = (template: string, quickReplies: readonly QuickReply[]): QuickReply | null => {
  const key = replyKey(template);
  let best: QuickReply | null = null;
  let bestScore = 0.75;
  for (const q of quickReplies) {
    const s = jaccard(key, replyKey(q.text));
    if (s >= bestScore) [best, bestScore] = [q, s];
  }
  return best;
};

/** What a closed ticket teaches: its labels, the customer's words, and each agent answer with the words it answered. */
export const exampleOf = (ticket: Ticket, messages: readonly Message[], quickReplies: readonly QuickReply[]): LearnedExample => {
  const pairs: AnswerPair[] = [];
  let pending: string[] = [];
  let previous: string[] = [];
  const customer: string[] = [];
  let agentSpoke = false;
  let repliedToAgent = false;
  let opening = true;
  for (const m of [...messages].sort((a, b) => a.createdAt - b.createdAt || a.id.localeCompare(b.id))) {
    if (m.direction === 'in' && m.text.trim()) {
      pending.push(m.text.trim());
      customer.push(m.text.trim());
      if (agentSpoke) repliedToAgent = true;
    } else if (m.direction === 'out' && !m.automated && m.authorName && m.text.trim()) {
      const answer = templatize(m.text.trim(), { contact: ticket.contact.name, agent: m.authorName, protocol: ticket.protocol });
      // The words answered: what the customer said since the last answer, with the block before it for context.
      const question = (pending.length > 0 ? [...previous, ...pending] : customer.slice(-2)).join('\n');
      if (question && pairs.length < MAX_PAIRS)
        pairs.push({ question: question.slice(0, MAX_TEXT), answer, agentName: m.authorName, at: m.createdAt, quickReplyId: matchQuickReply(answer, quickReplies)?.id ?? null, opening });
      opening = false;
      if (pending.length > 0) previous = pending;
      pending = [];
      agentSpoke = true;
    }
  }
  return {
    id: ticket.id,
    sectorId: ticket.sectorId,
    classificationId: ticket.classificationId,
    tagIds: [...ticket.tagIds],
    customerText: customer.join('\n').slice(0, MAX_TEXT),
    customerSilent: agentSpoke && !repliedToAgent,
    pairs,
    closedAt: ticket.closedAt ?? ticket.updatedAt,
  };
};
