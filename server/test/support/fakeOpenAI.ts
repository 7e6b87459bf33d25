import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** How the fake answers one request: a script per call, in order (the last repeats). */
export type FakeStep =
  | { kind: 'stream'; chunks: string[]; usage?: { prompt_tokens: number; completion_tokens: number } }
  | { kind: 'status'; status: number; body?: string; retryAfter?: string }
  | { kind: 'cut'; chunks: string[] }
  | { kind: 'hang' };

/** A local HTTP server speaking OpenAI's `/v1/chat/completions` with SSE streaming, for tests. */
export const startFakeOpenAI = async (steps: FakeStep[]) => {
  const requests: { auth: string | undefined; body: Record<string, unknown> }[] = [];
  const open = new Set<ServerResponse>();
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let raw = '';
    req.on('data', (c: Buffer) => (raw += c.toString()));
    req.on('end', () => {
      if (req.url !== '/v1/chat/completions' || req.method !== 'POST') {
        res.writeHead(404).end();
        return;
      }
      requests.push({ auth: req.headers.authorization, body: JSON.parse(raw) as Record<string, unknown> });
      const step = steps[Math.min(requests.length - 1, steps.length - 1)]!;
      if (step.kind === 'status') {
        res.writeHead(step.status, { 'content-type': 'application/json', ...(step.retryAfter ? { 'retry-after': step.retryAfter } : {}) });
        res.end(step.body ?? JSON.stringify({ error: { message: `status ${step.status}` } }));
        return;
      }
      if (step.kind === 'hang') {
        open.add(res);
        return;
      }
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      const lines = step.chunks.map((c) => `data: ${JSON.stringify({ choices: [{ delta: { content: c }, finish_reason: null }] })}\n\n`);
      if (step.kind === 'cut') {
        // Cut the connection once the partial stream has been flushed to the socket.
        res.write(lines.join(''), () => res.socket?.destroy());
        return;
      }
      for (const l of lines) res.write(l);
      res.write(`data: ${JSON.stringify({ choices: [{ delta: {}, finish_reason: 'stop' }] })}\n\n`);
      if (step.usage) res.write(`data: ${JSON.stringify({ choices: [], usage: step.usage })}\n\n`);
      res.end('data: [DONE]\n\n');
    });
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    requests,
    async close() {
      for (const r of open) r.destroy();
      server.closeAllConnections();
      await new Promise<void>((done) => server.close(() => done()));
    },
  };
};
