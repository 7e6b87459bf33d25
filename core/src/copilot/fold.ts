/** Accent folding and word splitting: no stemmer, so the sentiment lexicon can run inside commands cheaply. */
export const foldAccents = (text: string): string => text.normalize('NFD').replace(/[\u0300-\u036f]/g, '');

/** Lower case, accents folded, split on anything that is not a letter or digit. */
export const words = (text: string): string[] => foldAccents(text.toLowerCase()).split(/[^a-z0-9]+/).filter((w) => w.length > 0);

/** Sentences of a message (on . ! ? and line breaks), trimmed, empty ones dropped. */
export const sentences = (text: string): string[] =>
  text
    .split(/(?<=[.!?])\s+|\n+/)
    .map((s) => s.trim())
    .filter((s) => s.length > 0);

/** Content words without a stemmer: enough to tell a substantive sentence from small talk. */
export const contentWords = (text: string): string[] => words(text).filter((w) => w.length > 3 || /\d/.test(w));
