import { buildApp, type AppOptions } from './app.ts';
import type { SeedMode } from './plugins/firstRun.ts';
import { configureLimits } from '@atende/core';

/** Reads the environment, listens, prints where to go, and closes gracefully. */
const env = process.env;
const seed = (env.ATENDE_SEED ?? 'demo') as SeedMode;
if (seed !== 'demo' && seed !== 'empty') {
  console.error(`ATENDE_SEED must be "demo" or "empty", not "${seed}"`);
  process.exit(1);
}
if (env.ATENDE_LIMITS) {
  try {
    configureLimits(JSON.parse(env.ATENDE_LIMITS));
  } catch (error) {
    console.error(`ATENDE_LIMITS: ${(error as Error).message}`);
    process.exit(1);
  }
}
const port = Number(env.PORT ?? 3000);
const host = env.HOST ?? '127.0.0.1';

const options: AppOptions = {
  dataDir: env.DATA_DIR ?? './data',
  seed,
  logger: { level: env.LOG_LEVEL ?? 'info' },
  trustProxy: env.TRUST_PROXY,
  publicUrl: env.PUBLIC_URL || null,
  ...(seed === 'empty' && {
    admin: { email: env.ATENDE_ADMIN_EMAIL ?? '', password: env.ATENDE_ADMIN_PASSWORD ?? '', name: env.ATENDE_ADMIN_NAME ?? 'Admin' },
  }),
};

const app = await buildApp(options).catch((error: Error) => {
  // Configuration problems (e.g. ATENDE_SEED=empty without an admin) read better without a stack.
  console.error(`Atende could not start: ${error.message}`);
  process.exit(1);
});

try {
  await app.listen({ port, host });
} catch (error) {
  app.log.error(error);
  process.exit(1);
}

const url = `http://${host.includes(':') ? `[${host}]` : host}:${(app.server.address() as { port: number }).port}`;
console.log(`\nAtende is running: ${url}\n`);
if (app.demoLogins) {
  console.log('Demo workspace created. Logins (password for all: ' + app.demoLogins[0]?.password + '):');
  for (const l of app.demoLogins) console.log(`  ${l.role.padEnd(10)} ${l.email.padEnd(28)} ${l.name}`);
  console.log('');
}

let closing = false;
const shutdown = async (signal: string) => {
  if (closing) return;
  closing = true;
  app.log.info({ signal }, 'shutting down');
  const force = setTimeout(() => process.exit(1), 10_000);
  force.unref();
  try {
    await app.close();
    process.exit(0);
  } catch (error) {
    app.log.error(error);
    process.exit(1);
  }
};
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));
