/**
 * Composes the copilot's evaluation corpus from the hand-written parts in
 * `parts.ts` and writes `corpus.json` (committed; rerun after editing parts:
 * `npx tsx bench/copilot/generate.ts`). Seeded, so the output is stable.
 * Training conversations draw only on the parts' `train` lists and test
 * conversations only on their `test` lists.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { AGENTS, ASK_DETAILS, CLOSINGS, CUSTOMERS, GREETINGS, INTENTS, OPENERS, QUICK_REPLIES, STILL_THERE, TAG_PARTS, THANKS, type Intent } from './parts.ts';

export interface CorpusMessage {
  dir: 'in' | 'out';
  text: string;
  author: string | null;
}
export interface CorpusConversation {
  id: string;
  split: 'train' | 'test';
  intent: string;
  sector: string;
  classification: string;
  tags: string[];
  contact: string;
  protocol: string;
  /** `qr:<quickReplyId>` or `ans:<intent>`; null when the customer never answered. */
  answerKey: string | null;
  /** Index of the agent's key answer in `messages` (the point where suggestions are judged); -1 if none. */
  keyIndex: number;
  messages: CorpusMessage[];
}

let state = 0x2f6e2b1;
const random = () => {
  state |= 0;
  state = (state + 0x6d2b79f5) | 0;
  let t = Math.imul(state ^ (state >>> 15), 1 | state);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
const chance = (p: number) => random() < p;

const fill = (template: string, vars: Record<string, string>) => template.replace(/\{\{\s*([a-z]+\.[a-z]+)\s*\}\}/g, (_, k: string) => vars[k] ?? '');

/** How people type in chat: sometimes all lower case, without accents, without the final full stop. */
const casual = (text: string): string => {
  let t = text;
  if (chance(0.2)) t = t.toLowerCase();
  if (chance(0.15)) t = t.normalize('NFD').replace(/[\u0300-\u036f]/g, '');
  if (chance(0.3)) t = t.replace(/[.]$/, '');
  return t;
};

const conversation = (intent: Intent, split: 'train' | 'test', n: number, silent: boolean): CorpusConversation => {
  const contact = pick(CUSTOMERS);
  const agent = pick(AGENTS[intent.sector]);
  const protocol = `2026${String(100000 + Math.floor(random() * 899999))}`;
  const vars = { 'contact.name': contact.split(' ')[0]!, 'agent.name': agent, 'ticket.protocol': protocol, 'sector.name': intent.sector === 'suporte' ? 'Suporte' : 'Financeiro' };
  const statement = pick(intent[split]);
  const detail = pick(intent.details[split]);
  const tags: string[] = [];
  const extras: string[] = [];
  for (const [tag, parts] of Object.entries(TAG_PARTS)) {
    if (chance(tag === 'reclamacao' ? 0.2 : 0.12)) {
      tags.push(tag);
      extras.push(pick(parts[split]));
    }
  }
  const messages: CorpusMessage[] = [];
  const customer = (text: string) => messages.push({ dir: 'in', text: casual(text), author: null });
  const agentSays = (text: string) => messages.push({ dir: 'out', text: fill(text, vars), author: agent });
  const opener = pick(OPENERS);
  if (opener && chance(0.4)) {
    customer(opener);
    customer(statement);
  } else customer([opener, statement].filter(Boolean).join(' '));
  if (extras.length && chance(0.5)) customer(extras.join(' '));
  agentSays(chance(0.6) ? QUICK_REPLIES[0]!.text : pick(GREETINGS));
  if (silent) {
    agentSays(pick(ASK_DETAILS));
    if (chance(0.6)) agentSays(pick(STILL_THERE));
    return { id: `${split}-${intent.id}-${n}`, split, intent: intent.id, sector: intent.sector, classification: 'sem-resposta', tags, contact, protocol, answerKey: null, keyIndex: -1, messages };
  }
  customer([detail, extras.length && !messages.some((m) => extras.includes(m.text)) && chance(0.5) ? extras.join(' ') : ''].filter(Boolean).join(' '));
  const keyIndex = messages.length;
  if ('quickReply' in intent.answer) agentSays(QUICK_REPLIES.find((q) => q.id === (intent.answer as { quickReply: string }).quickReply)!.text);
  else agentSays(pick(intent.answer.text));
  customer(pick(THANKS));
  agentSays(pick(CLOSINGS));
  const answerKey = 'quickReply' in intent.answer ? `qr:${intent.answer.quickReply}` : `ans:${intent.id}`;
  return { id: `${split}-${intent.id}-${n}`, split, intent: intent.id, sector: intent.sector, classification: intent.classification, tags, contact, protocol, answerKey, keyIndex, messages };
};

export const generate = (): CorpusConversation[] => {
  const out: CorpusConversation[] = [];
  for (const intent of INTENTS) {
    for (let i = 0; i < 14; i++) out.push(conversation(intent, 'train', i, i % 7 === 6));
    for (let i = 0; i < 6; i++) out.push(conversation(intent, 'test', i, i === 5 && INTENTS.indexOf(intent) % 2 === 0));
  }
  return out;
};

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const conversations = generate();
  const file = fileURLToPath(new URL('./corpus.json', import.meta.url));
  writeFileSync(file, JSON.stringify({ quickReplies: QUICK_REPLIES, conversations }, null, 1) + '\n');
  const test = conversations.filter((c) => c.split === 'test').length;
  console.log(`wrote ${conversations.length} conversations (${conversations.length - test} train, ${test} test) to ${file}`);
}
