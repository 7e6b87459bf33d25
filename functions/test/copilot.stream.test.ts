import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createIdGenerator, seedDemo } from '@atende/core';
import { copilotCallable } from '../src/copilot.ts';
import { storeOf, type Deps } from '../src/deps.ts';
import { MemoryAuth } from '../../conformance/firestore.ts';
import { startEmulator, type Emulator } from './support/emulator.ts';

// The LLM provider is the edge of the world: a local server speaking OpenAI's /v1/chat/completions with SSE.
const WORDS = ['Olá! ', 'Vou ', 'verificar ', 'o ', 'seu ', 'acesso ', 'agora.'];
let ai: Server;
let baseUrl = '';
let emu: Emulator;
let deps: Deps;
const now = Date.UTC(2026, 10, 21, 14);

beforeAll(async () => {
  ai = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      if (req.url !== '/v1/chat/completions') return void res.writeHead(404).end();
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      for (const w of WORDS) res.write(`data: ${JSON.stringify({ model: 'fake-fn', choices: [{ index: 0, delta: { content: w } }] })}\n\n`);
      res.write(`data: ${JSON.stringify({ model: 'fake-fn', choices: [], usage: { prompt_tokens: 100, completion_tokens: WORDS.length } })}\n\n`);
      res.end('data: [DONE]\n\n');
    });
  });
  await new Promise<void>((resolve) => ai.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(ai.address() as AddressInfo).port}/v1`;
  emu = await startEmulator();
  deps = { db: emu.db, auth: new MemoryAuth(), clock: () => now, newId: createIdGenerator(() => now) };
  await seedDemo({ store: storeOf(emu.db), clock: deps.clock, newId: deps.newId });
}, 60_000);
afterAll(async () => {
  await emu?.stop();
  await new Promise((resolve) => ai?.close(resolve));
});

describe('the copilot callable streams on Firebase (Firestore emulator)', () => {
  it('a caller that streams gets the generated reply as {delta} chunks while it is written, then the whole result', async () => {
    const waiting = await emu.db.collection('tickets').where('status', '==', 'waiting').where('sectorId', '==', 'suporte').get();
    const ticketId = waiting.docs[0]!.id;
    const chunks: { delta: string }[] = [];
    const provider = { baseUrl, apiKey: null, model: 'fake-fn', retries: 0 };
    const request = { auth: { uid: 'ana', token: {} }, data: { action: 'suggest', input: { ticketId, generate: true } }, acceptsStreaming: true };
    const result = (await copilotCallable(deps, provider, request, { sendChunk: (c) => void chunks.push(c) })) as { generated: { text: string; model: string } | null };
    expect(chunks.length).toBe(WORDS.length);
    expect(chunks.map((c) => c.delta).join('')).toBe(WORDS.join(''));
    expect(result.generated).toEqual({ text: WORDS.join('').trim(), model: 'fake-fn' });

    // A plain call (no stream asked for) gets the same result and no chunks.
    const quiet: unknown[] = [];
    const plain = (await copilotCallable(deps, provider, { ...request, acceptsStreaming: false }, { sendChunk: (c) => void quiet.push(c) })) as { generated: { text: string } | null };
    expect(quiet).toEqual([]);
    expect(plain.generated?.text).toBe(WORDS.join('').trim());
  });
});
