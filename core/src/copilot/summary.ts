import type { Message, Ticket } from '../model/index.ts';
import { contentWords, sentences } from './fold.ts';

/**
 * An extractive summary: the customer's key sentences, what the team did,
 * what is still pending, and the contact's earlier tickets. Sentences are
 * quoted, never rewritten, so nothing is invented.
 */
export interface Summary {
  customer: string[];
  done: string[];
  pending: string[];
  history: { ticketId: string; protocol: string; at: number; asked: string; outcome: string }[];
}

type Line = Pick<Message, 'direction' | 'text' | 'automated' | 'authorName' | 'createdAt' | 'event'>;

export interface SummaryInput {
  messages: readonly Line[];
  /** The contact's earlier tickets, newest first, with their threads. */
  history?: readonly { ticket: Pick<Ticket, 'id' | 'protocol' | 'createdAt' | 'status' | 'classificationId'>; messages: readonly Line[] }[];
  /** Names for ids (sectors, classifications, users) in system lines and outcomes. */
  names?: (id: string) => string | undefined;
  /** How rare a term is across the workspace; rarer words make a sentence more informative. */
  idf?: (term: string) => number;
  /** The index terms of a sentence (the copilot's stemmer); plain content words when absent. */
  terms?: (text: string) => string[];
}

const SMALL_TALK = /^(oi+|ol[aá]|bom dia|boa tarde|boa noite|tudo bem|obrigad[oa]|ok|certo|blz|beleza|valeu|aguardo|t[aá]|sim|n[aã]o|isso)[\s!.,?]*$/i;
const ACTION = /\b(verifiquei|conferi|enviei|mandei|fiz|abri|registrei|encaminhei|transferi|cancelei|emiti|gerei|alterei|atualizei|corrigi|reiniciei|liberei|estornei|reembolsei|agendei|solicitei|resetei|redefini|confirmei|localizei|identifiquei|ajustei|criei|vou verificar|vou encaminhar|vou abrir|já (está|foi)|foi (feito|enviado|cancelado|estornado|alterado|corrigido))\b/i;
const PROMISE = /\b(vou|vamos|irei|retorno|retornaremos|aguarde|em até|prazo|assim que)\b/i;

const informative = (sentence: string, idf: (t: string) => number, terms: (t: string) => string[]): number => {
  const ts = [...new Set(terms(sentence))];
  if (ts.length === 0) return 0;
  return ts.reduce((s, t) => s + idf(t), 0) / Math.sqrt(ts.length);
};

const clip = (s: string, n = 220) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

const eventLine = (m: Line, names: (id: string) => string | undefined): string | null => {
  const e = m.event;
  if (!e) return null;
  const name = (id: string | null | undefined) => (id ? (names(id) ?? id) : '—');
  if (e.kind === 'transferred' && e.actorName) return `${e.actorName} transferiu de ${name(e.fromSectorId)} para ${name(e.toAssigneeId ?? e.toSectorId)}`;
  if (e.kind === 'accepted' && e.actorName) return `${e.actorName} assumiu o atendimento`;
  if (e.kind === 'returned') return 'Devolvido à fila';
  return null;
};

export const summarize = (input: SummaryInput): Summary => {
  const idf = input.idf ?? (() => 1);
  const terms = input.terms ?? contentWords;
  const names = input.names ?? (() => undefined);
  const lines = [...input.messages];
  // Customer: the first substantive sentence (what they came for) and the most informative others.
  const said = lines
    .map((m, order) => ({ m, order }))
    .filter(({ m }) => m.direction === 'in')
    .flatMap(({ m, order }) => sentences(m.text).map((s, i) => ({ s, order: order + i / 100 })))
    .filter(({ s }) => !SMALL_TALK.test(s) && terms(s).length >= 2);
  const first = said[0];
  const rest = said
    .slice(1)
    .map((x) => ({ ...x, score: informative(x.s, idf, terms) + (/\?/.test(x.s) ? 0.5 : 0) + (/\d{3,}/.test(x.s) ? 0.5 : 0) }))
    .sort((a, b) => b.score - a.score)
    .slice(0, 2);
  const customer = [...(first ? [first] : []), ...rest].sort((a, b) => a.order - b.order).map((x) => clip(x.s));

  // Done: agents' sentences that report an action, and what happened to the ticket.
  const done: string[] = [];
  for (const m of lines) {
    const ev = eventLine(m, names);
    if (ev) done.push(ev);
    else if (m.direction === 'out' && !m.automated)
      for (const s of sentences(m.text)) if (ACTION.test(s)) done.push(`${m.authorName ?? 'Atendente'}: ${clip(s)}`);
  }

  // Pending: what the customer said after the last answer, or a promise not yet kept.
  const lastOut = lines.map((m) => m.direction === 'out' && !m.automated).lastIndexOf(true);
  const after = lines.slice(lastOut + 1).filter((m) => m.direction === 'in' && m.text.trim() && !SMALL_TALK.test(m.text.trim()));
  const pending: string[] = after.map((m) => `Cliente: ${clip(m.text.trim())}`).slice(-2);
  const promise = lastOut >= 0 ? sentences(lines[lastOut]!.text).find((s) => PROMISE.test(s)) : undefined;
  if (pending.length === 0 && promise) pending.push(`${lines[lastOut]!.authorName ?? 'Atendente'} prometeu: ${clip(promise)}`);

  const history = (input.history ?? []).map(({ ticket, messages }) => {
    const asked = messages.find((m) => m.direction === 'in' && terms(m.text).length >= 2)?.text ?? messages.find((m) => m.direction === 'in')?.text ?? '';
    const classification = ticket.classificationId ? (names(ticket.classificationId) ?? ticket.classificationId) : null;
    const outcome = ticket.status === 'closed' ? `encerrado${classification ? ` (${classification})` : ''}` : 'em andamento';
    return { ticketId: ticket.id, protocol: ticket.protocol, at: ticket.createdAt, asked: clip(asked.trim(), 160), outcome };
  });
  return { customer, done: done.slice(-4), pending, history };
};

const date = (ms: number) => {
  const d = new Date(ms);
  return `${String(d.getUTCDate()).padStart(2, '0')}/${String(d.getUTCMonth() + 1).padStart(2, '0')}/${d.getUTCFullYear()}`;
};

/** A line ends with one full stop: an agent's sentence may already end with its own ("agora.." otherwise). */
const stop = (line: string) => (/[.!?…]$/.test(line) ? line : `${line}.`);

/** The summary as plain Portuguese text (stored in the thread on a transfer). */
export const summaryText = (s: Summary): string => {
  const parts: string[] = [];
  if (s.customer.length) parts.push(`O cliente disse: ${s.customer.map((x) => `“${x}”`).join(' ')}`);
  if (s.done.length) parts.push(stop(`Feito: ${s.done.join('; ')}`));
  if (s.pending.length) parts.push(`Pendente: ${s.pending.join('; ')}`);
  if (s.history.length) parts.push(`Atendimentos anteriores: ${s.history.map((h) => `${h.protocol} em ${date(h.at)} — “${h.asked}” (${h.outcome})`).join('; ')}.`);
  return parts.join('\n');
};

export const isEmptySummary = (s: Summary): boolean => s.customer.length + s.done.length + s.pending.length + s.history.length === 0;

/** How many lines before a transfer its summary reads (the newest of the thread, as the transfer read them). */
const TRANSFER_SUMMARY_LINES = 60;

/**
 * The summary the receiving agent reads first after a transfer (issue 12), made from the thread the console already
 * holds: the lines before the last transfer, summarised offline. Nothing is stored or read for it — the transfer
 * used to read the thread (a billed read per line on Firestore) and write it as a line. A summary line stored right
 * after that transfer (tickets transferred before) is shown as written. Null without a transfer, or when the
 * customer said nothing to summarise. `key`: what a dismissal remembers.
 */
export const transferSummary = (thread: readonly (Line & { id: string })[]): { key: string; text: string } | null => {
  const at = thread.map((m) => m.event?.kind === 'transferred').lastIndexOf(true);
  if (at < 0) return null;
  const stored = thread.slice(at + 1).find((m) => m.event?.kind === 'summary');
  if (stored) return { key: stored.id, text: stored.text };
  const summary = summarize({ messages: thread.slice(Math.max(0, at - TRANSFER_SUMMARY_LINES), at) });
  return summary.customer.length > 0 ? { key: thread[at]!.id, text: summaryText(summary) } : null;
};
