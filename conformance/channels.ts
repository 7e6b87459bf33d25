/**
 * Instagram and e-mail on every backend (issue 16): what the provider sends
 * (a signed Instagram webhook, a raw mail forwarded to the inbound endpoint)
 * becomes a waiting ticket of that channel type (the SPA's icon comes from
 * it); the agent's reply reaches the provider (the fake Instagram Graph API,
 * a local SMTP server) and is marked sent; a refusal is classified into a
 * failure code the SPA says in Portuguese.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SMTPServer } from 'smtp-server';
import { simpleParser, type ParsedMail } from 'mailparser';
import { DEMO_EMAIL, DEMO_INSTAGRAM, type Message, type Ticket } from '@atende/core';
import type { Backend } from '../web/src/backend/types.ts';
import { channel as ptChannel } from '../web/src/i18n/channels.pt-BR.ts';
import type { FakeInstagram } from '../server/src/simulator/instagram/fake.ts';
import { Live, type ConformanceHarness } from './suite.ts';

export interface ChannelHarness extends ConformanceHarness {
  /** The fake Instagram Graph API this backend sends to; its customers' DMs reach this backend's webhook. */
  instagram: FakeInstagram;
  /** A request to one of the backend's provider endpoints (`/webhooks/email/{channelId}`), as the provider sends it. */
  webhook(path: string, headers: Record<string, string>, body: Buffer): Promise<{ status: number; body: unknown }>;
  /** Points the demo e-mail channel's SMTP at a server (what Conexão saves). */
  setSmtp(host: string, port: number): Promise<void>;
}

const REFUSED = 'recusa@cliente.test';

/** The sentence an agent reads for a failure on a channel type (pt-BR). */
const ptFailure = (type: 'instagram' | 'email', code: string): string | undefined =>
  (ptChannel.deliveryOn[type] as Record<string, string>)[code] ?? (ptChannel.delivery as Record<string, string>)[code];

export const defineChannelConformance = (label: string, makeHarness: () => Promise<ChannelHarness>): void => {
  describe(`Instagram and e-mail conformance: ${label}`, () => {
    let h: ChannelHarness;
    // The admin answers: a ticket may overflow from Suporte to Financeiro when nobody there is online.
    let agent: Backend;
    let waiting: Live<Ticket & { id: string }>;
    const lives: Live[] = [];
    const received: ParsedMail[] = [];
    const smtp = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      onRcptTo(address, _session, callback) {
        if (address.address === REFUSED) callback(Object.assign(new Error(`5.1.1 <${REFUSED}>: Recipient address rejected: no such mailbox`), { responseCode: 550 }));
        else callback();
      },
      onData(stream, _session, done) {
        simpleParser(stream).then((m) => {
          received.push(m);
          done();
        }, done);
      },
    });
    const run = Date.now().toString(36);
    const thread = (ticketId: string) => {
      const live = new Live<Message & { id: string }>(agent, 'messages.ofTicket', { ticketId });
      lives.push(live as unknown as Live);
      return live;
    };
    const answer = async (ticketId: string, text: string) => {
      await agent.run('ticket.accept', { ticketId });
      const { message } = await agent.run('message.send', { ticketId, text, clientId: `c-${text.length}-${run}` });
      return message;
    };
    /** Polls a provider-side record (no event to wait on there): each check after the event loop turns. */
    const eventually = async <T>(what: string, read: () => T | undefined | null, ms = 15_000): Promise<T> => {
      const end = Date.now() + ms;
      for (;;) {
        const v = read();
        if (v) return v;
        if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
        await new Promise((r) => setTimeout(r, 20));
      }
    };

    beforeAll(async () => {
      h = await makeHarness();
      await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
      await h.setSmtp('127.0.0.1', (smtp.server.address() as { port: number }).port);
      agent = await h.signIn('admin@atende.local');
      waiting = new Live<Ticket & { id: string }>(agent, 'tickets.waiting', { sectorIds: ['suporte', 'financeiro'] });
      lives.push(waiting as unknown as Live);
      await waiting.ready();
    }, 60_000);
    afterAll(async () => {
      for (const l of lives) l.stop();
      await new Promise<void>((resolve) => smtp.close(() => resolve()));
      await h?.close();
    });

    it('an Instagram DM waits as an Instagram ticket; the answer reaches Instagram and is marked sent', async () => {
      const customer = `1784${run.padStart(12, '7')}`.slice(0, 16);
      await h.instagram.customerSends({ from: customer, name: `Iara ${run}`, text: 'Vocês têm a bolsa preta?' });
      await waiting.until('the DM in Esperando', (l) => [...l.docs.values()].some((t) => t.contact.name === `Iara ${run}`));
      const ticket = [...waiting.docs.values()].find((t) => t.contact.name === `Iara ${run}`)!;
      expect(ticket).toMatchObject({ channelType: 'instagram', channelId: DEMO_INSTAGRAM.channelId, status: 'waiting' });
      const message = await answer(ticket.id, 'Temos sim, Iara!');
      await thread(ticket.id).until('the answer sent', (l) => l.docs.get(message.id)?.status === 'sent', 15_000);
      await eventually('the DM at Instagram', () => h.instagram.messages.find((m) => m.direction === 'out' && m.customer === customer && m.text === 'Temos sim, Iara!'));
    });

    it("Instagram's refusal (a user it does not know) is classified, and the agent reads it in Portuguese", async () => {
      const { ticketId } = await h.inbound({ channelId: DEMO_INSTAGRAM.channelId, externalId: `9${run}`.padEnd(16, '0'), name: `Sumido ${run}`, text: 'oi' });
      const message = await answer(ticketId, 'Olá?');
      const live = thread(ticketId);
      await live.until('the failure', (l) => l.docs.get(message.id)?.status === 'failed', 15_000);
      const failure = live.docs.get(message.id)!.deliveryFailure!;
      expect(failure).toMatchObject({ code: 'invalid-recipient', providerCode: 2018001 });
      expect(ptFailure('instagram', failure.code)).toMatch(/^Não entregue: esta conta do Instagram/);
    });

    it('a forwarded e-mail waits as an e-mail ticket; the answer leaves by SMTP in its thread and is marked sent', async () => {
      const address = `lia.${run}@cliente.test`;
      const raw = `From: Lia ${run} <${address}>\r\nTo: ${DEMO_EMAIL.address}\r\nSubject: Nota fiscal ${run}\r\nMessage-ID: <nf-${run}@cliente.test>\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nPreciso da nota fiscal.\r\n`;
      const auth = { authorization: `Bearer ${DEMO_EMAIL.inboundToken}`, 'content-type': 'message/rfc822' };
      expect((await h.webhook(`/webhooks/email/${DEMO_EMAIL.channelId}`, { ...auth, authorization: 'Bearer errado' }, Buffer.from(raw))).status).toBe(401);
      expect(await h.webhook(`/webhooks/email/${DEMO_EMAIL.channelId}`, auth, Buffer.from(raw))).toMatchObject({ status: 200, body: { outcome: 'received' } });
      await waiting.until('the mail in Esperando', (l) => [...l.docs.values()].some((t) => t.contact.email === address));
      const ticket = [...waiting.docs.values()].find((t) => t.contact.email === address)!;
      expect(ticket).toMatchObject({ channelType: 'email', channelId: DEMO_EMAIL.channelId, status: 'waiting' });
      const message = await answer(ticket.id, 'Segue a nota, Lia.');
      await thread(ticket.id).until('the answer sent', (l) => l.docs.get(message.id)?.status === 'sent', 15_000);
      const mail = await eventually('the reply mail', () => received.find((m) => m.text?.includes('Segue a nota, Lia.')));
      expect(mail.inReplyTo).toBe(`<nf-${run}@cliente.test>`);
      expect(mail.subject).toMatch(new RegExp(`^Re: Nota fiscal ${run} \\[#\\d{8}-\\d{5,}\\]$`));
    });

    it("the mail server's refusal of the address is classified, and the agent reads it in Portuguese", async () => {
      const raw = `From: ${REFUSED}\r\nTo: ${DEMO_EMAIL.address}\r\nSubject: Teste ${run}\r\nMessage-ID: <r-${run}@cliente.test>\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nOi\r\n`;
      expect((await h.webhook(`/webhooks/email/${DEMO_EMAIL.channelId}`, { authorization: `Bearer ${DEMO_EMAIL.inboundToken}`, 'content-type': 'message/rfc822' }, Buffer.from(raw))).status).toBe(200);
      await waiting.until('the mail in Esperando', (l) => [...l.docs.values()].some((t) => t.contact.email === REFUSED));
      const ticket = [...waiting.docs.values()].find((t) => t.contact.email === REFUSED)!;
      const message = await answer(ticket.id, 'Resposta que não chega');
      const live = thread(ticket.id);
      await live.until('the failure', (l) => l.docs.get(message.id)?.status === 'failed', 15_000);
      const failure = live.docs.get(message.id)!.deliveryFailure!;
      expect(failure).toMatchObject({ code: 'invalid-recipient', providerCode: 550 });
      expect(ptFailure('email', failure.code)).toBe('Não entregue: o servidor de e-mail recusou o endereço do cliente.');
    });
  });
};
