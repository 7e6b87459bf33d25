import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import Fastify from 'fastify';
import { DEMO_INSTAGRAM, refs } from '@atende/core';
import { defineChannelConformance } from '../../conformance/channels.ts';
import { firestoreHarness } from '../../conformance/firestore.ts';
import { FakeInstagram, fakeInstagramRoutes } from '../../server/src/simulator/instagram/fake.ts';
import { channelCarriers } from '../src/channels.ts';
import { handleEmailInbound } from '../src/email.ts';
import { handleInstagramWebhook } from '../src/instagram.ts';
import { storeOf } from '../src/deps.ts';

defineChannelConformance('Firebase (instagramWebhook, emailInbound, outbox carriers, Firestore)', async () => {
  // The outbox trigger with the Instagram and e-mail carriers (WhatsApp stays without one here, as in the main suite).
  const h = await firestoreHarness({ carriers: (deps) => ({ instagram: channelCarriers(deps).instagram, email: channelCarriers(deps).email }) });
  // The instagramWebhook function over HTTP, which the fake Instagram's signed posts reach.
  const hook = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      void handleInstagramWebhook(h.deps, { method: req.method ?? 'POST', path: '/', query: {}, headers: req.headers, rawBody: Buffer.concat(chunks) }).then(
        (r) => res.writeHead(r.status, { 'content-type': 'application/json' }).end(JSON.stringify(r.body)),
        () => res.writeHead(500).end(),
      );
    });
  });
  await new Promise<void>((r) => hook.listen(0, '127.0.0.1', r));
  const instagram = new FakeInstagram({
    accountId: DEMO_INSTAGRAM.accountId,
    accessToken: DEMO_INSTAGRAM.secrets.accessToken,
    appSecret: DEMO_INSTAGRAM.secrets.appSecret,
    webhookUrl: () => `http://127.0.0.1:${(hook.address() as AddressInfo).port}/`,
    clock: Date.now,
  });
  const graph = Fastify();
  await graph.register(fakeInstagramRoutes(instagram), { prefix: '/v23.0' });
  await graph.listen({ port: 0, host: '127.0.0.1' });
  process.env.ATENDE_INSTAGRAM_GRAPH_URL = `http://127.0.0.1:${(graph.server.address() as AddressInfo).port}/v23.0`;
  return {
    ...h,
    instagram,
    webhook: (path, headers, body) => handleEmailInbound(h.deps, { method: 'POST', path, query: {}, headers, rawBody: body }),
    setSmtp: (host, port) =>
      storeOf(h.deps.db).transaction(async (tx) => {
        const channel = (await tx.get(refs.channel('email')))!;
        tx.set(refs.channel(channel.id), { ...channel, mail: { imap: null, smtp: { host, port, secure: false, user: '' }, fromName: 'Atende' }, updatedAt: Date.now() });
      }),
    async close() {
      delete process.env.ATENDE_INSTAGRAM_GRAPH_URL;
      await graph.close();
      await new Promise((r) => hook.close(r));
      await h.close();
    },
  };
});
