// @vitest-environment node
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const src = join(import.meta.dirname, '..', 'src');
const files = (dir: string): string[] =>
  readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : /\.(ts|vue)$/.test(name) ? [path] : [];
  });

describe('console bundle', () => {
  // A value import from '@atende/core' loads its whole index: zod, every command and the
  // seed (≈70 KB gzip), which alone breaks the 200 KB budget. Pure modules come through '@core/…'.
  it('imports only types from @atende/core (the Firebase driver files, a separate chunk, excepted)', () => {
    const offenders = files(src)
      .filter((f) => !relative(src, f).startsWith('widget') && !/backend\/firebase\w*\.ts$/.test(f))
      .filter((f) => /import\s+(?!type\b)[^;]*from\s+'@atende\/core'/.test(readFileSync(f, 'utf8')))
      .map((f) => relative(src, f));
    expect(offenders).toEqual([]);
  });
});
