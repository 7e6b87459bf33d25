import type { z } from 'zod';
import { CommandError, type FieldIssue } from './errors.ts';

const pathOf = (path: readonly PropertyKey[]): string => (path.length === 0 ? '(body)' : path.map(String).join('.'));

export const issuesOf = (error: z.ZodError): FieldIssue[] =>
  error.issues.map((i) => ({ path: pathOf(i.path), message: i.message }));

/** Parses or throws `invalid-argument` naming every field at fault. */
export const parseOrThrow = <T>(schema: z.ZodType<T>, value: unknown, what = 'input'): T => {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issues = issuesOf(result.error);
  const summary = issues
    .slice(0, 3)
    .map((i) => `${i.path}: ${i.message}`)
    .join('; ');
  throw new CommandError('invalid-argument', `Invalid ${what}: ${summary}`, issues);
};
