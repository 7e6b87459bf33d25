import type { FastifyPluginAsync } from 'fastify';
import { commandRegistry, executeCommand, runTemplateSync, TEMPLATE_SYNC } from '@atende/core';
import { performHttp } from '../channels/http.ts';
import { citeStoredFiles } from '../lib/citations.ts';
import { errorResponses } from './schemas.ts';

const commandRoutes: FastifyPluginAsync = async (app) => {
  app.post<{ Params: { name: string }; Body: unknown }>(
    '/api/commands/:name',
    {
      schema: {
        params: { type: 'object', required: ['name'], properties: { name: { type: 'string', pattern: '^[A-Za-z.]{1,60}$' } } },
        // Each command validates its own input (zod, in core); here only "a JSON object".
        body: { type: 'object' },
        response: { 200: { type: 'object', properties: { result: {} } }, ...errorResponses },
      },
    },
    async (request) => {
      // template.sync reads the provider's list first (core checks the admin before any request leaves).
      if (request.params.name === TEMPLATE_SYNC)
        return { result: await runTemplateSync(app.deps, request.staff!, request.body ?? {}, { baseUrl: app.channels.baseUrl('whatsapp'), fetch: (call) => performHttp(call) }) };
      const input = citeStoredFiles(app, request.params.name, request.body ?? {});
      const result = await executeCommand(commandRegistry, app.deps, request.staff!, request.params.name, input);
      return { result };
    },
  );

  app.get('/api/health', { schema: { response: { 200: { type: 'object', properties: { ok: { type: 'boolean' } } } } } }, async () => ({ ok: true }));
};

export default commandRoutes;
