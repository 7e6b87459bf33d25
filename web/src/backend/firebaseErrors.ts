import { isCommandError } from '@atende/core';
import { BackendError } from './types.ts';

const FUNCTIONS_PREFIX = 'functions/';
const FIRESTORE_PREFIX = 'firestore/';

/** Any Firebase SDK or callable failure as the BackendError the stores expect. */
export const backendErrorOf = (e: unknown): BackendError => {
  if (e instanceof BackendError) return e;
  if (isCommandError(e)) return new BackendError(e.code, e.message, e.issues, 0, e.reason, e.params);
  const err = e as { code?: unknown; message?: unknown; details?: { issues?: unknown; reason?: unknown; params?: unknown } } | null;
  let code = typeof err?.code === 'string' ? err.code : 'internal';
  if (code.startsWith(FUNCTIONS_PREFIX)) code = code.slice(FUNCTIONS_PREFIX.length);
  if (code.startsWith(FIRESTORE_PREFIX)) code = code.slice(FIRESTORE_PREFIX.length);
  if (code.startsWith('auth/')) code = code === 'auth/too-many-requests' ? 'resource-exhausted' : 'unauthenticated';
  const issues = Array.isArray(err?.details?.issues) ? (err.details.issues as BackendError['issues']) : [];
  const message = typeof err?.message === 'string' ? err.message : 'Something went wrong';
  const reason = typeof err?.details?.reason === 'string' ? err.details.reason : null;
  const params = err?.details?.params && typeof err.details.params === 'object' ? (err.details.params as Record<string, string>) : {};
  return new BackendError(code, message, issues, 0, reason, params);
};
