// @nlpjs/lang-pt ships no typings: only the two classes the copilot uses.
declare module '@nlpjs/lang-pt' {
  export class StemmerPt {
    stemWord(word: string): string;
  }
  export class StopwordsPt {
    isStopword(word: string): boolean;
  }
}
