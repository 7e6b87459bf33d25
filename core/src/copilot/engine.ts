import type { QuickReply } from '../model/index.ts';
import { expandTemplate } from '../quickReplies.ts';
import { Bm25Index } from './bm25.ts';
import { NaiveBayes } from './classifier.ts';
import { replyKey, type LearnedExample } from './examples.ts';
import { nextSentiment } from './sentiment.ts';
import { terms } from './text.ts';
import { isOpening, keyOf, queryOf, SILENT, STILL_ASKING, termsOf, THANKS } from './reading.ts';
import type { ActionSuggestion, ReplySource, ReplySuggestion, SuggestInput, Suggestions } from './suggestions.ts';

export type { ActionSuggestion, ReplySource, ReplySuggestion, SuggestInput, Suggestions } from './suggestions.ts';

interface Group {
  key: string;
  template: string;
  source: ReplySource;
  sectorIds: readonly string[] | null;
  uses: number;
  openings: number;
  /** Reads like a greeting ("Olá… como posso ajudar?"). */
  greeting: boolean;
  /** Uses by the sector/classification of the ticket: an answer given whatever the subject is generic. */
  labels: Map<string, number>;
}

/** 0 for an answer always given on one subject, 1 for one given evenly on every subject seen. */
const genericness = (g: Group): number => {
  if (g.uses < 4 || g.labels.size < 2) return 0;
  let h = 0;
  let n = 0;
  for (const c of g.labels.values()) n += c;
  for (const c of g.labels.values()) if (c > 0) h -= (c / n) * Math.log(c / n);
  return Math.min(1, h / Math.log(Math.min(n, 8)));
};

interface Learnt {
  example: LearnedExample;
  docs: { doc: number; terms: string[] }[];
  features: string[];
  groups: string[];
}

/**
 * The offline copilot: a BM25 index over quick replies and past answers,
 * naive-Bayes classifiers for sector, classification and tags, all learnt
 * incrementally from closed tickets. Pure and deterministic.
 */
export class CopilotIndex {
  private readonly bm25 = new Bm25Index<string>();
  private readonly groups = new Map<string, Group>();
  private readonly learnt = new Map<string, Learnt>();
  private readonly sectors = new NaiveBayes();
  private readonly classifications = new NaiveBayes();
  private readonly tags = new Map<string, NaiveBayes>();
  private readonly tagPositives = new Map<string, number>();
  private quickReplyDocs: { doc: number; terms: string[]; sector: string | null }[] = [];
  private quickReplySignature = '';
  /** The newest `closedAt` learnt: the next sync reads only what closed after it. */
  watermark = 0;

  get examples(): number {
    return this.learnt.size;
  }

  /** Keeps the quick replies current (cheap when nothing changed). */
  setQuickReplies(list: readonly QuickReply[]): void {
    const signature = list.map((q) => `${q.id}:${q.updatedAt}`).sort().join('|');
    if (signature === this.quickReplySignature) return;
    this.quickReplySignature = signature;
    for (const d of this.quickReplyDocs) {
      this.bm25.remove(d.doc, d.terms);
      if (d.sector) this.sectors.unlearn(d.sector, d.terms);
    }
    for (const [key, g] of this.groups) if (g.source.kind === 'quickReply') this.groups.delete(key);
    this.quickReplyDocs = [];
    for (const q of list) {
      const key = `q:${q.id}`;
      const ts = [...terms(q.shortcut), ...terms(q.text)];
      this.groups.set(key, { key, template: q.text, source: { kind: 'quickReply', quickReplyId: q.id, shortcut: q.shortcut }, sectorIds: q.sectorIds, uses: 0, openings: isOpening(q.text) ? 1 : 0, greeting: isOpening(q.text), labels: new Map() });
      const sector = q.sectorIds.length === 1 ? q.sectorIds[0]! : null;
      // A reply kept for one sector says which words belong there: a weak first example for the sector classifier.
      if (sector) this.sectors.learn(sector, ts, false);
      this.quickReplyDocs.push({ doc: this.bm25.add(key, ts), terms: ts, sector });
    }
    // Answers learnt before keep their link to the replies they came from.
    for (const l of this.learnt.values()) for (const p of l.example.pairs) this.bumpGroup(p.quickReplyId ? `q:${p.quickReplyId}` : null, 1, p.opening, labelOf(l.example));
  }

  private bumpGroup(key: string | null, uses: 1 | -1, opening: boolean, label: string): void {
    const g = key ? this.groups.get(key) : undefined;
    if (!g) return;
    g.uses += uses;
    if (opening) g.openings += uses;
    g.labels.set(label, (g.labels.get(label) ?? 0) + uses);
  }

  /** Learns a closed ticket; a ticket learnt before (reopened and closed again) replaces its old lesson. */
  learn(example: LearnedExample): void {
    this.forget(example.id);
    const docs: Learnt['docs'] = [];
    const groupKeys: string[] = [];
    for (const p of example.pairs) {
      const key = p.quickReplyId && this.groups.has(`q:${p.quickReplyId}`) ? `q:${p.quickReplyId}` : `a:${replyKey(p.answer)}`;
      let g = this.groups.get(key);
      if (!g) {
        g = { key, template: p.answer, source: { kind: 'answer', agentName: p.agentName, at: p.at, ticketId: example.id }, sectorIds: example.sectorId ? [example.sectorId] : null, uses: 0, openings: 0, greeting: isOpening(p.answer), labels: new Map() };
        this.groups.set(key, g);
      } else if (g.source.kind === 'answer' && p.at >= g.source.at) {
        g.source = { kind: 'answer', agentName: p.agentName, at: p.at, ticketId: example.id };
        g.template = p.answer;
      }
      this.bumpGroup(key, 1, p.opening, labelOf(example));
      const ts = terms(p.question);
      docs.push({ doc: this.bm25.add(key, ts), terms: ts });
      groupKeys.push(key);
    }
    const features = terms(example.customerText);
    if (example.customerSilent) features.push(SILENT);
    if (example.sectorId) this.sectors.learn(example.sectorId, features);
    if (example.classificationId) this.classifications.learn(example.classificationId, features);
    for (const tagId of new Set([...example.tagIds, ...this.tags.keys()])) this.learnTag(tagId, example.tagIds.includes(tagId), features);
    this.learnt.set(example.id, { example, docs, features, groups: groupKeys });
    this.watermark = Math.max(this.watermark, example.closedAt);
  }

  private learnTag(tagId: string, present: boolean, features: string[]): void {
    let nb = this.tags.get(tagId);
    if (!nb) {
      nb = new NaiveBayes();
      this.tags.set(tagId, nb);
      // Everything learnt before this tag existed did not have it.
      for (const l of this.learnt.values()) nb.learn('no', l.features, false);
    }
    nb.learn(present ? 'yes' : 'no', features);
    if (present) this.tagPositives.set(tagId, (this.tagPositives.get(tagId) ?? 0) + 1);
  }

  forget(id: string): void {
    const l = this.learnt.get(id);
    if (!l) return;
    for (const d of l.docs) this.bm25.remove(d.doc, d.terms);
    for (const [i, key] of l.groups.entries()) {
      const g = this.groups.get(key);
      if (!g) continue;
      this.bumpGroup(key, -1, l.example.pairs[i]?.opening ?? false, labelOf(l.example));
      if (g.uses <= 0 && g.source.kind === 'answer') this.groups.delete(key);
    }
    const { example, features } = l;
    if (example.sectorId) this.sectors.unlearn(example.sectorId, features);
    if (example.classificationId) this.classifications.unlearn(example.classificationId, features);
    for (const [tagId, nb] of this.tags) {
      const present = example.tagIds.includes(tagId);
      nb.unlearn(present ? 'yes' : 'no', features);
      if (present) this.tagPositives.set(tagId, (this.tagPositives.get(tagId) ?? 1) - 1);
    }
    this.learnt.delete(id);
  }

  suggest(input: SuggestInput): Suggestions {
    const { ticket, messages, vars } = input;
    const limit = input.limit ?? 3;
    const recent = messages.slice(-200);
    const agentLines = recent.filter((m) => m.direction === 'out' && !m.automated);
    // What the agent already said in this ticket is not suggested again.
    const sent = new Set(agentLines.slice(-60).map((m) => keyOf(m.text)));
    const fresh = agentLines.length === 0;
    const lastCustomerLine = recent.filter((m) => m.direction === 'in').at(-1);
    const thanked = lastCustomerLine !== undefined && recent.at(-1) === lastCustomerLine && THANKS.test(lastCustomerLine.text) && !STILL_ASKING.test(lastCustomerLine.text);

    // Replies: the best document of each reply group, quick replies and past answers alike.
    const query = queryOf(recent);
    const byGroup = new Map<string, number>();
    this.bm25.scoreEach(query, (doc, s) => {
      const key = this.bm25.keyOf(doc);
      if (key !== undefined && s > (byGroup.get(key) ?? 0)) byGroup.set(key, s);
    });
    if (fresh) for (const g of this.groups.values()) if (g.openings > 0) byGroup.set(g.key, (byGroup.get(g.key) ?? 0) + 3 * Math.min(1, g.openings / Math.max(1, g.uses)));
    if (thanked) for (const g of this.groups.values()) if (!fresh && genericness(g) > 0.5 && g.openings < g.uses / 2) byGroup.set(g.key, (byGroup.get(g.key) ?? 0) + 2 * genericness(g));
    const replies: ReplySuggestion[] = [];
    const ranked = [...byGroup]
      .map(([key, score]) => {
        const g = this.groups.get(key)!;
        // Greetings answer every first message: once the conversation is under way they step back.
        const generic = genericness(g);
        const opener = fresh ? 1 : 1 - 0.85 * Math.min(1, g.openings / Math.max(1, g.uses)) * (g.greeting ? 1 : generic);
        // Closings ("posso ajudar em algo mais?") fit a thank-you, not a question.
        const subject = thanked ? 1 + generic : 1 - 0.85 * generic;
        return { g, score: score * opener * subject * (1 + 0.05 * Math.log1p(g.uses)) };
      })
      .filter(({ g, score }) => score >= 0.3 && (g.sectorIds === null || g.sectorIds.length === 0 || g.source.kind === 'answer' || (ticket.sectorId !== null && g.sectorIds.includes(ticket.sectorId))))
      .sort((a, b) => b.score - a.score || a.g.key.localeCompare(b.g.key));
    const seenText = new Set<string>();
    // Filled in rank order, only until `limit` are found: what the agent already said is skipped.
    for (const { g, score } of ranked) {
      const text = expandTemplate(g.template, vars);
      if (seenText.has(text) || sent.has(keyOf(text))) continue;
      seenText.add(text);
      replies.push({ text, template: g.template, source: g.source, score: Math.round(score * 100) / 100 });
      if (replies.length >= limit) break;
    }

    // Actions: what tickets with these words ended in.
    const customer = recent.filter((m) => m.direction === 'in').slice(-20);
    const features = customer.flatMap((m) => termsOf(m.text));
    const last = recent.filter((m) => m.direction !== 'system').at(-1);
    const firstAnswer = recent.findIndex((m) => m.direction === 'out' && !m.automated);
    if (firstAnswer >= 0 && !recent.slice(firstAnswer).some((m) => m.direction === 'in')) features.push(SILENT);
    const actions: ActionSuggestion[] = [];
    const sector = features.length > 0 ? this.sectors.predict(features)[0] ?? null : null;
    const classification = features.length > 0 && this.classifications.size >= 3 ? this.classifications.predict(features)[0] ?? null : null;
    if (sector && sector.label !== ticket.sectorId && sector.confidence >= 0.6) actions.push({ kind: 'transfer', sectorId: sector.label, confidence: round(sector.confidence) });
    if (classification && classification.label !== ticket.classificationId && classification.confidence >= 0.4)
      actions.push({ kind: 'classify', classificationId: classification.label, confidence: round(classification.confidence) });
    const tagIds: string[] = [];
    let tagConfidence = 1;
    for (const [tagId, nb] of this.tags) {
      if ((this.tagPositives.get(tagId) ?? 0) < 3 || ticket.tagIds.includes(tagId) || features.length === 0) continue;
      const yes = nb.predict(features).find((p) => p.label === 'yes');
      if (yes && yes.confidence >= 0.5) {
        tagIds.push(tagId);
        tagConfidence = Math.min(tagConfidence, yes.confidence);
      }
    }
    if (tagIds.length > 0) actions.push({ kind: 'tags', tagIds: [...ticket.tagIds, ...tagIds.sort()], confidence: round(tagConfidence) });
    const lastCustomer = customer.at(-1);
    if (last && lastCustomer && last === lastCustomer && THANKS.test(lastCustomer.text) && !STILL_ASKING.test(lastCustomer.text) && agentLines.length > 0)
      actions.push({ kind: 'close', classificationId: classification?.label ?? null, confidence: round(0.6 + 0.3 * (classification?.confidence ?? 0)) });

    let sentiment: number | null = null;
    for (const m of customer.slice(-5)) sentiment = nextSentiment(sentiment, m.text);
    return {
      replies,
      actions,
      sentiment,
      predictions: {
        sector: sector ? { id: sector.label, confidence: round(sector.confidence) } : null,
        classification: classification ? { id: classification.label, confidence: round(classification.confidence) } : null,
      },
    };
  }

  /** Inverse document frequency of a term over everything indexed (summaries weigh sentences with it). */
  idf(term: string): number {
    return this.bm25.idf(term);
  }
}

const round = (x: number) => Math.round(x * 100) / 100;
const labelOf = (e: LearnedExample) => `${e.sectorId ?? '-'}/${e.classificationId ?? '-'}`;
