/**
 * An incremental Okapi BM25 index: documents are added (and removed) one at
 * a time as tickets close, with no rebuild. Packages on the registry
 * (okapibm25, wink-bm25-text-search) score a fixed corpus, so this one is ours.
 */
export interface Bm25Options {
  k1: number;
  b: number;
}

interface Posting {
  doc: number;
  tf: number;
}

export class Bm25Index<K> {
  private readonly postings = new Map<string, Posting[]>();
  private readonly lengths: number[] = [];
  private readonly keys: (K | undefined)[] = [];
  private totalLength = 0;
  private live = 0;
  private readonly options: Bm25Options;

  constructor(options: Partial<Bm25Options> = {}) {
    this.options = { k1: options.k1 ?? 1.2, b: options.b ?? 0.75 };
  }

  get size(): number {
    return this.live;
  }

  /** Adds a document's terms; returns its number (for `remove`). */
  add(key: K, terms: readonly string[]): number {
    const doc = this.lengths.length;
    const tf = new Map<string, number>();
    for (const t of terms) tf.set(t, (tf.get(t) ?? 0) + 1);
    for (const [t, n] of tf) {
      let list = this.postings.get(t);
      if (!list) this.postings.set(t, (list = []));
      list.push({ doc, tf: n });
    }
    this.lengths.push(terms.length);
    this.keys.push(key);
    this.totalLength += terms.length;
    this.live++;
    return doc;
  }

  /** Forgets a document: its postings go, so document frequencies stay exact. */
  remove(doc: number, terms: readonly string[]): void {
    if (this.keys[doc] === undefined) return;
    for (const t of new Set(terms)) {
      const list = this.postings.get(t);
      if (!list) continue;
      const i = list.findIndex((p) => p.doc === doc);
      if (i >= 0) list.splice(i, 1);
      if (list.length === 0) this.postings.delete(t);
    }
    this.totalLength -= this.lengths[doc] ?? 0;
    this.keys[doc] = undefined;
    this.live--;
  }

  /** BM25 score of every document sharing a term with the query; `weights` scale each query term. */
  score(query: ReadonlyMap<string, number>): Map<number, number> {
    const scores = new Map<number, number>();
    this.scoreEach(query, (doc, s) => scores.set(doc, s));
    return scores;
  }

  /** Accumulator reused by every query (no per-query map: the copilot scores on every customer message). */
  private acc = new Float64Array(0);
  private readonly touched: number[] = [];

  /** Like `score`, without allocating: `visit` gets each matching document once, in first-match order. */
  scoreEach(query: ReadonlyMap<string, number>, visit: (doc: number, score: number) => void): void {
    if (this.live === 0) return;
    const { k1, b } = this.options;
    const avg = this.totalLength / this.live || 1;
    if (this.acc.length < this.lengths.length) this.acc = new Float64Array(Math.max(64, this.lengths.length * 2));
    const acc = this.acc;
    const touched = this.touched;
    touched.length = 0;
    for (const [term, weight] of query) {
      const list = this.postings.get(term);
      if (!list) continue;
      const idf = Math.log(1 + (this.live - list.length + 0.5) / (list.length + 0.5));
      for (const { doc, tf } of list) {
        const len = this.lengths[doc] ?? 0;
        const s = (idf * tf * (k1 + 1)) / (tf + k1 * (1 - b + (b * len) / avg));
        if (acc[doc] === 0) touched.push(doc);
        acc[doc] = acc[doc]! + weight * s;
      }
    }
    for (const doc of touched) {
      const s = acc[doc]!;
      if (s === 0) continue;
      acc[doc] = 0;
      visit(doc, s);
    }
    touched.length = 0;
  }

  keyOf(doc: number): K | undefined {
    return this.keys[doc];
  }

  /** How many live documents hold a term (for IDF elsewhere, e.g. summaries). */
  documentFrequency(term: string): number {
    return this.postings.get(term)?.length ?? 0;
  }

  idf(term: string): number {
    const n = this.documentFrequency(term);
    return Math.log(1 + (this.live - n + 0.5) / (n + 0.5));
  }
}
