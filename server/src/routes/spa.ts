import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyPluginAsync } from 'fastify';
import fastifyStatic from '@fastify/static';
import { CommandError } from '@atende/core';

const NOT_BUILT = `<!doctype html>
<html lang="pt-BR"><head><meta charset="utf-8"><title>Atende</title></head>
<body style="font-family: system-ui, sans-serif; max-width: 40rem; margin: 4rem auto; line-height: 1.5">
<h1>Atende</h1>
<p>O servidor está no ar, mas a interface ainda não foi compilada. Rode <code>npm run build</code> e recarregue.</p>
<p lang="en">The server is running but the web app has not been built yet: run <code>npm run build</code> and reload.</p>
</body></html>`;

/**
 * The console's Content-Security-Policy: scripts only from this origin (no
 * inline or injected script runs even if some text slipped through as HTML),
 * no plugins, no framing by other sites. Styles allow inline attributes (Vue's
 * style bindings); media may be blobs (recordings, previews); sockets may reach
 * wss: servers (the softphone's PBX) and, without TLS, only a PBX on this very
 * machine (development and the softphone e2e's Kamailio).
 */
export const CONSOLE_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "media-src 'self' blob:",
  "font-src 'self' data:",
  "connect-src 'self' wss: ws://127.0.0.1:* ws://localhost:*",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'self'",
].join('; ');

/**
 * Serves the built SPA (`web/dist`): hashed assets cached for a year, HTML
 * never cached; unknown non-API paths fall back to the console, `/widget/*`
 * to the widget page.
 */
const spaRoutes: FastifyPluginAsync = async (app) => {
  const root = app.config.webDist;
  const built = existsSync(join(root, 'index.html'));
  if (built) {
    await app.register(fastifyStatic, {
      root,
      wildcard: false,
      index: false,
      setHeaders(res, path) {
        res.header('X-Content-Type-Options', 'nosniff');
        res.header('Referrer-Policy', 'same-origin');
        if (path.endsWith('.html')) {
          res.header('Cache-Control', 'no-cache');
          // The console must not be framed by another site (clickjacking); the widget is made to be.
          if (!path.endsWith('widget.html')) res.header('Content-Security-Policy', CONSOLE_CSP).header('X-Frame-Options', 'SAMEORIGIN');
        }
        else if (path.includes(`${join(root, 'assets')}`)) res.header('Cache-Control', 'public, max-age=31536000, immutable');
        else res.header('Cache-Control', 'public, max-age=3600');
      },
    });
  }
  const hasWidget = built && existsSync(join(root, 'widget.html'));

  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0] ?? '/';
    if (path.startsWith('/api/') || path === '/api' || (request.method !== 'GET' && request.method !== 'HEAD'))
      throw new CommandError('not-found', `No route ${request.method} ${path}`);
    if (!built) return reply.code(path === '/' ? 200 : 404).type('text/html; charset=utf-8').send(NOT_BUILT);
    const page = (path === '/widget' || path.startsWith('/widget/')) && hasWidget ? 'widget.html' : 'index.html';
    return reply.sendFile(page);
  });
};

export default spaRoutes;
