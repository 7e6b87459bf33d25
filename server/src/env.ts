import { z } from 'zod';

/**
 * Every environment variable the embedded server reads, parsed once at start
 * (issue 9): `PORT=abc` stops the server with a sentence naming the variable,
 * not a NaN port. Tests build the app with options and never come here.
 */
const port = z.coerce
  .number({ error: 'must be a whole number between 0 and 65535' })
  .int({ error: 'must be a whole number between 0 and 65535' })
  .min(0, { error: 'must be a whole number between 0 and 65535' })
  .max(65535, { error: 'must be a whole number between 0 and 65535' });
const url = z.url({ error: 'must be a full URL such as https://atende.example.com' });
const flag = z.enum(['0', '1', 'true', 'false'], { error: 'must be 1 or 0' }).transform((v) => v === '1' || v === 'true');
const blankIsUnset = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);

export const EnvSchema = z.object({
  PORT: z.preprocess(blankIsUnset, port.default(3000)),
  HOST: z.preprocess(blankIsUnset, z.string().default('127.0.0.1')),
  DATA_DIR: z.preprocess(blankIsUnset, z.string().default('./data')),
  LOG_LEVEL: z.preprocess(
    blankIsUnset,
    z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], { error: 'must be one of fatal, error, warn, info, debug, trace, silent' }).default('info'),
  ),
  /** json | pretty; default pretty when stdout is a terminal, JSON lines otherwise (journald, files). */
  LOG_FORMAT: z.preprocess(blankIsUnset, z.enum(['json', 'pretty'], { error: 'must be json or pretty' }).optional()),
  ATENDE_SEED: z.preprocess(blankIsUnset, z.enum(['demo', 'empty'], { error: 'must be "demo" or "empty"' }).default('demo')),
  ATENDE_ADMIN_EMAIL: z.string().optional(),
  ATENDE_ADMIN_PASSWORD: z.string().optional(),
  ATENDE_ADMIN_NAME: z.preprocess(blankIsUnset, z.string().default('Admin')),
  ATENDE_LIMITS: z.preprocess(
    blankIsUnset,
    z
      .string()
      .transform((text, ctx) => {
        try {
          return JSON.parse(text) as unknown;
        } catch (error) {
          ctx.addIssue({ code: 'custom', message: `must be JSON (${(error as Error).message})` });
          return z.NEVER;
        }
      })
      .optional(),
  ),
  PUBLIC_URL: z.preprocess(blankIsUnset, url.optional()),
  TRUST_PROXY: z.preprocess(blankIsUnset, z.string().optional()),
  ATENDE_WHATSAPP_GRAPH_URL: z.preprocess(blankIsUnset, url.optional()),
  ATENDE_WHATSAPP_SIMULATOR: z.preprocess(blankIsUnset, flag.optional()),
  ATENDE_INSTAGRAM_GRAPH_URL: z.preprocess(blankIsUnset, url.optional()),
  ATENDE_AI_BASE_URL: z.preprocess(blankIsUnset, url.optional()),
  ATENDE_AI_TIMEOUT_MS: z.preprocess(blankIsUnset, z.coerce.number({ error: 'must be a number of milliseconds' }).positive({ error: 'must be a positive number of milliseconds' }).optional()),
});
export type Env = z.infer<typeof EnvSchema>;

/** The parsed environment, or every problem as one line per variable (`PORT must be a whole number… (got "abc")`). */
export const parseEnv = (env: Record<string, string | undefined>): { ok: true; env: Env } | { ok: false; problems: string[] } => {
  const parsed = EnvSchema.safeParse(env);
  if (parsed.success) return { ok: true, env: parsed.data };
  return {
    ok: false,
    problems: parsed.error.issues.map((issue) => {
      const name = String(issue.path[0] ?? 'environment');
      return `${name} ${issue.message} (got ${JSON.stringify(env[name] ?? '')})`;
    }),
  };
};
