/**
 * WhatsApp conformance (issue 11): on every backend the same fake Graph API
 * (the simulator's) plays Meta and the customer's phone. A signed webhook
 * opens a waiting ticket; the reply goes out as a Graph request and its
 * statuses come back to the thread's ticks; moving the conversation to the
 * other number leaves its 24-hour window closed there, so free text is
 * refused and a template goes out from that number, until the customer
 * answers on it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_WHATSAPP, type Message, type MessageTemplate, type Ticket } from '@atende/core';
import type { FakeWhatsApp } from '../server/src/simulator/fakeGraph.ts';
import type { Backend, BackendError } from '../web/src/backend/types.ts';
import { Live, type ConformanceHarness } from './suite.ts';

export interface WhatsAppHarness extends ConformanceHarness {
  /** The fake Graph API of this backend: Meta's side, and the customer's phone that posts signed webhooks. */
  phone: FakeWhatsApp;
}

const [COMERCIAL, SUPORTE] = DEMO_WHATSAPP.numbers;

export const defineWhatsAppConformance = (label: string, makeHarness: () => Promise<WhatsAppHarness>): void => {
  describe(`WhatsApp conformance: ${label}`, () => {
    let h: WhatsAppHarness;
    let admin: Backend;
    const lives: Live[] = [];
    const follow = <T extends { id: string }>(query: string, params: Record<string, unknown> = {}) => {
      const live = new Live<T & Record<string, unknown>>(admin, query, params);
      lives.push(live as unknown as Live);
      return live;
    };
    // One customer per run: the suite may run on a data set earlier tests wrote to.
    const customer = `55119${String(Date.now() % 1e8).padStart(8, '0')}`;
    const name = `Cliente Conformidade ${customer.slice(-4)}`;
    let ticketId = '';
    let thread: Live<Message & Record<string, unknown>>;

    const outTo = (phoneNumberId: string, text: string) =>
      h.phone.messages.find((m) => m.direction === 'out' && m.customer === customer && m.phoneNumberId === phoneNumberId && m.text.includes(text));
    const waitOut = async (phoneNumberId: string, text: string) => {
      const end = Date.now() + 10_000;
      while (!outTo(phoneNumberId, text)) {
        if (Date.now() > end) throw new Error(`nothing sent to the phone from ${phoneNumberId} containing "${text}"`);
        await new Promise((r) => setTimeout(r, 20));
      }
      return outTo(phoneNumberId, text)!;
    };

    beforeAll(async () => {
      h = await makeHarness();
      admin = await h.signIn('admin@atende.local');
    }, 90_000);
    afterAll(async () => {
      for (const l of lives) l.stop();
      await h?.close();
    });

    it('a signed webhook from the phone opens a waiting ticket on the number it was sent to', async () => {
      const waiting = follow<Ticket>('tickets.waiting', { sectorIds: ['suporte', 'financeiro'] });
      await waiting.ready();
      await h.phone.customerSends({ phoneNumberId: SUPORTE.phoneNumberId, from: customer, name, text: 'Oi, o boleto não chegou' });
      await waiting.until('the WhatsApp ticket', (l) => [...l.docs.values()].some((t) => t.contact.name === name));
      const ticket = [...waiting.docs.values()].find((t) => t.contact.name === name)!;
      expect(ticket).toMatchObject({ channelId: SUPORTE.channelId, channelType: 'whatsapp', status: 'waiting' });
      expect(ticket.windowFrom).toEqual(expect.any(Number));
      ticketId = ticket.id;
    });

    it("the reply is delivered to the fake Graph API and the phone's statuses move its ticks", async () => {
      await admin.run('ticket.accept', { ticketId });
      const { message } = await admin.run('message.send', { ticketId, text: 'Olá! Vou reenviar agora.', attachments: [], clientId: null, quoteId: null });
      const sent = await waitOut(SUPORTE.phoneNumberId, 'Olá! Vou reenviar agora.');
      expect(sent.type).toBe('text');
      thread = follow<Message>('messages.ofTicket', { ticketId });
      await thread.until('delivered', (l) => l.docs.get(message.id)?.status === 'delivered');
      expect(thread.docs.get(message.id)?.channelMessageId).toBe(sent.id);
      await h.phone.customerReads(SUPORTE.phoneNumberId, customer);
      await thread.until('read', (l) => l.docs.get(message.id)?.status === 'read');
    });

    it('on another number the window is closed: free text is refused, a template goes out from it, and the answer there opens it again', async () => {
      await admin.run('ticket.transfer', { ticketId, channelId: COMERCIAL.channelId });
      const refused = await admin.run('message.send', { ticketId, text: 'Texto livre', attachments: [], clientId: null, quoteId: null }).catch((e: BackendError) => e);
      expect((refused as BackendError).code).toBe('failed-precondition');
      expect(h.phone.messages.some((m) => m.direction === 'out' && m.customer === customer && m.text === 'Texto livre')).toBe(false);

      await admin.run('template.sync', { channelId: COMERCIAL.channelId, templates: [] });
      const templates = follow<MessageTemplate>('templates.all');
      const usable = (t: MessageTemplate) => t.channelId === COMERCIAL.channelId && t.status === 'APPROVED' && t.language === 'pt_BR';
      await templates.until('the synced templates', (l) => [...l.docs.values()].some(usable));
      const template = [...templates.docs.values()].filter(usable).sort((a, b) => a.variables - b.variables)[0]!;
      const params = Array.from({ length: template.variables }, (_, i) => (i === 0 ? name : `valor ${i + 1}`));
      await admin.run('message.sendTemplate', { ticketId, templateId: template.id, params, clientId: null });
      const out = await waitOut(COMERCIAL.phoneNumberId, template.variables > 0 ? name : template.body.slice(0, 20));
      expect(out.type).toBe('template');

      await h.phone.customerSends({ phoneNumberId: COMERCIAL.phoneNumberId, from: customer, name, text: 'Pode mandar por aqui' });
      await thread.until('the answer on the new number in the same thread', (l) => [...l.docs.values()].some((m) => m.direction === 'in' && m.text === 'Pode mandar por aqui'));
      await admin.run('message.send', { ticketId, text: 'Enviado pelo número comercial', attachments: [], clientId: null, quoteId: null });
      await waitOut(COMERCIAL.phoneNumberId, 'Enviado pelo número comercial');
    });
  });
};
