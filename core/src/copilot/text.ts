// eslint-disable-next-line @typescript-eslint/triple-slash-reference -- the typings of an untyped package must reach every project that compiles core (server, functions, bench)
/// <reference path="./nlpjs.d.ts" />
import { StemmerPt, StopwordsPt } from '@nlpjs/lang-pt';
import { foldAccents, sentences, words } from './fold.ts';

/**
 * Portuguese text to index terms: lower case, accents folded, stop words
 * dropped, Snowball-stemmed (the Portuguese stemmer of nlp.js, data shipped
 * in the package). Deterministic; memoised per word.
 */
const stemmer = new StemmerPt();
const stopwords = new StopwordsPt();

/** Words that carry the meaning of a support request even though stop-word lists drop them. */
const KEEP = new Set(['nao', 'sem', 'nunca', 'ainda', 'mais', 'menos']);
/** Chat filler that says nothing about the request. */
const FILLER = new Set(['oi', 'ola', 'bom', 'boa', 'dia', 'tarde', 'noite', 'obrigado', 'obrigada', 'vc', 'voce', 'pra', 'pro', 'ta', 'to', 'ai', 'ok', 'entao', 'gente', 'pfv', 'pf', 'por', 'favor', 'tudo', 'bem', 'aqui', 'la', 'q', 'eh', 'ne', 'hj', 'tb', 'tbm', 'td', 'msg']);

export { foldAccents, sentences, words };

const stems = new Map<string, string>();
const STEM_CACHE = 20_000;

export const stem = (word: string): string => {
  let s = stems.get(word);
  if (s === undefined) {
    s = /^\d+$/.test(word) ? word : stemmer.stemWord(word);
    if (stems.size >= STEM_CACHE) stems.clear();
    stems.set(word, s);
  }
  return s;
};

export const isStopword = (word: string): boolean => !KEEP.has(word) && (FILLER.has(word) || stopwords.isStopword(word));

/** The index terms of a text, in order, repeats kept. Template variables (`{{contact.name}}`) are dropped. */
export const terms = (text: string): string[] => {
  const out: string[] = [];
  for (const w of words(text.replace(/\{\{[^}]*\}\}/g, ' '))) {
    if (w.length < 2 && !/\d/.test(w)) continue;
    if (isStopword(w)) continue;
    out.push(stem(w));
  }
  return out;
};


/** Frequent Portuguese words: a text with none of them is probably in another language. */
const PT_MARKERS = new Set(['de', 'que', 'nao', 'o', 'a', 'os', 'as', 'um', 'uma', 'para', 'com', 'meu', 'minha', 'voce', 'esta', 'estou', 'isso', 'por', 'favor', 'obrigado', 'obrigada', 'oi', 'ola', 'boa', 'bom', 'tarde', 'dia', 'quero', 'preciso', 'como', 'no', 'na', 'do', 'da', 'em', 'ainda', 'tem', 'sim', 'ja', 'mas', 'porque', 'pra', 'ta', 'nao']);
const OTHER_MARKERS = new Set(['the', 'is', 'and', 'my', 'you', 'your', 'please', 'hello', 'hi', 'thanks', 'order', 'have', 'what', 'how', 'el', 'los', 'las', 'usted', 'hola', 'gracias', 'pedido', 'quiero', 'necesito', 'es', 'der', 'die', 'und', 'ich', 'le', 'les', 'est', 'je', 'vous', 'merci', 'bonjour', 'con', 'mi', 'y', 'pero', 'yo']);

/** Whether a message looks written in Portuguese (short or ambiguous texts count as Portuguese). */
export const looksPortuguese = (text: string): boolean => {
  const ws = words(text);
  if (ws.length < 3) return true;
  let pt = 0;
  let other = 0;
  for (const w of ws) {
    if (PT_MARKERS.has(w)) pt++;
    if (OTHER_MARKERS.has(w)) other++;
  }
  return !(other >= 2 && other > pt);
};
