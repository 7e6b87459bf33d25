import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import fp from 'fastify-plugin';
import { DEMO_INSTAGRAM } from '@atende/core';
import { FakeInstagram, fakeInstagramRoutes } from './fake.ts';

declare module 'fastify' {
  interface FastifyInstance {
    /** The built-in Instagram simulator, when on. */
    instagramSimulator: FakeInstagram | null;
  }
}

/** Where the fake Instagram Graph API answers on this server. */
export const INSTAGRAM_SIMULATOR_GRAPH_PATH = '/simulator/instagram/graph/v23.0';

const file = (name: string) => readFileSync(new URL(`./${name}`, import.meta.url), 'utf8');

const bad = (message: string, path: string) => ({ error: { code: 'invalid-argument', message, issues: [{ path, message: 'required' }] } });

/**
 * The Instagram simulator (demo only): a fake Graph API the demo's account
 * talks to, and a customer's DM screen at `/simulator/instagram` that sends
 * signed webhooks to `/webhooks/instagram` (messages, "unsend") and shows
 * what the business answered.
 */
export default fp(
  async (app) => {
    const local = () => `http://127.0.0.1:${(app.server.address() as AddressInfo | null)?.port ?? 0}`;
    const fake = new FakeInstagram({
      accountId: DEMO_INSTAGRAM.accountId,
      accessToken: DEMO_INSTAGRAM.secrets.accessToken,
      appSecret: DEMO_INSTAGRAM.secrets.appSecret,
      webhookUrl: () => `${local()}/webhooks/instagram`,
      clock: app.clock,
    });
    app.decorate('instagramSimulator', fake);
    await app.register(fakeInstagramRoutes(fake), { prefix: INSTAGRAM_SIMULATOR_GRAPH_PATH });

    const html = file('index.html');
    const js = file('dm.js');
    const css = file('dm.css');
    app.get('/simulator/instagram', async (_req, reply) => reply.type('text/html; charset=utf-8').header('Cache-Control', 'no-store').send(html));
    app.get('/simulator/instagram/dm.js', async (_req, reply) => reply.type('text/javascript; charset=utf-8').send(js));
    app.get('/simulator/instagram/dm.css', async (_req, reply) => reply.type('text/css; charset=utf-8').send(css));
    app.get('/simulator/instagram/api/thread', async (req) => {
      const customer = String((req.query as { customer?: string }).customer ?? '');
      return { messages: fake.messages.filter((m) => m.customer === customer) };
    });
    app.post('/simulator/instagram/api/send', async (req, reply) => {
      const b = (req.body ?? {}) as { customer?: string; name?: string; username?: string; text?: string };
      const customer = (b.customer ?? '').replace(/\D/g, '');
      if (customer.length < 5) return reply.code(400).send(bad('Informe o seu ID no Instagram (só números). (Give your Instagram id, digits only.)', 'customer'));
      if (!b.text?.trim()) return reply.code(400).send(bad('Escreva uma mensagem. (Write a message.)', 'text'));
      const m = await fake.customerSends({ from: customer, text: b.text.trim().slice(0, 1000), ...(b.name ? { name: b.name } : {}), ...(b.username ? { username: b.username } : {}) });
      return { id: m.id };
    });
    app.post('/simulator/instagram/api/delete', async (req) => {
      const b = (req.body ?? {}) as { mid?: string };
      return { deleted: await fake.customerDeletes(b.mid ?? '') };
    });
  },
  { name: 'instagramSimulator' },
);
