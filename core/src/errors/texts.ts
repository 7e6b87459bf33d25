/**
 * Every error a person can meet, by a stable code, in pt-BR and en (issue 13):
 * the customers' texts (customerTexts.ts, which the widget bundles alone) and
 * the staff's (staffTexts.ts). How to add one: see customerTexts.ts.
 * Staff entries come first: they are the more specific ones.
 */
import { CUSTOMER_ERROR_TEXTS, textsTranslator } from './customerTexts.ts';
import { STAFF_ERROR_TEXTS } from './staffTexts.ts';

export { ERROR_FALLBACKS, type ErrorParams, type ErrorText, type Locale } from './customerTexts.ts';

export const ERROR_TEXTS = { ...STAFF_ERROR_TEXTS, ...CUSTOMER_ERROR_TEXTS };

export type ErrorReason = keyof typeof ERROR_TEXTS;

export const { reasonOf, errorText } = textsTranslator<ErrorReason>(ERROR_TEXTS);
