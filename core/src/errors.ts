/**
 * The error codes a command or query can fail with. They are Firestore's
 * and Cloud Functions' own codes, so the callable maps them one to one.
 */
export type ErrorCode =
  | 'invalid-argument'
  | 'unauthenticated'
  | 'permission-denied'
  | 'not-found'
  | 'already-exists'
  | 'failed-precondition'
  | 'resource-exhausted'
  | 'aborted';

import { reasonOf, type ErrorParams } from './errors/texts.ts';

export * from './errors/texts.ts';

export interface FieldIssue {
  /** Dotted path of the field at fault, e.g. `attachments.0.size`. */
  path: string;
  message: string;
}

export class CommandError extends Error {
  readonly code: ErrorCode;
  readonly issues: FieldIssue[];
  /** The stable code people's screens translate (errors/texts.ts), recognised from the message; null if it has none yet. */
  readonly reason: string | null;
  readonly params: ErrorParams;

  constructor(code: ErrorCode, message: string, issues: FieldIssue[] = []) {
    super(message);
    this.name = 'CommandError';
    this.code = code;
    this.issues = issues;
    const found = reasonOf(message);
    this.reason = found?.reason ?? null;
    this.params = found?.params ?? {};
  }
}

export const httpStatusOf: Record<ErrorCode, number> = {
  'invalid-argument': 400,
  unauthenticated: 401,
  'permission-denied': 403,
  'not-found': 404,
  'already-exists': 409,
  'failed-precondition': 409,
  aborted: 409,
  'resource-exhausted': 429,
};

export const isCommandError = (e: unknown): e is CommandError => e instanceof CommandError;
