import { createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { FakeWhatsApp } from './fakeGraph.ts';
import { graphError, MAX_MESSAGES } from './graphError.ts';

/** Mounts the Graph routes of a fake on a Fastify instance (under the prefix it is registered with). */
export const fakeGraphRoutes = (fake: FakeWhatsApp) => async (app: FastifyInstance) => {
  app.addHook('onRequest', async (req) => {
    fake.requests.push({ method: req.method, url: req.url, body: null });
    if (fake.requests.length > MAX_MESSAGES) fake.requests.splice(0, fake.requests.length - MAX_MESSAGES);
  });
  app.post('/:id/messages', async (req, reply) => {
    const r = await fake.send((req.params as { id: string }).id, req.headers.authorization, (req.body ?? {}) as Record<string, unknown>);
    fake.requests.at(-1)!.body = req.body;
    return reply.code(r.status).send(r.body);
  });
  app.post('/:id/media', async (req, reply) => {
    const n = fake.number((req.params as { id: string }).id);
    if (!n || req.headers.authorization !== `Bearer ${n.accessToken}`) return reply.code(401).send(graphError(401, 190, 'Invalid OAuth access token').body);
    const file = await req.file();
    if (!file) return reply.code(400).send(graphError(400, 100, '(#100) The parameter file is required').body);
    const bytes = await file.toBuffer();
    return { id: fake.storeMedia(bytes, file.mimetype, file.filename ?? null) };
  });
  app.get('/media-download/:id', async (req, reply) => {
    const media = fake.mediaOf((req.params as { id: string }).id);
    const authorised = fake.options.numbers.some((n) => req.headers.authorization === `Bearer ${n.accessToken}`);
    if (!authorised) return reply.code(401).send(graphError(401, 190, 'Invalid OAuth access token').body);
    if (!media) return reply.code(404).send(graphError(404, 100, 'Media not found').body);
    return reply.type(media.mime).send(media.bytes);
  });
  app.get('/:id/message_templates', async (req, reply) => {
    const n = fake.number((req.params as { id: string }).id);
    if (!n || req.headers.authorization !== `Bearer ${n.accessToken}`) return reply.code(401).send(graphError(401, 190, 'Invalid OAuth access token').body);
    const q = req.query as { limit?: string; after?: string };
    const limit = Math.max(1, Math.min(Number(q.limit ?? 25) || 25, 100));
    const start = q.after ? Number(Buffer.from(q.after, 'base64url').toString()) : 0;
    const page = fake.templates.slice(start, start + limit);
    const cursor = (i: number) => Buffer.from(String(i)).toString('base64url');
    const more = start + limit < fake.templates.length;
    const base = `${fake.options.baseUrl()}/${n.wabaId}/message_templates?limit=${limit}`;
    return { data: page, paging: { cursors: { before: cursor(start), after: cursor(start + page.length) }, ...(more ? { next: `${base}&after=${cursor(start + page.length)}` } : {}) } };
  });
  app.get('/:id', async (req, reply) => {
    const id = (req.params as { id: string }).id;
    const media = fake.mediaOf(id);
    const authorised = fake.options.numbers.some((n) => req.headers.authorization === `Bearer ${n.accessToken}`);
    if (!authorised) return reply.code(401).send(graphError(401, 190, 'Invalid OAuth access token').body);
    if (!media) return reply.code(404).send(graphError(404, 100, `Unsupported get request. Object with ID '${id}' does not exist`).body);
    return {
      messaging_product: 'whatsapp',
      url: `${fake.options.baseUrl()}/media-download/${id}`,
      mime_type: media.mime,
      sha256: createHash('sha256').update(media.bytes).digest('hex'),
      file_size: String(media.bytes.length),
      id,
    };
  });
};
