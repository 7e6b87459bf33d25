import { afterEach, describe, expect, it } from 'vitest';
import { complete, ProviderError, providerFromEnv, retryDelay, type ProviderConfig } from '@atende/core/copilot';
import { startFakeOpenAI, type FakeStep } from './support/fakeOpenAI.ts';

let fake: Awaited<ReturnType<typeof startFakeOpenAI>> | null = null;
afterEach(async () => {
  await fake?.close();
  fake = null;
});

const noWait = { sleep: async () => {} };
const setup = async (steps: FakeStep[], over: Partial<ProviderConfig> = {}): Promise<ProviderConfig> => {
  fake = await startFakeOpenAI(steps);
  return { baseUrl: fake.baseUrl, apiKey: 'sk-test', model: 'tiny', timeoutMs: 2000, ...over };
};
const ask = [{ role: 'user' as const, content: 'oi' }];

describe('OpenAI-compatible provider adapter (against a local server speaking the protocol)', () => {
  it('streams the text as it arrives, sends the key and model, and reports usage', async () => {
    const config = await setup([{ kind: 'stream', chunks: ['Olá', ', Maria', '!'], usage: { prompt_tokens: 31, completion_tokens: 4 } }], { models: { rewrite: 'bigger' } });
    const deltas: string[] = [];
    const r = await complete(config, 'rewrite', ask, { onDelta: (d) => deltas.push(d) }, noWait);
    expect(deltas).toEqual(['Olá', ', Maria', '!']);
    expect(r).toEqual({ text: 'Olá, Maria!', model: 'bigger', usage: { promptTokens: 31, completionTokens: 4 } });
    expect(fake!.requests[0]).toMatchObject({ auth: 'Bearer sk-test', body: { model: 'bigger', stream: true, messages: ask } });
  });

  it('fails at once on 401 (no retry)', async () => {
    const config = await setup([{ kind: 'status', status: 401, body: '{"error":{"message":"bad key"}}' }]);
    await expect(complete(config, 'suggest', ask, {}, noWait)).rejects.toMatchObject({ name: 'ProviderError', status: 401, retryable: false });
    expect(fake!.requests).toHaveLength(1);
  });

  it('retries 429 (honouring Retry-After) and 500, then succeeds', async () => {
    const waits: number[] = [];
    const config = await setup([{ kind: 'status', status: 429, retryAfter: '2' }, { kind: 'status', status: 500 }, { kind: 'stream', chunks: ['ok'] }]);
    const r = await complete(config, 'suggest', ask, {}, { sleep: async (ms) => void waits.push(ms) });
    expect(r.text).toBe('ok');
    expect(waits).toEqual([2000, 800]);
    expect(fake!.requests).toHaveLength(3);
  });

  it('gives up after its retries on repeated 5xx', async () => {
    const config = await setup([{ kind: 'status', status: 503 }], { retries: 2 });
    await expect(complete(config, 'suggest', ask, {}, noWait)).rejects.toMatchObject({ status: 503 });
    expect(fake!.requests).toHaveLength(3);
  });

  it('a stream cut in the middle is an error, not a short answer, and is not retried once text went out', async () => {
    const config = await setup([{ kind: 'cut', chunks: ['Meia ', 'resp'] }, { kind: 'stream', chunks: ['never'] }]);
    const deltas: string[] = [];
    const e = await complete(config, 'suggest', ask, { onDelta: (d) => deltas.push(d) }, noWait).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(ProviderError);
    expect(deltas.join('')).toBe('Meia resp');
    expect(fake!.requests).toHaveLength(1);
  });

  it('times out a provider that never answers', async () => {
    const config = await setup([{ kind: 'hang' }], { timeoutMs: 150, retries: 1 });
    const e = (await complete(config, 'suggest', ask, {}, noWait).catch((x: unknown) => x)) as ProviderError;
    expect(e.message).toMatch(/did not answer within/);
    expect(fake!.requests).toHaveLength(2);
  });

  it('reads its configuration from ATENDE_AI_*', () => {
    expect(providerFromEnv({})).toBeNull();
    expect(providerFromEnv({ ATENDE_AI_BASE_URL: 'http://127.0.0.1:11434/v1', ATENDE_AI_MODEL: 'llama3.2', ATENDE_AI_MODEL_TRANSLATE: 'qwen2.5' })).toEqual({
      baseUrl: 'http://127.0.0.1:11434/v1',
      apiKey: null,
      model: 'llama3.2',
      models: { translate: 'qwen2.5' },
    });
    expect(retryDelay(3, null)).toBe(1600);
  });
});
