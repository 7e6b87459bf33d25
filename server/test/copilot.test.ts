import { afterEach, describe, expect, it } from 'vitest';
import { refs } from '@atende/core';
import { api, login, newWaitingTicket, run, startServer } from './helpers.ts';
import { startFakeOpenAI } from './support/fakeOpenAI.ts';

const servers: { close(): Promise<void> }[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await s.close();
});
const start = async (options: Parameters<typeof startServer>[0] = { aiProvider: null }) => {
  const s = await startServer(options);
  servers.push(s);
  return s;
};

/** Reads an SSE response into its events. */
const events = (text: string) =>
  text
    .split('\n\n')
    .filter(Boolean)
    .map((block) => ({ event: /^event: (.*)$/m.exec(block)?.[1], data: JSON.parse(/^data: (.*)$/m.exec(block)?.[1] ?? 'null') as Record<string, unknown> }));

describe('POST /api/copilot/:action (embedded server)', () => {
  it("suggests to whoever may manage the ticket; an agent of another sector is refused", async () => {
    const s = await start();
    const ticket = await newWaitingTicket(s);
    const ana = await login(s, 'ana@atende.local');
    const bruno = await login(s, 'bruno@atende.local');
    const ok = await api<{ result: { replies: unknown[]; actions: unknown[] } }>(s, 'POST', '/api/copilot/suggest', { cookie: ana, body: { ticketId: ticket.id } });
    expect(ok.status).toBe(200);
    expect(Array.isArray(ok.body.result.replies)).toBe(true);
    const denied = await api(s, 'POST', '/api/copilot/suggest', { cookie: bruno, body: { ticketId: ticket.id } });
    expect(denied.status).toBe(403);
    expect((await api(s, 'POST', '/api/copilot/summarize', { cookie: bruno, body: { ticketId: ticket.id } })).status).toBe(403);
    expect((await api(s, 'POST', '/api/copilot/suggest', { body: { ticketId: ticket.id } })).status).toBe(401);
    expect((await api(s, 'POST', '/api/copilot/explode', { cookie: ana, body: { ticketId: ticket.id } })).status).toBe(400);
    const status = await api<{ result: { provider: { configured: boolean } } }>(s, 'POST', '/api/copilot/status', { cookie: ana, body: {} });
    expect(status.body.result.provider.configured).toBe(false);
  });

  it('learns from a ticket as it closes: the next customer with the same question gets that answer', async () => {
    const s = await start();
    const ana = await login(s, 'ana@atende.local');
    const first = await newWaitingTicket(s, 'v-learn-1');
    await run(s, ana, 'ticket.accept', { ticketId: first.id });
    await run(s, ana, 'message.send', { ticketId: first.id, text: 'Para ajuda com o cadastro, acesse Minha conta > Dados e atualize por lá.' });
    await run(s, ana, 'ticket.close', { ticketId: first.id });
    // Learning runs right after the commit that closed the ticket.
    await expect.poll(() => s.app.store.get(refs.copilotExample(first.id))).not.toBeNull();
    const next = await newWaitingTicket(s, 'v-learn-2');
    const r = await api<{ result: { replies: { text: string; source: { kind: string } }[] } }>(s, 'POST', '/api/copilot/suggest', { cookie: ana, body: { ticketId: next.id } });
    expect(r.body.result.replies).toContainEqual(expect.objectContaining({ text: 'Para ajuda com o cadastro, acesse Minha conta > Dados e atualize por lá.', source: expect.objectContaining({ kind: 'answer' }) }));
  });

  it('streams a rewrite from the provider and records token usage; falls back to the offline summary when the provider fails', async () => {
    const fake = await startFakeOpenAI([{ kind: 'stream', chunks: ['Prezado cliente, ', 'verificarei.'], usage: { prompt_tokens: 50, completion_tokens: 6 } }, { kind: 'status', status: 401 }]);
    servers.push(fake);
    const s = await start({ aiProvider: { baseUrl: fake.baseUrl, apiKey: 'k', model: 'm', timeoutMs: 2000, retries: 0 } });
    const ana = await login(s, 'ana@atende.local');
    const t = await newWaitingTicket(s);
    const res = await fetch(`${s.url}/api/copilot/rewrite`, {
      method: 'POST',
      headers: { cookie: ana, 'content-type': 'application/json', accept: 'text/event-stream' },
      body: JSON.stringify({ ticketId: t.id, draft: 'vou ver', mode: 'formal' }),
    });
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const ev = events(await res.text());
    expect(ev.filter((e) => e.event === 'delta').map((e) => e.data.text)).toEqual(['Prezado cliente, ', 'verificarei.']);
    expect(ev.at(-1)).toEqual({ event: 'result', data: { result: { text: 'Prezado cliente, verificarei.', model: 'm' } } });
    expect(s.app.store.get(refs.counter('copilot.tokens.prompt'))?.value).toBe(50);
    const summary = await api<{ result: { source: string; text: string } }>(s, 'POST', '/api/copilot/summarize', { cookie: ana, body: { ticketId: t.id } });
    expect(summary.body.result.source).toBe('offline');
    expect(summary.body.result.text).toContain('preciso de ajuda');
  });
});
