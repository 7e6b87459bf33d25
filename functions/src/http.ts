import { isCommandError, type CommandError } from '@atende/core';

/** The HTTP functions' request and answer, without Express, so tests call them directly. */
export interface WebhookRequest {
  method: string;
  /** Path after the function's base, e.g. `/whatsapp/whatsapp`. */
  path: string;
  query: Record<string, unknown>;
  headers: Record<string, string | string[] | undefined>;
  rawBody: Buffer;
}

export interface WebhookResponse {
  status: number;
  body: string | Record<string, unknown>;
}

/** The error body every HTTP answer uses: `{error: {code, message, issues}}`. */
export const bad = (status: number, code: string, message: string, issues: { path: string; message: string }[] = []): WebhookResponse => ({
  status,
  body: { error: { code, message, issues } },
});

/** A callable error: the CommandError's own code, never `internal` for a caller's mistake. */
export interface CallableFailure {
  code: CommandError['code'] | 'internal';
  message: string;
  details?: { issues: CommandError['issues']; reason: string | null; params: Record<string, string> };
}

export const failureOf = (e: unknown): CallableFailure => {
  if (isCommandError(e)) return { code: e.code, message: e.message, details: { issues: e.issues, reason: e.reason, params: e.params } };
  return { code: 'internal', message: 'Something went wrong on our side. Try again.' };
};
