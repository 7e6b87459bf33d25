// @vitest-environment node
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * Issue 9: the SPA's modules read as layers — a store never needs a module
 * that needs it back. Value imports only (`import type` is erased at build).
 */
const src = join(import.meta.dirname, '..', 'src');
const files = (dir: string): string[] =>
  readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : /\.(ts|vue)$/.test(name) ? [path] : [];
  });

const resolveImport = (from: string, spec: string): string | null => {
  const base = spec.startsWith('@/') ? join(src, spec.slice(2)) : spec.startsWith('.') ? resolve(dirname(from), spec) : null;
  if (!base) return null;
  for (const candidate of [base, `${base}.ts`, join(base, 'index.ts')]) if (existsSync(candidate) && statSync(candidate).isFile()) return candidate;
  return null;
};

/** The modules a file loads at run time: value imports, static or lazy (`() => import('…')` in the routes still closes a loop). */
const valueImports = (file: string): string[] =>
  [...readFileSync(file, 'utf8').matchAll(/^import\s+(?!type\b)[^'"]*?from\s+'([^']+)'|^import\s+'([^']+)'|\bimport\(\s*'([^']+)'\s*\)/gm)]
    .map((m) => resolveImport(file, m[1] ?? m[2] ?? m[3]!))
    .filter((f): f is string => f !== null);

const cyclesOf = (graph: Map<string, string[]>): string[][] => {
  const found: string[][] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const stack: string[] = [];
  const visit = (f: string) => {
    state.set(f, 'visiting');
    stack.push(f);
    for (const next of graph.get(f) ?? []) {
      if (state.get(next) === 'visiting') found.push([...stack.slice(stack.indexOf(next)), next].map((p) => relative(src, p)));
      else if (!state.has(next)) visit(next);
    }
    stack.pop();
    state.set(f, 'done');
  };
  for (const f of graph.keys()) if (!state.has(f)) visit(f);
  return found;
};

describe('the SPA import graph', () => {
  it('has no cycle', () => {
    expect(cyclesOf(new Map(files(src).map((f) => [f, valueImports(f)])))).toEqual([]);
  });

  it('finds a cycle through several modules, and reads value imports only', () => {
    const at = (name: string) => join(src, name);
    const graph = new Map([
      [at('a.ts'), [at('b.ts')]],
      [at('b.ts'), [at('c.ts')]],
      [at('c.ts'), [at('a.ts')]],
      [at('d.ts'), [at('a.ts')]],
    ]);
    expect(cyclesOf(graph)).toEqual([['a.ts', 'b.ts', 'c.ts', 'a.ts']]);
    // The conversation store reads the session; the session no longer loads it back.
    expect(valueImports(at('stores/conversation.ts'))).toContain(at('stores/session.ts'));
    expect(valueImports(at('stores/session.ts'))).not.toContain(at('stores/conversation.ts'));
  });
});
