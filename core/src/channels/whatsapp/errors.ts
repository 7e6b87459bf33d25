import type { DeliveryFailure, HttpAnswer, SendResult } from '../types.ts';

/**
 * Meta's Cloud API error codes (Graph `error.code`, and `errors[].code` of
 * a `failed` status), classified: retried by the outbox, given up with a
 * reason the agent reads, or the channel needs an admin.
 */
const RATE_LIMITED = new Set([4, 80007, 130429, 131048, 131056, 613]);
const AUTH = new Set([0, 3, 10, 190, 200, 131005]);
const WINDOW = new Set([131047]);
const RECIPIENT = new Set([131026, 131030, 131021, 131045]);
const TEMPLATE = new Set([132000, 132001, 132005, 132007, 132012, 132015, 132016, 132068, 132069]);
const MEDIA = new Set([131052, 131053]);
const UNAVAILABLE = new Set([1, 2, 131000, 131016, 133004]);

export const failureOf = (providerCode: number | null, detail: string | null, httpStatus: number): DeliveryFailure => {
  const code =
    providerCode !== null && WINDOW.has(providerCode)
      ? 'window-closed'
      : providerCode !== null && RECIPIENT.has(providerCode)
        ? 'invalid-recipient'
        : (providerCode !== null && RATE_LIMITED.has(providerCode)) || httpStatus === 429
          ? 'rate-limited'
          : (providerCode !== null && AUTH.has(providerCode)) || httpStatus === 401
            ? 'auth'
            : providerCode !== null && TEMPLATE.has(providerCode)
              ? 'template-rejected'
              : providerCode !== null && MEDIA.has(providerCode)
                ? 'media-rejected'
                : (providerCode !== null && UNAVAILABLE.has(providerCode)) || httpStatus === 0 || httpStatus >= 500
                  ? 'provider-unavailable'
                  : 'rejected';
  return { code, providerCode, detail: detail ? detail.slice(0, 500) : null };
};

/** What to do about a failure: retry it, give up, or flag the channel. */
export const resultOf = (failure: DeliveryFailure, afterMs?: number): Exclude<SendResult, { kind: 'sent' }> => {
  if (failure.code === 'rate-limited' || failure.code === 'provider-unavailable') return afterMs ? { kind: 'retry', failure, afterMs } : { kind: 'retry', failure };
  if (failure.code === 'auth') return { kind: 'attention', failure };
  return { kind: 'give-up', failure };
};

interface GraphError {
  error?: { message?: string; code?: number; error_data?: { details?: string } };
}

/** A Graph error answer (`{error: {code, message, error_data: {details}}}`) or a transport failure, classified. */
export const graphFailure = (answer: HttpAnswer): Exclude<SendResult, { kind: 'sent' }> => {
  const err = (answer.body as GraphError | null)?.error;
  const providerCode = typeof err?.code === 'number' ? err.code : null;
  const detail = err ? [err.message, err.error_data?.details].filter(Boolean).join(': ') : answer.status === 0 ? String(answer.body ?? 'no answer') : `HTTP ${answer.status}`;
  const retryAfter = Number(answer.headers['retry-after']);
  return resultOf(failureOf(providerCode, detail, answer.status), Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter * 1000 : undefined);
};
