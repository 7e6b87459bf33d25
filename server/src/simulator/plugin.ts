import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import fp from 'fastify-plugin';
import { DEMO_WHATSAPP, refs } from '@atende/core';
import { FakeWhatsApp, fakeGraphRoutes } from './fakeGraph.ts';

declare module 'fastify' {
  interface FastifyInstance {
    /** The built-in WhatsApp simulator, when on. */
    whatsappSimulator: FakeWhatsApp | null;
  }
}

/** Where the fake Graph API answers on this server. */
export const SIMULATOR_GRAPH_PATH = '/simulator/graph/v23.0';

const page = (file: string) => readFileSync(new URL(`./phone/${file}`, import.meta.url), 'utf8');

/**
 * The WhatsApp simulator (demo only): a fake Graph API at
 * `/simulator/graph/v23.0` that the demo's two numbers talk to, and a
 * customer's phone at `/simulator/whatsapp` that sends signed webhooks to
 * `/webhooks/whatsapp` and shows what the business sent, with ticks and buttons.
 */
export default fp(
  async (app) => {
    const local = () => {
      const address = app.server.address() as AddressInfo | null;
      return `http://127.0.0.1:${address?.port ?? 0}`;
    };
    const fake = new FakeWhatsApp({
      numbers: DEMO_WHATSAPP.numbers.map((n) => ({ phoneNumberId: n.phoneNumberId, wabaId: DEMO_WHATSAPP.wabaId, accessToken: DEMO_WHATSAPP.secrets.accessToken, display: n.display })),
      appSecret: DEMO_WHATSAPP.secrets.appSecret,
      webhookUrl: () => `${local()}/webhooks/whatsapp`,
      baseUrl: () => `${local()}${SIMULATOR_GRAPH_PATH}`,
      clock: app.clock,
    });
    app.decorate('whatsappSimulator', fake);
    await app.register(fakeGraphRoutes(fake), { prefix: SIMULATOR_GRAPH_PATH });

    const html = page('index.html');
    const js = page('phone.js');
    const css = page('phone.css');
    app.get('/simulator/whatsapp', async (_req, reply) => reply.type('text/html; charset=utf-8').header('Cache-Control', 'no-store').send(html));
    app.get('/simulator/whatsapp/phone.js', async (_req, reply) => reply.type('text/javascript; charset=utf-8').send(js));
    app.get('/simulator/whatsapp/phone.css', async (_req, reply) => reply.type('text/css; charset=utf-8').send(css));

    // The phone's header names the business as the customer sees it: the channel's name, its number below.
    const channelName = (phoneNumberId: string) => {
      const channelId = DEMO_WHATSAPP.numbers.find((n) => n.phoneNumberId === phoneNumberId)?.channelId;
      return (channelId && app.store.get(refs.channel(channelId))?.name) || null;
    };
    app.get('/simulator/whatsapp/api/numbers', async () => ({
      numbers: fake.options.numbers.map((n) => ({ phoneNumberId: n.phoneNumberId, display: n.display, name: channelName(n.phoneNumberId) })),
    }));
    app.get('/simulator/whatsapp/api/thread', async (req) => {
      const q = req.query as { number?: string; customer?: string };
      const customer = (q.customer ?? '').replace(/\D/g, '');
      const failure = fake.failures.find((f) => f.to === customer);
      return {
        outcome: !failure ? 'deliver' : failure.reported ? 'window' : 'token',
        messages: fake.messages
          .filter((m) => m.phoneNumberId === q.number && m.customer === customer)
          .map(({ raw: _raw, ...m }) => m),
      };
    });
    app.post('/simulator/whatsapp/api/send', async (req, reply) => {
      const b = (req.body ?? {}) as {
        number?: string;
        customer?: string;
        name?: string;
        text?: string;
        reply?: { id: string; title: string };
        file?: { name: string; mime: string; base64: string };
        contextId?: string;
        type?: string;
      };
      const customer = (b.customer ?? '').replace(/\D/g, '');
      if (!b.number || !fake.number(b.number) || customer.length < 8)
        return reply.code(400).send({ error: { code: 'invalid-argument', message: 'Escolha o número da empresa e informe o seu telefone. (Pick a business number and your phone.)', issues: [{ path: 'customer', message: 'required' }] } });
      const m = await fake.customerSends({
        phoneNumberId: b.number,
        from: customer,
        name: b.name?.trim() || customer,
        ...(b.text ? { text: b.text } : {}),
        ...(b.reply ? { reply: b.reply } : {}),
        ...(b.file ? { file: { name: b.file.name, mime: b.file.mime, bytes: Buffer.from(b.file.base64, 'base64'), voice: b.file.mime.startsWith('audio/ogg') } } : {}),
        ...(b.contextId ? { contextId: b.contextId } : {}),
        ...(b.type ? { type: b.type } : {}),
      });
      return { id: m.id };
    });
    app.post('/simulator/whatsapp/api/read', async (req) => {
      const b = (req.body ?? {}) as { number?: string; customer?: string };
      return { read: await fake.customerReads(b.number ?? '', (b.customer ?? '').replace(/\D/g, '')) };
    });
    // What the business's replies to this customer meet: delivered, failed after acceptance (131047) or refused (401).
    const outcomes = {
      deliver: null,
      window: { http: 200, code: 131047, message: 'Re-engagement message', reported: true },
      token: { http: 401, code: 190, message: 'Invalid OAuth access token - Cannot parse access token' },
    } as const;
    app.post('/simulator/whatsapp/api/outcome', async (req, reply) => {
      const b = (req.body ?? {}) as { customer?: string; outcome?: string };
      const customer = (b.customer ?? '').replace(/\D/g, '');
      if (customer.length < 8 || !b.outcome || !(b.outcome in outcomes))
        return reply.code(400).send({ error: { code: 'invalid-argument', message: 'Informe o seu telefone e o que acontece com as respostas. (Give your phone and an outcome.)', issues: [] } });
      for (let i = fake.failures.length - 1; i >= 0; i--) if (fake.failures[i]!.to === customer) fake.failures.splice(i, 1);
      const failure = outcomes[b.outcome as keyof typeof outcomes];
      if (failure) fake.failures.push({ to: customer, ...failure });
      return { outcome: b.outcome };
    });
    app.get('/simulator/whatsapp/api/media/:id', async (req, reply) => {
      const media = fake.mediaOf((req.params as { id: string }).id);
      if (!media) return reply.code(404).send({ error: { code: 'not-found', message: 'Arquivo não encontrado. (File not found.)', issues: [] } });
      return reply.type(media.mime).header('Content-Disposition', `inline; filename="${(media.name ?? 'arquivo').replace(/[^\x20-\x7e]|["\\]/g, '_')}"`).send(media.bytes);
    });
  },
  { name: 'whatsappSimulator' },
);
