import type { FastifyPluginAsync } from 'fastify';
import { commandRegistry, executeCommand } from '@atende/core';
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
      const input = citeStoredFiles(app, request.params.name, request.body ?? {});
      const result = await executeCommand(commandRegistry, app.deps, request.staff!, request.params.name, input);
      return { result };
    },
  );

  app.get('/api/health', { schema: { response: { 200: { type: 'object', properties: { ok: { type: 'boolean' } } } } } }, async () => ({ ok: true }));
};

export default commandRoutes;
