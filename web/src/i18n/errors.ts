import { errorText } from '@core/errors/texts.ts';
import { i18n } from './index.ts';

/**
 * What a person reads for any failure: the server's stable code (or, for
 * older messages, the code recognised from its text) in the reader's
 * language — never the server's English (core/src/errors/texts.ts).
 */
export const userMessage = (e: unknown): string => {
  const locale = String(i18n.global.locale.value);
  if (e && typeof e === 'object' && ('code' in e || 'reason' in e)) return errorText(e as Parameters<typeof errorText>[0], locale);
  return errorText({ code: 'internal' }, locale);
};
