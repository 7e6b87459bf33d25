/**
 * Copilot conformance (issue 12): the same answers through the SPA's
 * `Backend.copilot` on every backend — suggestions grounded in the ticket
 * (the customer's name, the real protocol, never a made-up one), the offline
 * summary, refusals for a ticket of another sector, rewrite without a
 * provider refused with a reason, and the provider's status.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Backend, BackendError } from '../web/src/backend/types.ts';
import type { ConformanceHarness } from './suite.ts';

let visitor = 0;
const nextVisitor = () => `copilot-${Date.now().toString(36)}-${++visitor}`;

const failureOf = async (p: Promise<unknown>): Promise<BackendError> => {
  try {
    await p;
  } catch (e) {
    return e as BackendError;
  }
  throw new Error('expected the call to fail');
};

export const defineCopilotConformance = (label: string, makeHarness: () => Promise<ConformanceHarness>): void => {
  describe(`copilot conformance: ${label}`, () => {
    let h: ConformanceHarness;
    let ana: Backend;
    let bruno: Backend;
    let ticketId: string;
    let protocol: string;

    beforeAll(async () => {
      h = await makeHarness();
      [ana, bruno] = await Promise.all([h.signIn('ana@atende.local'), h.signIn('bruno@atende.local')]);
      const opened = await h.inbound({ channelId: 'site', externalId: nextVisitor(), name: 'Marina Lopes', text: 'Oi, minha internet caiu e o modem não liga de jeito nenhum' });
      ticketId = opened.ticketId;
      const { ticket } = await ana.run('ticket.accept', { ticketId });
      protocol = ticket.protocol;
    });
    afterAll(async () => {
      await h?.close();
    });

    it('suggests at most three replies with variables filled from this ticket, never another protocol', async () => {
      const result = await ana.copilot('suggest', { ticketId });
      expect(result.replies.length).toBeGreaterThan(0);
      expect(result.replies.length).toBeLessThanOrEqual(3);
      for (const r of result.replies) {
        expect(r.text).not.toMatch(/\{\{/);
        for (const p of r.text.match(/\d{8}-\d{4,}/g) ?? []) expect(p).toBe(protocol);
      }
      // The greeting quick reply (/ola) names the customer and the agent.
      const greeting = result.replies.find((r) => r.source.kind === 'quickReply' && r.source.shortcut === 'ola');
      if (greeting) expect(greeting.text).toContain('Marina Lopes');
      expect(result.replies.some((r) => r.source.kind === 'quickReply' && r.source.shortcut === 'reiniciar')).toBe(true);
      expect(result.customerLanguage).toBe('pt');
    });

    it('summarises offline, quoting the customer', async () => {
      const { text, source } = await ana.copilot('summarize', { ticketId });
      expect(source).toBe('offline');
      expect(text).toContain('modem não liga');
    });

    it('refuses a ticket of another sector (same rule as managing it)', async () => {
      expect((await failureOf(bruno.copilot('suggest', { ticketId }))).code).toBe('permission-denied');
      expect((await failureOf(bruno.copilot('summarize', { ticketId }))).code).toBe('permission-denied');
    });

    it('rewrite needs a provider: refused with a reason, and the status says none is configured', async () => {
      const refused = await failureOf(ana.copilot('rewrite', { ticketId, draft: 'oi tudo bem', mode: 'formal' }));
      expect(refused.code).toBe('failed-precondition');
      expect(refused.message).toMatch(/ATENDE_AI_BASE_URL|provedor/);
      const status = await ana.copilot('status', {});
      expect(status.provider.configured).toBe(false);
      expect(status.settings.suggestions).toBe(true);
    });

    it('bad input names the field', async () => {
      const bad = await failureOf(ana.copilot('rewrite', { ticketId, draft: '', mode: 'formal' }));
      expect(bad.code).toBe('invalid-argument');
      expect(bad.issues.some((i) => i.path.includes('draft'))).toBe(true);
    });
  });
};
