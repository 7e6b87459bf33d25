/**
 * Web-chat conformance (issue 10): what a widget visitor gets is the same on
 * every backend — the customer's projection of their ticket (core's
 * customerTicketView: the agent's name, never internal fields), only the
 * `in`/`out` lines, file links that carry a short-lived key and never the
 * session's credential, and the per-session quotas of LIMITS.widget.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { configureLimits, customerTicketView, LIMITS, resetLimits, type Ticket } from '@atende/core';
import type { Backend } from '../web/src/backend/types.ts';
import type { LiveListener, WidgetLive } from '../web/src/widget/live.ts';
import type { WidgetTransport } from '../web/src/widget/transport.ts';
import type { ConformanceHarness } from './suite.ts';

export interface WidgetHarness extends ConformanceHarness {
  /** A fresh browser's widget transport (a new visitor). */
  widget(): WidgetTransport;
}

const INTERNAL = ['assigneeId', 'sectorId', 'tagIds', 'classificationId', 'closedBy', 'unread', 'queuedAt', 'acceptedAt'];

/** Follows one of the widget's live queries. */
const follow = (live: WidgetLive, query: string, params: Record<string, unknown>) => {
  const docs = new Map<string, Record<string, unknown>>();
  const listener: LiveListener = (event) => {
    if (event.type === 'snapshot') {
      docs.clear();
      for (const d of event.docs) docs.set(d.id as string, d);
    } else if (event.type === 'changes')
      for (const c of event.changes) {
        const d = c.doc as { id: string } & Record<string, unknown>;
        if (c.type === 'removed') docs.delete(d.id);
        else docs.set(d.id, d);
      }
  };
  const stop = live.subscribe(query, params, listener);
  return { docs, stop };
};

export const defineWidgetConformance = (label: string, makeHarness: () => Promise<WidgetHarness>): void => {
  describe(`web-chat conformance: ${label}`, () => {
    let h: WidgetHarness;
    let ana: Backend;
    const lives: WidgetLive[] = [];
    let n = 0;

    beforeAll(async () => {
      // Before the backend starts: the embedded server builds its rate limits from LIMITS once.
      configureLimits({ widget: { messagesPerSessionPerMinute: 2 } });
      h = await makeHarness();
      ana = await h.signIn('ana@atende.local');
    }, 60_000);
    afterAll(async () => {
      resetLimits();
      for (const l of lives) l.close();
      await h?.close();
    });

    const visitor = async (name: string) => {
      const transport = h.widget();
      const { token, contactId } = await transport.session('site', { name });
      const live = transport.connect(token);
      lives.push(live);
      const send = (text: string) => transport.send(token, { text, attachments: [], clientMessageId: `conf-${++n}` });
      return { transport, token, contactId, live, send };
    };

    it("gives the visitor core's projection of their ticket: the agent's name, nothing internal, and only the in/out lines", async () => {
      const v = await visitor('Conformância');
      const sent = await v.send('Olá, preciso de ajuda');
      const tickets = follow(v.live, 'customer.tickets', {});
      await vi.waitFor(() => expect(tickets.docs.get(sent.ticketId)).toBeDefined(), { timeout: 8000 });
      let seen = tickets.docs.get(sent.ticketId)!;
      if (seen.status === 'bot') await ana.run('ticket.transfer', { ticketId: sent.ticketId, sectorId: 'suporte' });
      await ana.run('ticket.accept', { ticketId: sent.ticketId });
      await ana.run('ticket.setTags', { ticketId: sent.ticketId, tagIds: ['vip'] });
      await ana.run('message.send', { ticketId: sent.ticketId, text: 'Oi! Sou a Ana.' });
      await vi.waitFor(() => expect(tickets.docs.get(sent.ticketId)).toMatchObject({ status: 'open', assigneeName: expect.stringMatching(/^Ana/) }), { timeout: 8000 });
      seen = tickets.docs.get(sent.ticketId)!;
      for (const field of INTERNAL) expect(seen).not.toHaveProperty(field);
      // Exactly the projection's fields: what staff read of the same ticket, projected by core.
      const staffView = (await new Promise<Ticket>((resolve) => {
        const stop = ana.subscribe('ticket', { id: sent.ticketId }, (e) => {
          if (e.type === 'snapshot' && e.docs[0]) {
            resolve(e.docs[0] as Ticket);
            queueMicrotask(stop);
          }
        });
      })) as unknown as Record<string, unknown>;
      expect(Object.keys(seen).sort()).toEqual(Object.keys(customerTicketView(staffView)).sort());
      const thread = follow(v.live, 'customer.messages', { ticketId: sent.ticketId });
      await vi.waitFor(() => expect([...thread.docs.values()].map((m) => m.text)).toContain('Oi! Sou a Ana.'), { timeout: 8000 });
      expect([...thread.docs.values()].every((m) => m.direction === 'in' || m.direction === 'out')).toBe(true);
    });

    it("gives file links a short-lived key and never the visitor's session credential", async () => {
      const v = await visitor('Arquivos');
      const { ticketId } = await v.send('Mando um arquivo');
      const link = new URL(v.transport.fileUrl(v.token, ticketId, 'att-1'), 'http://localhost');
      expect([...link.searchParams.keys()]).toEqual(['key']);
      expect(link.searchParams.get('key')).toMatch(/\S/);
      expect(link.href).not.toContain(encodeURIComponent(v.token));
    });

    it('refuses a session past LIMITS.widget.messagesPerSessionPerMinute (2 here) with resource-exhausted, and not its neighbour', async () => {
      expect(LIMITS.widget.messagesPerSessionPerMinute).toBe(2);
      const v = await visitor('Apressado');
      await v.send('um');
      await v.send('dois');
      await expect(v.send('três')).rejects.toMatchObject({ code: 'resource-exhausted' });
      await (await visitor('Vizinho')).send('oi');
    });
  });
};
