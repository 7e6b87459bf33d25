import type { FastifyPluginAsync } from 'fastify';
import { CommandError, httpStatusOf, isCommandError } from '@atende/core';
import { runCopilot } from '@atende/core/copilot';
import { errorResponses } from './schemas.ts';

/**
 * `POST /api/copilot/:action` (suggest, summarize, rewrite, translate, status):
 * core's `runCopilot` for the staff member behind the session. With
 * `Accept: text/event-stream` the provider's text is streamed as it is
 * generated (`event: delta`), then `event: result` (or `event: error`).
 */
const copilotRoutes: FastifyPluginAsync = async (app) => {
  app.post<{ Params: { action: string }; Body: unknown }>(
    '/api/copilot/:action',
    {
      schema: {
        params: { type: 'object', required: ['action'], properties: { action: { type: 'string', pattern: '^[a-z]{1,20}$' } } },
        body: { type: 'object' },
        response: errorResponses,
      },
    },
    async (request, reply) => {
      const actor = request.staff!;
      if (!(request.headers.accept ?? '').includes('text/event-stream'))
        return reply.send({ result: await runCopilot(app.copilot, actor, request.params.action, request.body ?? {}) });
      reply.hijack();
      const res = reply.raw;
      res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', 'x-accel-buffering': 'no' });
      const send = (event: string, data: unknown) => res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
      try {
        const result = await runCopilot(app.copilot, actor, request.params.action, request.body ?? {}, (delta) => send('delta', { text: delta }));
        send('result', { result });
      } catch (e) {
        const error = isCommandError(e) ? e : new CommandError('aborted', 'O copiloto falhou. (The copilot failed.)');
        if (!isCommandError(e)) request.log.error({ err: e }, 'copilot failed');
        send('error', { status: httpStatusOf[error.code], error: { code: error.code, message: error.message, issues: error.issues, reason: error.reason, params: error.params } });
      }
      res.end();
    },
  );
};

export default copilotRoutes;
