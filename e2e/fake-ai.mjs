// The e2e's AI provider: a local HTTP server speaking OpenAI's
// `/v1/chat/completions` with SSE streaming (the copilot's real protocol), and
// deterministic answers so a spec can assert them: a rewrite prefixes the
// draft with "Prezado(a) cliente," (formal) or "Oi!" (others), a translation
// is "[en] <text>", anything else a short summary-like line.
import { createServer } from 'node:http';

const answerFor = (messages) => {
  const system = String(messages.find((m) => m.role === 'system')?.content ?? '');
  const user = String(messages.find((m) => m.role === 'user')?.content ?? '');
  const draft = /Rascunho do atendente:\n([\s\S]*)$/.exec(user)?.[1]?.trim();
  if (draft !== undefined) return /formal/.test(system) ? `Prezado(a) cliente, ${draft}` : `Oi! ${draft}`;
  const toTranslate = /Texto a traduzir:\n([\s\S]*)$/.exec(user)?.[1]?.trim();
  if (toTranslate !== undefined) return `[en] ${toTranslate}`;
  if (/Resuma/.test(system)) return 'Resumo da IA: o cliente relatou um problema e aguarda retorno.';
  return 'Vou verificar isso para você agora mesmo.';
};

/** Starts the fake on a free port; resolves with its base URL (ending in /v1) and a close function. */
export const startFakeAI = () =>
  new Promise((resolve) => {
    const server = createServer((req, res) => {
      let raw = '';
      req.on('data', (c) => (raw += c));
      req.on('end', () => {
        if (req.method !== 'POST' || req.url !== '/v1/chat/completions') return void res.writeHead(404).end();
        let body;
        try {
          body = JSON.parse(raw);
        } catch {
          return void res.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { message: 'bad json' } }));
        }
        const text = answerFor(Array.isArray(body.messages) ? body.messages : []);
        const words = text.split(/(?<= )/);
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        for (const w of words) res.write(`data: ${JSON.stringify({ model: body.model, choices: [{ index: 0, delta: { content: w } }] })}\n\n`);
        res.write(`data: ${JSON.stringify({ model: body.model, choices: [], usage: { prompt_tokens: raw.length >> 2, completion_tokens: words.length } })}\n\n`);
        res.end('data: [DONE]\n\n');
      });
    });
    server.listen(0, '127.0.0.1', () => resolve({ baseUrl: `http://127.0.0.1:${server.address().port}/v1`, close: () => server.close() }));
  });
