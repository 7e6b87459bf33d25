import { foldAccents, words } from './fold.ts';

/**
 * A small sentiment lexicon for Portuguese customer-service chat, by word
 * prefix (accents folded), with negation ("não resolveu") and intensifiers
 * ("muito", capitals, "!!!"). Scores run from -1 (angry) to 1 (pleased).
 */
const LEXICON: [prefix: string, weight: number][] = [
  // angry, frustrated
  ['absurd', -3], ['ridicul', -3], ['pessim', -3], ['horrivel', -3], ['lixo', -3], ['vergonh', -3], ['palhacad', -3], ['descaso', -3],
  ['procon', -3], ['reclame', -2], ['processar', -3], ['advogad', -2], ['enganad', -3], ['roubo', -3], ['roubad', -3], ['golpe', -2],
  ['irritad', -3], ['revoltad', -3], ['indignad', -3], ['raiva', -3], ['decepcion', -2], ['insatisfeit', -2], ['cansad', -2], ['chatead', -2],
  ['furios', -3], ['inaceitav', -3], ['desrespeit', -3], ['incompet', -3], ['pior', -2], ['ruim', -2], ['porcaria', -3], ['merda', -3],
  ['cancelar', -1], ['cancel', -1], ['demora', -1], ['atras', -1], ['reclam', -1], ['problema', -1], ['erro', -1], ['nunca', -1],
  ['ninguem', -1], ['cobrad', -1], ['indevid', -2], ['abuso', -3], ['abusiv', -3], ['mentira', -3], ['ignorad', -2], ['urgente', -1],
  ['travad', -1], ['quebrad', -1], ['defeito', -1], ['falha', -1], ['prejuizo', -2], ['perdi', -1], ['sumiu', -1],
  // pleased
  ['obrigad', 2], ['agradec', 2], ['otimo', 3], ['otima', 3], ['excelente', 3], ['perfeito', 3], ['perfeita', 3], ['maravilh', 3],
  ['resolv', 1], ['consegui', 2], ['funcionou', 2], ['ajudou', 2], ['gostei', 2], ['adorei', 3], ['parabens', 3], ['show', 2], ['top', 2],
  ['legal', 1], ['bom', 1], ['boa', 1], ['beleza', 1], ['valeu', 2], ['tranquil', 1], ['rapid', 1], ['atencios', 2], ['eficien', 2],
];
const NEGATORS = new Set(['nao', 'nunca', 'nem', 'jamais', 'sem', 'ninguem', 'nada']);
const INTENSIFIERS = new Set(['muito', 'muita', 'super', 'demais', 'extremamente', 'totalmente', 'completamente', 'tao', 'mt', 'mto']);
/** Words the lexicon would misread in this setting ("boa tarde" is a greeting, not praise). */
const GREETING_AFTER = new Set(['tarde', 'noite', 'dia']);

/** The lexicon by each prefix's first three letters (every prefix has at least three), in the lexicon's order: a word is checked against its own bucket only. */
const HEAD = 3;
const BY_HEAD = new Map<string, [string, number][]>();
for (const entry of LEXICON) {
  if (entry[0].length < HEAD) throw new Error(`sentiment prefix "${entry[0]}" is shorter than ${HEAD} letters`);
  const head = entry[0].slice(0, HEAD);
  BY_HEAD.set(head, [...(BY_HEAD.get(head) ?? []), entry]);
}

const weightOf = (word: string): number => {
  const bucket = BY_HEAD.get(word.slice(0, HEAD));
  if (bucket) for (const [prefix, w] of bucket) if (word.startsWith(prefix)) return w;
  return 0;
};

/** One message's sentiment in [-1, 1]; 0 when it says nothing either way. */
export const messageSentiment = (text: string): number => {
  const ws = words(text);
  let sum = 0;
  let hits = 0;
  for (let i = 0; i < ws.length; i++) {
    const w = ws[i]!;
    if ((w === 'bom' || w === 'boa') && GREETING_AFTER.has(ws[i + 1] ?? '')) continue;
    let s = weightOf(w);
    if (s === 0) continue;
    const before = ws.slice(Math.max(0, i - 3), i);
    if (before.some((b) => NEGATORS.has(b))) s = s > 0 ? -s : s * 0.5;
    if (before.some((b) => INTENSIFIERS.has(b))) s *= 1.5;
    sum += s;
    hits++;
  }
  const shouting = /[A-ZÀ-Ú]{5,}/.test(text) && text === text.toUpperCase() ? -1 : 0;
  const exclaims = (text.match(/[!?]{2,}/g) ?? []).length > 0 && sum < 0 ? -1 : 0;
  const raw = sum + shouting + exclaims;
  if (hits === 0 && raw === 0) return 0;
  return Math.max(-1, Math.min(1, raw / 4));
};

/** A message's score, or null for one with no words; remembered per text (the copilot re-reads the last messages on every suggestion). Bounded. */
const scores = new Map<string, number | null>();
const scoreOf = (text: string): number | null => {
  let s = scores.get(text);
  if (s === undefined) {
    s = foldAccents(text).trim() ? messageSentiment(text) : null;
    if (scores.size >= 2000) scores.clear();
    scores.set(text, s);
  }
  return s;
};

/** The ticket's running sentiment after a customer message: recent messages count most. */
export const nextSentiment = (previous: number | null, text: string): number | null => {
  const s = scoreOf(text);
  if (s === null) return previous;
  if (previous === null) return s === 0 ? null : round(s);
  return round(previous * 0.6 + s * 0.4);
};

const round = (x: number) => Math.round(x * 100) / 100;

export type SentimentLabel = 'negative' | 'neutral' | 'positive';
export const sentimentLabel = (score: number | null | undefined): SentimentLabel =>
  score === null || score === undefined ? 'neutral' : score <= -0.25 ? 'negative' : score >= 0.25 ? 'positive' : 'neutral';
