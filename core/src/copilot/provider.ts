import { runtime, sleep as realSleep, type FetchLike } from './runtime.ts';

/**
 * An adapter for any OpenAI-compatible `/v1/chat/completions` endpoint
 * (OpenAI, Azure, Groq, Ollama, llama.cpp, vLLM): streamed over SSE, with a
 * timeout that restarts on every chunk, retries on 429 and 5xx (honouring
 * Retry-After) while nothing has been streamed yet, and token usage.
 */
export type ProviderFeature = 'suggest' | 'summarize' | 'rewrite' | 'translate' | 'sentiment';

export interface ProviderConfig {
  /** e.g. `https://api.openai.com/v1` or `http://127.0.0.1:11434/v1`; `/chat/completions` is appended. */
  baseUrl: string;
  apiKey: string | null;
  model: string;
  /** A model per feature, where it differs from `model`. */
  models?: Partial<Record<ProviderFeature, string>>;
  /** Without a byte from the provider for this long, an attempt fails (default 30 s). */
  timeoutMs?: number;
  /** Retries after the first attempt on 429, 5xx, network errors and timeouts (default 2). */
  retries?: number;
}

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

export interface Usage {
  promptTokens: number;
  completionTokens: number;
}

export interface Completion {
  text: string;
  usage: Usage;
  model: string;
}

export class ProviderError extends Error {
  readonly status: number | null;
  readonly retryable: boolean;
  constructor(message: string, status: number | null, retryable: boolean) {
    super(message);
    this.name = 'ProviderError';
    this.status = status;
    this.retryable = retryable;
  }
}

export interface ProviderRuntime {
  fetch?: FetchLike;
  sleep?: (ms: number) => Promise<void>;
}

export const modelFor = (config: ProviderConfig, feature: ProviderFeature): string => config.models?.[feature] || config.model;

const endpoint = (baseUrl: string) => `${baseUrl.replace(/\/+$/, '')}/chat/completions`;

/** Milliseconds to wait before retry `attempt` (1-based): Retry-After when given (capped), else exponential. */
export const retryDelay = (attempt: number, retryAfter: string | null): number => {
  const seconds = retryAfter !== null ? Number(retryAfter) : NaN;
  if (Number.isFinite(seconds) && seconds >= 0) return Math.min(10_000, seconds * 1000);
  return Math.min(8000, 400 * 2 ** (attempt - 1));
};

const estimateTokens = (s: string) => Math.ceil(s.length / 4);

interface SseChunk {
  choices?: { delta?: { content?: string | null }; message?: { content?: string | null }; finish_reason?: string | null }[];
  usage?: { prompt_tokens?: number; completion_tokens?: number } | null;
  error?: { message?: string };
}

/** Reads an SSE body: calls `onData` with each `data:` payload; returns whether `[DONE]` (or a finish) was seen. */
const readSse = async (body: AsyncIterable<Uint8Array>, onData: (data: string) => void, onChunk: () => void): Promise<void> => {
  const decoder = new runtime.TextDecoder('utf-8');
  let buffer = '';
  for await (const bytes of body) {
    onChunk();
    buffer += decoder.decode(bytes, { stream: true });
    let cut: number;
    while ((cut = buffer.search(/\r?\n\r?\n/)) >= 0) {
      const event = buffer.slice(0, cut);
      buffer = buffer.slice(cut).replace(/^\r?\n\r?\n/, '');
      const data = event
        .split(/\r?\n/)
        .filter((l) => l.startsWith('data:'))
        .map((l) => l.slice(5).replace(/^ /, ''))
        .join('\n');
      if (data) onData(data);
    }
  }
};

/** One chat completion, streamed: `onDelta` receives the text as it arrives. */
export const complete = async (
  config: ProviderConfig,
  feature: ProviderFeature,
  messages: ChatMessage[],
  options: { onDelta?: (text: string) => void; maxTokens?: number; temperature?: number } = {},
  rt: ProviderRuntime = {},
): Promise<Completion> => {
  const fetchFn = rt.fetch ?? runtime.fetch;
  if (!fetchFn) throw new ProviderError('fetch is not available in this runtime', null, false);
  const sleep = rt.sleep ?? realSleep;
  const model = modelFor(config, feature);
  const timeoutMs = config.timeoutMs ?? 30_000;
  const retries = config.retries ?? 2;
  const body = JSON.stringify({ model, messages, stream: true, stream_options: { include_usage: true }, temperature: options.temperature ?? 0.3, max_tokens: options.maxTokens ?? 600 });
  const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'text/event-stream' };
  if (config.apiKey) headers.authorization = `Bearer ${config.apiKey}`;

  let streamed = false;
  for (let attempt = 0; ; attempt++) {
    const controller = new runtime.AbortController();
    let timedOut = false;
    let timer: unknown = null;
    const arm = () => {
      if (timer !== null) runtime.clearTimeout(timer);
      timer = runtime.setTimeout(() => {
        timedOut = true;
        controller.abort(new Error('timeout'));
      }, timeoutMs);
    };
    let retryAfter: string | null = null;
    try {
      arm();
      const res = await fetchFn(endpoint(config.baseUrl), { method: 'POST', headers, body, signal: controller.signal });
      if (res.status !== 200) {
        retryAfter = res.headers.get('retry-after');
        const detail = (await res.text().catch(() => '')).slice(0, 300);
        const retryable = res.status === 429 || res.status >= 500;
        throw new ProviderError(`the AI provider answered ${res.status}${detail ? `: ${detail}` : ''}`, res.status, retryable);
      }
      if (!res.body) throw new ProviderError('the AI provider sent no body', res.status, true);
      let text = '';
      let usage: Usage | null = null;
      let finished = false;
      await readSse(
        res.body,
        (data) => {
          if (data.trim() === '[DONE]') {
            finished = true;
            return;
          }
          let chunk: SseChunk;
          try {
            chunk = JSON.parse(data) as SseChunk;
          } catch {
            throw new ProviderError('the AI provider sent a malformed stream', 200, !streamed);
          }
          if (chunk.error) throw new ProviderError(`the AI provider failed: ${chunk.error.message ?? 'unknown error'}`, 200, !streamed);
          const choice = chunk.choices?.[0];
          const delta = choice?.delta?.content ?? choice?.message?.content ?? '';
          if (delta) {
            text += delta;
            streamed = true;
            options.onDelta?.(delta);
          }
          if (choice?.finish_reason) finished = true;
          if (chunk.usage) usage = { promptTokens: chunk.usage.prompt_tokens ?? 0, completionTokens: chunk.usage.completion_tokens ?? 0 };
        },
        arm,
      );
      if (!finished) throw new ProviderError('the AI provider stream ended before it was complete', 200, !streamed);
      return { text: text.trim(), model, usage: usage ?? { promptTokens: estimateTokens(body), completionTokens: estimateTokens(text) } };
    } catch (e) {
      const error =
        e instanceof ProviderError
          ? e
          : timedOut
            ? new ProviderError(`the AI provider did not answer within ${Math.round(timeoutMs / 1000)} s`, null, !streamed)
            : new ProviderError(`the AI provider could not be reached: ${(e as Error).message}`, null, !streamed);
      if (!error.retryable || streamed || attempt >= retries) throw error;
      await sleep(retryDelay(attempt + 1, retryAfter));
    } finally {
      if (timer !== null) runtime.clearTimeout(timer);
    }
  }
};

/** The provider from the environment (`ATENDE_AI_BASE_URL`, `ATENDE_AI_API_KEY`, `ATENDE_AI_MODEL`, `ATENDE_AI_MODEL_<FEATURE>`); null when not configured. */
export const providerFromEnv = (env: Record<string, string | undefined>): ProviderConfig | null => {
  const baseUrl = env.ATENDE_AI_BASE_URL?.trim();
  const model = env.ATENDE_AI_MODEL?.trim();
  if (!baseUrl || !model) return null;
  const models: Partial<Record<ProviderFeature, string>> = {};
  for (const f of ['suggest', 'summarize', 'rewrite', 'translate', 'sentiment'] as const) {
    const m = env[`ATENDE_AI_MODEL_${f.toUpperCase()}`]?.trim();
    if (m) models[f] = m;
  }
  const timeout = Number(env.ATENDE_AI_TIMEOUT_MS);
  return { baseUrl, apiKey: env.ATENDE_AI_API_KEY?.trim() || null, model, models, ...(Number.isFinite(timeout) && timeout > 0 ? { timeoutMs: timeout } : {}) };
};
