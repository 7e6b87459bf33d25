import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import Fastify, { type FastifyError, type FastifyInstance, type FastifyServerOptions } from 'fastify';
import cookie from '@fastify/cookie';
import multipart from '@fastify/multipart';
import websocket from '@fastify/websocket';
import rateLimit from '@fastify/rate-limit';
import { trustProxyFrom } from './lib/trustProxy.ts';
import { logSocketError } from './lib/socketErrors.ts';
import { CommandError, LIMITS, httpStatusOf, type Clock, type ErrorBody } from '@atende/core';
import './types.ts';
import db from './plugins/db.ts';
import auth from './plugins/auth.ts';
import realtime from './plugins/realtime.ts';
import outbox from './plugins/outbox.ts';
import channels from './plugins/channels.ts';
import webhookRoutes from './routes/webhooks.ts';
import whatsappSimulator, { SIMULATOR_GRAPH_PATH } from './simulator/plugin.ts';
import instagramSimulator, { INSTAGRAM_SIMULATOR_GRAPH_PATH } from './simulator/instagram/plugin.ts';
import type { AddressInfo } from 'node:net';
import scheduler from './plugins/scheduler.ts';
import presence from './plugins/presence.ts';
import firstRun, { type SeedMode } from './plugins/firstRun.ts';
import authRoutes from './routes/auth.ts';
import commandRoutes from './routes/commands.ts';
import fileRoutes from './routes/files.ts';
import quickReplyFileRoutes from './routes/quickReplyFiles.ts';
import widgetRoutes from './routes/widget.ts';
import liveRoutes from './routes/live.ts';
import spaRoutes from './routes/spa.ts';
import copilot from './plugins/copilot.ts';
import copilotRoutes from './routes/copilot.ts';
import type { ProviderConfig } from '@atende/core/copilot';
import emailChannel from './channels/email.ts';
import emailInboundRoutes from './routes/emailInbound.ts';

export interface AppOptions {
  dataDir: string;
  logger?: FastifyServerOptions['logger'];
  clock?: Clock;
  /** What an empty data directory starts with (default `demo`). */
  seed?: SeedMode;
  /** With the demo seed, its month of closed tickets (default on; the server's tests leave it out unless they need it). */
  demoHistory?: boolean;
  admin?: { email: string; password: string; name: string };
  /** Where the built SPA is (default `web/dist` of this repository). */
  webDist?: string;
  /**
   * Behind a reverse proxy (`TRUST_PROXY`): `true` or 1 trusts the one proxy in front, N trusts N hops,
   * a list of addresses/CIDRs trusts those (client address for rate limits, https for Secure cookies).
   */
  trustProxy?: boolean | number | string;
  /** The console's public URL (`PUBLIC_URL`): the only origin browsers may use the staff API from; https makes cookies Secure. */
  publicUrl?: string | null;
  /** Base of every WhatsApp Graph call (default ATENDE_WHATSAPP_GRAPH_URL, else the simulator when on, else https://graph.facebook.com/v23.0). */
  whatsappGraphUrl?: string;
  /** The WhatsApp simulator (fake Graph API + phone page); default on for the demo seed only (ATENDE_WHATSAPP_SIMULATOR=1/0 overrides). */
  whatsappSimulator?: boolean;
  /** Base of every Instagram call (default ATENDE_INSTAGRAM_GRAPH_URL, else the simulator when on, else https://graph.instagram.com/v23.0). */
  instagramGraphUrl?: string;
  /** The Instagram simulator (fake Graph API + DM page); default on for the demo seed only (ATENDE_INSTAGRAM_SIMULATOR=1/0 overrides). */
  instagramSimulator?: boolean;
  /** How often live sockets are pinged and their sessions re-checked (default 30 s). */
  heartbeatMs?: number;
  /** Frames per second each live socket is read at (default LIMITS.live.maxFramesPerSecond); tests of other bounds lift it. */
  liveFramesPerSecond?: number;
  /** The AI provider (default: from `ATENDE_AI_*`); null for none. */
  aiProvider?: ProviderConfig | null;
}

const repoRoot = resolve(fileURLToPath(new URL('.', import.meta.url)), '../..');

const errorOf = (code: ErrorBody['error']['code'], message: string, issues: ErrorBody['error']['issues'] = []): ErrorBody => ({ error: { code, message, issues } });

/** Fastify's own 4xx errors (schema validation, bad JSON, bodies too large) in the same shape as command errors. */
const fromFastify = (error: FastifyError): { status: number; body: ErrorBody } | null => {
  if (error.validation) {
    const issues = error.validation.map((v) => {
      const missing = (v.params as { missingProperty?: string } | undefined)?.missingProperty;
      const base = v.instancePath.replace(/^\//, '').replaceAll('/', '.');
      const path = missing ? [base, missing].filter(Boolean).join('.') : base || `(${error.validationContext ?? 'body'})`;
      return { path, message: v.message ?? 'is invalid' };
    });
    const summary = issues.map((i) => `${i.path}: ${i.message}`).join('; ');
    return { status: 400, body: errorOf('invalid-argument', `Invalid ${error.validationContext ?? 'input'}: ${summary}`, issues) };
  }
  const status = error.statusCode ?? 500;
  if (status < 400 || status >= 500) return null;
  if (status === 401) return { status, body: errorOf('unauthenticated', error.message) };
  if (status === 403) return { status, body: errorOf('permission-denied', error.message) };
  if (status === 404) return { status, body: errorOf('not-found', error.message) };
  if (status === 429) return { status, body: errorOf('resource-exhausted', error.message) };
  const path = error.code === 'FST_ERR_CTP_EMPTY_JSON_BODY' || error.code?.startsWith('FST_ERR_CTP') ? '(body)' : '(request)';
  return { status, body: errorOf('invalid-argument', error.message, [{ path, message: error.message }]) };
};

/** Bearer tokens ride in the query string of the widget's socket and file links: never write them to logs. */
export const redactUrl = (url: string): string => url.replace(/([?&]token=)[^&#]*/g, '$1[redacted]');

const withSafeSerializers = (logger: AppOptions['logger']): FastifyServerOptions['logger'] => {
  if (!logger) return false;
  const serializers = {
    req: (req: { method?: string; url?: string; ip?: string }) => ({ method: req.method, url: redactUrl(req.url ?? ''), remoteAddress: req.ip }),
  };
  if (logger === true) return { serializers };
  const given = logger as { serializers?: Record<string, unknown> };
  return { ...logger, serializers: { ...given.serializers, ...serializers } } as FastifyServerOptions['logger'];
};

/** The whole embedded server as one Fastify instance, not yet listening. */
export const buildApp = async (options: AppOptions): Promise<FastifyInstance> => {
  const app = Fastify({
    logger: withSafeSerializers(options.logger),
    trustProxy: trustProxyFrom(options.trustProxy),
    bodyLimit: 1024 * 1024,
    // Prototype-poisoning keys are dropped rather than refused, so validation then names the field they were in.
    onProtoPoisoning: 'remove',
    onConstructorPoisoning: 'remove',
    ajv: { customOptions: { coerceTypes: false, removeAdditional: false, allErrors: true } },
  });
  // app.close() stops listening and closes the idle keep-alive connections once. A request still running then (a
  // provider's status webhook, a command) answers, and its connection would stay open: the close would wait for it
  // up to keepAliveTimeout (72 s). Until the server has closed, a connection is closed as soon as it is idle.
  let closeIdle: NodeJS.Timeout | undefined;
  app.addHook('preClose', async () => {
    closeIdle = setInterval(() => app.server.closeIdleConnections(), 50).unref();
  });
  app.addHook('onClose', async () => clearInterval(closeIdle));
  const dataDir = resolve(options.dataDir);
  app.decorate('config', { dataDir, filesDir: join(dataDir, 'files'), webDist: resolve(options.webDist ?? join(repoRoot, 'web/dist')) });

  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error instanceof CommandError) {
      const body = errorOf(error.code, error.message, error.issues);
      return reply.code(httpStatusOf[error.code]).send({ error: { ...body.error, reason: error.reason, params: error.params } });
    }
    const known = fromFastify(error);
    if (known) return reply.code(known.status).send(known.body);
    request.log.error({ err: error }, 'unexpected error');
    return reply.code(500).send(errorOf('internal', 'Internal error'));
  });

  await app.register(cookie);
  // Limits are declared per route (login, widget); keys are never a client-chosen value alone.
  await app.register(rateLimit, {
    global: false,
    cache: 10_000,
    errorResponseBuilder: (_request, context) =>
      new CommandError('resource-exhausted', `Muitas requisições: aguarde ${context.after}. (Too many requests: wait ${context.after}.)`, [
        { path: '(request)', message: `retry after ${context.after}` },
      ]),
  });
  await app.register(multipart, { limits: { fileSize: 100 * 1024 * 1024, files: 1, fields: 10, fieldSize: 1024 } });
  await app.register(websocket, {
    options: { maxPayload: LIMITS.live.maxFrameBytes },
    errorHandler: (error, socket, request) => logSocketError(error, socket, request.log),
    // 1001 "going away" tells clients to reconnect (to this server once it is back).
    preClose: async () => {
      for (const client of app.websocketServer.clients) client.close(1001, 'server shutting down');
      await new Promise<void>((done) => app.websocketServer.close(() => done()));
    },
  });
  await app.register(db, { dataDir, clock: options.clock ?? Date.now });
  await app.register(auth, { publicUrl: options.publicUrl ?? null });
  await app.register(outbox);
  const envSimulator = process.env.ATENDE_WHATSAPP_SIMULATOR;
  const simulatorOn = options.whatsappSimulator ?? (envSimulator ? envSimulator === '1' || envSimulator === 'true' : (options.seed ?? 'demo') === 'demo');
  if (simulatorOn) await app.register(whatsappSimulator);
  else app.decorate('whatsappSimulator', null);
  // The simulators' URLs, known once listening; the port is asked of the socket once (getsockname is a system call per webhook otherwise).
  let ownPort = 0;
  const selfUrl = (path: string) => () => `http://127.0.0.1:${(ownPort ||= (app.server.address() as AddressInfo | null)?.port ?? 0)}${path}`;
  const graphUrl = options.whatsappGraphUrl ?? process.env.ATENDE_WHATSAPP_GRAPH_URL ?? (simulatorOn ? selfUrl(SIMULATOR_GRAPH_PATH) : undefined);
  const envInstagram = process.env.ATENDE_INSTAGRAM_SIMULATOR;
  const instagramOn = options.instagramSimulator ?? (envInstagram ? envInstagram === '1' || envInstagram === 'true' : (options.seed ?? 'demo') === 'demo');
  if (instagramOn) await app.register(instagramSimulator);
  else app.decorate('instagramSimulator', null);
  const instagramUrl =
    options.instagramGraphUrl ??
    process.env.ATENDE_INSTAGRAM_GRAPH_URL ??
    (instagramOn ? selfUrl(INSTAGRAM_SIMULATOR_GRAPH_PATH) : undefined);
  await app.register(channels, {
    ...(graphUrl ? { whatsappGraphUrl: graphUrl } : {}),
    ...(instagramUrl ? { instagramGraphUrl: instagramUrl } : {}),
    publicUrl: options.publicUrl ?? selfUrl(''),
  });
  await app.register(realtime, {
    ...(options.heartbeatMs !== undefined && { heartbeatMs: options.heartbeatMs }),
    ...(options.liveFramesPerSecond !== undefined && { maxFramesPerSecond: options.liveFramesPerSecond }),
  });
  await app.register(scheduler);
  await app.register(presence);
  await app.register(emailChannel);
  await app.register(firstRun, { seed: options.seed ?? 'demo', history: options.demoHistory ?? true, ...(options.admin ? { admin: options.admin } : {}) });
  await app.register(authRoutes);
  await app.register(commandRoutes);
  await app.register(fileRoutes);
  await app.register(quickReplyFileRoutes);
  await app.register(widgetRoutes);
  await app.register(webhookRoutes);
  await app.register(emailInboundRoutes);
  await app.register(liveRoutes);
  await app.register(copilot, options.aiProvider !== undefined ? { provider: options.aiProvider } : {});
  await app.register(copilotRoutes);
  await app.register(spaRoutes);
  return app;
};

export default buildApp;
