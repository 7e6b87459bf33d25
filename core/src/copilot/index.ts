/** The AI copilot (issue 12, DESIGN §14): `@atende/core/copilot`. Kept out of the main entry so the SPA does not bundle the stemmer. */
export * from './bm25.ts';
export * from './classifier.ts';
export * from './engine.ts';
export * from './examples.ts';
export * from './prompts.ts';
export * from './provider.ts';
export * from './sentiment.ts';
export * from './service.ts';
export * from './summary.ts';
export * from './text.ts';
export type { FetchLike, ResponseLike } from './runtime.ts';
