import { buildApp, type AppOptions } from './app.ts';
import { configureLimits } from '@atende/core';
import { parseEnv } from './env.ts';
import { prettyStream } from './lib/prettyLog.ts';

/** Reads the environment, listens, prints where to go, and closes gracefully. */
const parsed = parseEnv(process.env);
if (!parsed.ok) {
  console.error(`Atende could not start: the environment is not valid.\n${parsed.problems.map((p) => `  ${p}`).join('\n')}`);
  process.exit(1);
}
const env = parsed.env;
if (env.ATENDE_LIMITS !== undefined) {
  try {
    configureLimits(env.ATENDE_LIMITS);
  } catch (error) {
    console.error(`Atende could not start: ATENDE_LIMITS ${(error as Error).message}`);
    process.exit(1);
  }
}
const port = env.PORT;
const host = env.HOST;
const pretty = env.LOG_FORMAT ? env.LOG_FORMAT === 'pretty' : process.stdout.isTTY === true;

const options: AppOptions = {
  dataDir: env.DATA_DIR,
  seed: env.ATENDE_SEED,
  logger: { level: env.LOG_LEVEL, ...(pretty && { stream: prettyStream(process.stdout) }) },
  trustProxy: env.TRUST_PROXY,
  publicUrl: env.PUBLIC_URL ?? null,
  ...(env.ATENDE_SEED === 'empty' && {
    admin: { email: env.ATENDE_ADMIN_EMAIL ?? '', password: env.ATENDE_ADMIN_PASSWORD ?? '', name: env.ATENDE_ADMIN_NAME },
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
