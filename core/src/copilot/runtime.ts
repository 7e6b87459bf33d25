/**
 * The few runtime globals the provider adapter needs, typed here: they exist
 * in Node ≥ 18 and in browsers alike, so core imports nothing to use them.
 */
export interface AbortSignalLike {
  readonly aborted: boolean;
}
export interface ResponseLike {
  status: number;
  headers: { get(name: string): string | null };
  body: AsyncIterable<Uint8Array> | null;
  text(): Promise<string>;
}
export type FetchLike = (url: string, init: { method: 'POST'; headers: Record<string, string>; body: string; signal: AbortSignalLike }) => Promise<ResponseLike>;

interface Globals {
  fetch?: FetchLike;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
  AbortController: new () => { signal: AbortSignalLike; abort(reason?: unknown): void };
  TextDecoder: new (label?: string) => { decode(input?: Uint8Array, options?: { stream?: boolean }): string };
}

export const runtime = globalThis as unknown as Globals;

export const sleep = (ms: number): Promise<void> => new Promise((done) => runtime.setTimeout(done, ms));
