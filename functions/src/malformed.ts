import { isCommandError } from '@atende/core';

/**
 * A function that runs by itself (a schedule, a trigger) and needs a configuration document someone broke by hand in
 * the Firebase console: core's read check (core/src/store/validated.ts) refuses it with `failed-precondition`, naming
 * the document and the field in Portuguese, and the store has logged it. Such a run ends there, saying so, instead of
 * throwing: a scheduled function that throws fails again every minute, each time with a stack trace and nothing more.
 * Any other error still throws.
 */
export const isMalformedDocument = (e: unknown): e is Error => isCommandError(e) && e.code === 'failed-precondition' && /está malformado|is malformed/.test(e.message);

export const skippingMalformed = async <T>(run: () => Promise<T>): Promise<T | { skipped: string }> => {
  try {
    return await run();
  } catch (e) {
    if (!isMalformedDocument(e)) throw e;
    return { skipped: e.message };
  }
};

/**
 * A webhook (WhatsApp, Instagram, forwarded e-mail) whose channel was broken by hand: answered with the readable
 * refusal and 503, so the provider delivers it again later (Meta retries for days) and the message arrives once the
 * document is fixed, instead of a 500 "Something went wrong" with a stack trace on every retry.
 */
export const answeringMalformed = async <R extends { status: number; body: unknown }>(run: () => Promise<R>): Promise<R | { status: 503; body: { error: { code: 'failed-precondition'; message: string; issues: { path: string; message: string }[] } } }> => {
  try {
    return await run();
  } catch (e) {
    if (!isMalformedDocument(e)) throw e;
    return { status: 503, body: { error: { code: 'failed-precondition', message: e.message, issues: (e as { issues?: { path: string; message: string }[] }).issues ?? [] } } };
  }
};
