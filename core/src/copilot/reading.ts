import { replyKey } from './examples.ts';
import { terms } from './text.ts';
import type { SuggestInput } from './suggestions.ts';

/** What the engine reads in a conversation's words: the query, thanks, greetings, silence. */

export const SILENT = '__silent__';
export const THANKS = /\b(obrigad[oa]|valeu|agrade[cç]o|resolvid[oa]|resolveu|consegui|deu certo|funcionou|perfeito|era s[oó] isso)\b/i;
export const STILL_ASKING = /\?|n[aã]o (resolveu|funcionou|consegui|deu)|ainda/i;

/**
 * Per-text memo for what `suggest` derives from every message each time it
 * runs (index terms, reply keys): a live conversation is suggested again on
 * each new customer message, and its earlier lines have not changed.
 * Bounded: cleared when full, like the stem cache.
 */
export const memo = <T>(f: (text: string) => T, max = 4000) => {
  const cache = new Map<string, T>();
  return (text: string): T => {
    let v = cache.get(text);
    if (v === undefined) {
      v = f(text);
      if (cache.size >= max) cache.clear();
      cache.set(text, v);
    }
    return v;
  };
};
export const termsOf = memo((text: string): readonly string[] => Object.freeze(terms(text)));
export const keyOf = memo(replyKey);

/** Last customer words weigh most; earlier ones add context. */
export const queryOf = (messages: SuggestInput['messages']): Map<string, number> => {
  const q = new Map<string, number>();
  let weight = 1;
  let seen = 0;
  for (let i = messages.length - 1; i >= 0 && seen < 12; i--) {
    const m = messages[i]!;
    if (m.direction === 'out' && !m.automated) {
      if (q.size > 0) weight = Math.max(0.2, weight * 0.6);
      continue;
    }
    if (m.direction !== 'in') continue;
    seen++;
    for (const t of termsOf(m.text)) q.set(t, Math.min(3, (q.get(t) ?? 0) + weight));
  }
  return q;
};

export const isOpening = (text: string) => /como (posso|podemos) (te )?ajudar|^(ol[aá]|oi|bom dia|boa tarde|boa noite)\b/i.test(text.trim());
