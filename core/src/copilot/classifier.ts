/**
 * Multinomial naive Bayes over index terms, learnt one example at a time
 * (and unlearnt, when a reopened ticket closes again). Raw naive-Bayes
 * posteriors are far too sure of themselves, so confidences are calibrated:
 * each example is first predicted by the model as it stood before learning
 * it (an honest, out-of-sample guess), and a softmax temperature is chosen
 * to minimise the log-loss of those guesses (a bounded buffer, refitted
 * every so often).
 */
export interface Prediction {
  label: string;
  confidence: number;
}

const TEMPERATURES = [1, 1.5, 2, 3, 4, 6, 8, 12, 16, 24, 32, 48, 64];
const CALIBRATION_WINDOW = 400;
const REFIT_EVERY = 25;

export class NaiveBayes {
  private readonly termCounts = new Map<string, Map<string, number>>();
  private readonly totals = new Map<string, number>();
  private readonly docs = new Map<string, number>();
  private readonly vocabulary = new Map<string, number>();
  private examples = 0;
  private readonly guesses: { logits: Map<string, number>; label: string }[] = [];
  private sinceFit = 0;
  private temperature = 8;

  get size(): number {
    return this.examples;
  }

  get labels(): string[] {
    return [...this.docs.keys()].filter((l) => (this.docs.get(l) ?? 0) > 0);
  }

  learn(label: string, terms: readonly string[], calibrate = true): void {
    if (calibrate && this.labels.length >= 2 && terms.length > 0) {
      this.guesses.push({ logits: this.logits(terms), label });
      if (this.guesses.length > CALIBRATION_WINDOW) this.guesses.shift();
      if (++this.sinceFit >= REFIT_EVERY) this.fit();
    }
    this.change(label, terms, 1);
  }

  unlearn(label: string, terms: readonly string[]): void {
    this.change(label, terms, -1);
  }

  private change(label: string, terms: readonly string[], sign: 1 | -1): void {
    let counts = this.termCounts.get(label);
    if (!counts) this.termCounts.set(label, (counts = new Map()));
    for (const t of terms) {
      const n = (counts.get(t) ?? 0) + sign;
      if (n <= 0) counts.delete(t);
      else counts.set(t, n);
      const v = (this.vocabulary.get(t) ?? 0) + sign;
      if (v <= 0) this.vocabulary.delete(t);
      else this.vocabulary.set(t, v);
    }
    this.totals.set(label, Math.max(0, (this.totals.get(label) ?? 0) + sign * terms.length));
    this.docs.set(label, Math.max(0, (this.docs.get(label) ?? 0) + sign));
    this.examples = Math.max(0, this.examples + sign);
  }

  /** Per-label log-likelihood per term (length-normalised, so long threads are not more certain by length alone). */
  private logits(terms: readonly string[]): Map<string, number> {
    const out = new Map<string, number>();
    const labels = this.labels;
    const v = this.vocabulary.size + 1;
    const known = terms.filter((t) => this.vocabulary.has(t));
    const n = Math.max(1, known.length);
    for (const label of labels) {
      const counts = this.termCounts.get(label)!;
      const total = this.totals.get(label) ?? 0;
      let ll = 0;
      for (const t of known) ll += Math.log(((counts.get(t) ?? 0) + 1) / (total + v));
      const prior = Math.log((this.docs.get(label) ?? 0) / this.examples);
      out.set(label, prior / n + ll / n);
    }
    return out;
  }

  private static softmax(logits: Map<string, number>, temperature: number): Map<string, number> {
    const max = Math.max(...logits.values());
    const exp = new Map([...logits].map(([l, x]) => [l, Math.exp((x - max) * temperature)]));
    const sum = [...exp.values()].reduce((a, b) => a + b, 0);
    return new Map([...exp].map(([l, e]) => [l, e / sum]));
  }

  private fit(): void {
    this.sinceFit = 0;
    let best = this.temperature;
    let bestLoss = Infinity;
    for (const t of TEMPERATURES) {
      let loss = 0;
      for (const g of this.guesses) loss -= Math.log(Math.max(1e-9, NaiveBayes.softmax(g.logits, t).get(g.label) ?? 0));
      if (loss < bestLoss) [best, bestLoss] = [t, loss];
    }
    this.temperature = best;
  }

  /** Labels by calibrated probability, best first; empty until two labels have been seen. */
  predict(terms: readonly string[]): Prediction[] {
    if (this.labels.length === 0) return [];
    if (this.labels.length === 1) return [{ label: this.labels[0]!, confidence: 0.5 }];
    const p = NaiveBayes.softmax(this.logits(terms), this.temperature);
    return [...p].map(([label, confidence]) => ({ label, confidence })).sort((a, b) => b.confidence - a.confidence || a.label.localeCompare(b.label));
  }
}
