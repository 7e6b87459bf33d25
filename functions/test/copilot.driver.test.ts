/**
 * The SPA's local driver speaking to the embedded server's copilot route:
 * `Backend.copilot` with `onDelta` reads the SSE stream (deltas in order, then
 * the result), and a provider failure arrives as a BackendError with the
 * server's code — against the real server and a local OpenAI-protocol fake.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createLocalBackend } from '../../web/src/backend/local.ts';
import { BackendError } from '../../web/src/backend/types.ts';
import { login, newWaitingTicket, run, startServer } from '../../server/test/helpers.ts';
import { startFakeOpenAI } from '../../server/test/support/fakeOpenAI.ts';

const closers: { close(): Promise<void> }[] = [];
afterEach(async () => {
  vi.unstubAllGlobals();
  for (const c of closers.splice(0)) await c.close();
});

describe('Backend.copilot on the local driver (SSE)', () => {
  it('streams a rewrite as it is written, then settles with the whole text; a provider failure is a BackendError', async () => {
    const fake = await startFakeOpenAI([{ kind: 'stream', chunks: ['Prezada Marina, ', 'vou verificar ', 'e já retorno.'] }, { kind: 'status', status: 401 }]);
    closers.push(fake);
    const s = await startServer({ aiProvider: { baseUrl: fake.baseUrl, apiKey: 'k', model: 'modelo-x', timeoutMs: 2000, retries: 0 } });
    closers.push(s);
    const cookie = await login(s, 'ana@atende.local');
    const ticket = await newWaitingTicket(s);
    await run(s, cookie, 'ticket.accept', { ticketId: ticket.id });
    const realFetch = globalThis.fetch;
    vi.stubGlobal('fetch', (url: string, init: RequestInit = {}) => realFetch(url, { ...init, headers: { ...(init.headers as Record<string, string>), cookie } }));
    const backend = createLocalBackend({ baseUrl: s.url });

    const deltas: string[] = [];
    const result = await backend.copilot('rewrite', { ticketId: ticket.id, draft: 'vou ver isso', mode: 'formal' }, (d) => deltas.push(d));
    expect(deltas).toEqual(['Prezada Marina, ', 'vou verificar ', 'e já retorno.']);
    expect(result).toEqual({ text: 'Prezada Marina, vou verificar e já retorno.', model: 'modelo-x' });

    const failed = await backend.copilot('rewrite', { ticketId: ticket.id, draft: 'vou ver isso', mode: 'curto' }, () => undefined).catch((e: unknown) => e);
    expect(failed).toBeInstanceOf(BackendError);
    expect((failed as BackendError).code).toBe('failed-precondition');
    expect((failed as BackendError).message).toMatch(/provedor de IA falhou/);

    // Without onDelta: plain JSON, same answer shape.
    const status = await backend.copilot('status', {});
    expect(status.provider).toMatchObject({ configured: true, model: 'modelo-x' });
  });
});
