import { describe, expect, it } from 'vitest';
import { CopilotIndex, inventsProtocol, learnFromClosedTicket, runCopilot, syncIndex, type FetchLike, type SuggestResult, type SummarizeResult } from '../src/copilot/index.ts';
import { transferSummary } from '../src/copilot/summary.ts';
import { expectError, makeWorld, staff, type World } from './support.ts';

const depsOf = (w: World, index = new CopilotIndex()) => ({ store: w.store, clock: w.deps.clock, index, provider: null });

describe('copilot service (the code behind /api/copilot/:action and the callable)', () => {
  it("answers only those who may manage the ticket: an agent cannot ask about another sector's ticket", async () => {
    const w = await makeWorld();
    const { ticketId } = await w.inbound('site', 'v1', 'O aplicativo fecha sozinho quando abro o carrinho');
    const deps = depsOf(w);
    await expectError(runCopilot(deps, staff('bruno'), 'suggest', { ticketId }), 'permission-denied');
    await expectError(runCopilot(deps, staff('bruno'), 'summarize', { ticketId }), 'permission-denied');
    await expectError(runCopilot(deps, { kind: 'customer', contactId: 'x', channelId: 'site' }, 'suggest', { ticketId }), 'permission-denied');
    const ok = (await runCopilot(deps, staff('ana'), 'suggest', { ticketId })) as SuggestResult;
    expect(ok.generated).toBeNull();
    expect(ok.customerLanguage).toBe('pt');
    await expectError(runCopilot(deps, staff('ana'), 'suggest', {}), 'invalid-argument');
    await expectError(runCopilot(deps, staff('ana'), 'explode', { ticketId }), 'invalid-argument');
    await expectError(runCopilot(deps, staff('ana'), 'suggest', { ticketId: 'nope' }), 'not-found');
  });

  it('learns from tickets as they close, incrementally', async () => {
    const w = await makeWorld();
    const index = new CopilotIndex();
    const { ticketId } = await w.inbound('site', 'v1', 'Meu pedido ainda não chegou');
    await w.run(staff('ana'), 'ticket.accept', { ticketId });
    await w.run(staff('ana'), 'message.send', { ticketId, text: 'Verifiquei: seu pedido chega em até 2 dias úteis.' });
    expect(await learnFromClosedTicket(w.store, ticketId)).toBe(false);
    await w.run(staff('ana'), 'ticket.close', { ticketId, classificationId: 'duvida' });
    expect(await learnFromClosedTicket(w.store, ticketId)).toBe(true);
    expect(await syncIndex(w.store, index)).toBe(1);
    expect(await syncIndex(w.store, index)).toBe(0);
    const next = await w.inbound('site', 'v2', 'O pedido que fiz não chegou');
    w.advance(1000);
    await w.run(staff('ana'), 'ticket.accept', { ticketId: next.ticketId });
    await w.run(staff('ana'), 'message.send', { ticketId: next.ticketId, text: 'Oi!' });
    await w.inbound('site', 'v2', 'pode ver meu pedido atrasado?');
    const s = (await runCopilot(depsOf(w, index), staff('ana'), 'suggest', { ticketId: next.ticketId })) as SuggestResult;
    expect(s.replies[0]).toMatchObject({ text: 'Verifiquei: seu pedido chega em até 2 dias úteis.', source: { kind: 'answer', agentName: 'Ana', ticketId } });
  });

  it('summarises the conversation offline, and rewrite or translate need a provider', async () => {
    const w = await makeWorld();
    const { ticketId } = await w.inbound('site', 'v1', 'Fui cobrado duas vezes na fatura de novembro.');
    await w.run(staff('ana'), 'ticket.accept', { ticketId });
    const r = (await runCopilot(depsOf(w), staff('ana'), 'summarize', { ticketId })) as SummarizeResult;
    expect(r.source).toBe('offline');
    expect(r.summary.customer).toEqual(['Fui cobrado duas vezes na fatura de novembro.']);
    await expectError(runCopilot(depsOf(w), staff('ana'), 'rewrite', { ticketId, draft: 'oi', mode: 'formal' }), 'failed-precondition', /provedor de IA/);
    await expectError(runCopilot(depsOf(w), staff('ana'), 'rewrite', { ticketId, draft: 'oi', mode: 'poético' }), 'invalid-argument');
    await expectError(runCopilot(depsOf(w), staff('ana'), 'translate', { ticketId, text: 'oi', to: 'customer' }), 'failed-precondition');
    expect(await runCopilot(depsOf(w), staff('ana'), 'status', {})).toMatchObject({ provider: { configured: false }, settings: { summary: true, sendHistory: false } });
  });

  it('switched off by the admin, a feature refuses', async () => {
    const w = await makeWorld();
    const { ticketId } = await w.inbound('site', 'v1', 'Olá');
    const settings = (await runCopilot(depsOf(w), staff('ana'), 'status', {})) as { settings: Record<string, boolean> };
    await expectError(w.run(staff('ana'), 'settings.update', { copilot: { ...settings.settings, summary: false } }), 'permission-denied');
    await w.run(staff('alice'), 'settings.update', { copilot: { ...settings.settings, summary: false } });
    await expectError(runCopilot(depsOf(w), staff('ana'), 'summarize', { ticketId }), 'failed-precondition', /desligou/);
  });

  it('a transfer stores and reads nothing for its summary: the receiving console makes it from the thread before the transfer', async () => {
    const w = await makeWorld();
    const { ticketId } = await w.inbound('site', 'v1', 'Boa tarde! Fui cobrado duas vezes na fatura de novembro.');
    await w.run(staff('ana'), 'ticket.accept', { ticketId });
    await w.run(staff('ana'), 'message.send', { ticketId, text: 'Verifiquei a fatura e vou passar para o Financeiro.' });
    expect(transferSummary(w.messages(ticketId))).toBeNull();
    await w.run(staff('ana'), 'ticket.transfer', { ticketId, sectorId: 'financeiro' });
    const thread = w.messages(ticketId);
    expect(thread.filter((m) => m.event?.kind === 'summary')).toEqual([]);
    const summary = transferSummary(thread);
    expect(summary?.key).toBe(thread.find((m) => m.event?.kind === 'transferred')!.id);
    expect(summary!.text).toContain('“Fui cobrado duas vezes na fatura de novembro.”');
    expect(summary!.text).toContain('Ana: Verifiquei a fatura');
    // What the customer says after the transfer is not the handover's.
    await w.inbound('site', 'v1', 'Alguma novidade sobre o estorno da cobrança?');
    expect(transferSummary(w.messages(ticketId))).toEqual(summary);
    // A ticket transferred before this rule keeps the summary line it stored.
    const stored = { ...thread.at(-1)!, id: 'old-summary', direction: 'system' as const, text: 'O cliente disse: “antes”', event: { kind: 'summary' as const, actorName: null } };
    expect(transferSummary([...thread, stored])).toEqual({ key: 'old-summary', text: 'O cliente disse: “antes”' });
  });

  it('a generated reply is grounded: the prompt carries the name, sector and protocol, and a reply quoting another protocol is dropped', async () => {
    const w = await makeWorld();
    const { ticketId, protocol } = await w.inbound('site', 'v-grounded', 'Preciso do número do meu protocolo, por favor');
    await w.run(staff('ana'), 'ticket.accept', { ticketId });
    const bodies: string[] = [];
    let answer = '';
    const fetch: FetchLike = async (_url, init) => {
      bodies.push(init.body);
      const chunk = `data: ${JSON.stringify({ choices: [{ index: 0, delta: { content: answer } }] })}\n\ndata: [DONE]\n\n`;
      return { status: 200, headers: { get: () => 'text/event-stream' }, text: async () => '', body: (async function* () { yield new TextEncoder().encode(chunk); })() };
    };
    const errors: string[] = [];
    const deps = { ...depsOf(w), provider: { baseUrl: 'http://fake/v1', apiKey: null, model: 'm', retries: 0 }, runtime: { fetch }, onProviderError: (e: Error) => errors.push(e.message) };

    answer = `Olá! O número do seu protocolo é ${protocol}.`;
    const kept = (await runCopilot(deps, staff('ana'), 'suggest', { ticketId, generate: true })) as SuggestResult;
    expect(kept.generated?.text).toBe(answer);
    const prompt = JSON.parse(bodies[0]!) as { messages: { role: string; content: string }[] };
    const material = prompt.messages.map((m) => m.content).join('\n');
    expect(material).toContain(`Protocolo deste atendimento: ${protocol}`);
    expect(material).toContain('Setor: Suporte');
    expect(material).toMatch(/Nunca invente .*números de protocolo/);

    answer = 'Seu protocolo é 20250101-99999, já está registrado.';
    const dropped = (await runCopilot(deps, staff('ana'), 'suggest', { ticketId, generate: true })) as SuggestResult;
    expect(dropped.generated).toBeNull();
    expect(errors.at(-1)).toMatch(/protocol number/);
    expect(inventsProtocol('protocolo nº 4321-77', protocol!)).toBe(true);
    expect(inventsProtocol('Vou verificar e te retorno.', protocol!)).toBe(false);
  });
});
