import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseEnv } from '../src/env.ts';
import { prettyLine } from '../src/lib/prettyLog.ts';

const serverEntry = join(import.meta.dirname, '..', 'src', 'server.ts');

describe('the environment, parsed at start (issue 9)', () => {
  it('gives the defaults a fresh machine runs with', () => {
    const parsed = parseEnv({});
    expect(parsed).toEqual({ ok: true, env: expect.objectContaining({ PORT: 3000, HOST: '127.0.0.1', DATA_DIR: './data', LOG_LEVEL: 'info', ATENDE_SEED: 'demo' }) });
  });

  it('reads numbers, flags and JSON into values', () => {
    const parsed = parseEnv({ PORT: '0', ATENDE_WHATSAPP_SIMULATOR: '0', ATENDE_LIMITS: '{"widget":{"messagesPerSessionPerMinute":5}}', PUBLIC_URL: 'https://atende.example.com' });
    expect(parsed.ok && parsed.env).toMatchObject({ PORT: 0, ATENDE_WHATSAPP_SIMULATOR: false, ATENDE_LIMITS: { widget: { messagesPerSessionPerMinute: 5 } }, PUBLIC_URL: 'https://atende.example.com' });
  });

  it('names every wrong variable with what it got', () => {
    const parsed = parseEnv({ PORT: 'abc', LOG_LEVEL: 'loud', PUBLIC_URL: 'atende', ATENDE_LIMITS: '{x', ATENDE_SEED: 'prod', ATENDE_WHATSAPP_SIMULATOR: 'yes' });
    expect(parsed.ok).toBe(false);
    const problems = parsed.ok ? [] : parsed.problems;
    expect(problems).toEqual([
      'PORT must be a whole number between 0 and 65535 (got "abc")',
      'LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent (got "loud")',
      'ATENDE_SEED must be "demo" or "empty" (got "prod")',
      expect.stringMatching(/^ATENDE_LIMITS must be JSON \(.+\) \(got "\{x"\)$/),
      'PUBLIC_URL must be a full URL such as https://atende.example.com (got "atende")',
      'ATENDE_WHATSAPP_SIMULATOR must be 1 or 0 (got "yes")',
    ]);
    expect(parseEnv({ PORT: '70000' }).ok).toBe(false);
    expect(parseEnv({ PORT: '80.5' }).ok).toBe(false);
  });

  it('stops the real server before it opens anything, saying which variable is wrong', () => {
    const run = spawnSync(process.execPath, ['--import', 'tsx', serverEntry], { env: { ...process.env, PORT: 'abc', DATA_DIR: '/nonexistent/never-created' }, encoding: 'utf8', timeout: 60_000 });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('PORT must be a whole number between 0 and 65535 (got "abc")');
    expect(run.stdout).not.toContain('Atende is running');
  });
});

describe('pretty logs at a terminal', () => {
  const line = JSON.stringify({ level: 40, time: Date.UTC(2026, 11, 2, 14, 3, 22), pid: 1, hostname: 'h', msg: 'provider failed', status: 503, action: 'suggest' });

  it('turn a JSON line into time, level, message and fields', () => {
    expect(prettyLine(line, false)).toMatch(/^\d\d:\d\d:\d\d WARN  provider failed {2}status=503 action=suggest$/);
    expect(prettyLine(line, true)).toContain('\x1b[33mWARN');
  });

  it('put the error stack under the line, and pass other text through', () => {
    const withError = JSON.stringify({ level: 50, time: 0, msg: 'boom', err: { message: 'x', stack: 'Error: x\n    at here' } });
    expect(prettyLine(withError, false).split('\n')).toEqual([expect.stringMatching(/ERROR boom$/), 'Error: x', '    at here']);
    expect(prettyLine('not json', false)).toBe('not json');
  });
});
