import type { FieldIssue } from '@atende/core';
import { reactive, ref } from 'vue';
import type { ZodType } from 'zod';
import { errorText, reasonOf } from '@core/errors/texts.ts';
import { BackendError } from '@/backend';
import { i18n } from '@/i18n';
import '@/i18n/admin';
import { userMessage } from '@/i18n/errors';

/** The server's field messages are English; the ones an admin meets here are said in their language. */
const SERVER_MESSAGES: Record<string, string> = {
  'already in use': 'admin.serverIssue.alreadyInUse',
  'no such sector': 'admin.serverIssue.noSuchSector',
  'a sector cannot overflow to itself': 'admin.serverIssue.overflowItself',
};
const readable = (message: string) =>
  SERVER_MESSAGES[message]
    ? i18n.global.t(SERVER_MESSAGES[message])
    : reasonOf(message)
      ? errorText({ code: 'invalid-argument', message }, String(i18n.global.locale.value))
      : message;

/**
 * One form's errors by field path (`shortcut`, `bot.menu.0.sectorId`): filled
 * before sending from the same core schema the server uses, and after from
 * the server's `BackendError.issues`, so each message sits next to its field.
 */
export function useFieldErrors() {
  const errors = reactive<Record<string, string>>({});
  const formError = ref<string | null>(null);

  function clear() {
    for (const k of Object.keys(errors)) delete errors[k];
    formError.value = null;
  }

  function set(issues: readonly FieldIssue[]) {
    for (const issue of issues) errors[issue.path] ??= readable(issue.message);
  }

  /** Shows a failed command: field issues by their field, anything else above the buttons. */
  function fromError(e: unknown) {
    if (e instanceof BackendError) {
      set(e.issues.filter((i) => i.path));
      // A field issue says it better, next to its field; the server's sentence would repeat it in English.
      formError.value = e.issues.some((i) => i.path) ? null : userMessage(e);
    } else formError.value = i18n.global.t('error.generic');
  }

  const ok = () => Object.keys(errors).length === 0 && formError.value === null;

  return { errors, formError, clear, set, fromError, ok };
}

type Issue = { code: string; message: string; path: PropertyKey[]; minimum?: number | bigint; maximum?: number | bigint; origin?: string };

const messageOf = (issue: Issue, formatMessage?: string): string => {
  const t = i18n.global.t;
  const numeric = issue.origin === 'number';
  if (issue.code === 'too_small') return numeric ? t('admin.validation.min', { min: Number(issue.minimum ?? 0) }) : t('admin.validation.required');
  if (issue.code === 'too_big') return numeric ? t('admin.validation.max', { max: Number(issue.maximum ?? 0) }) : t('admin.validation.tooLong', { max: Number(issue.maximum ?? 0) });
  if (issue.code === 'invalid_type' && numeric) return t('admin.validation.number');
  if (issue.code === 'invalid_format' && formatMessage) return formatMessage;
  return issue.message;
};

/**
 * Checks one value against a core schema and says what is wrong in the
 * reader's language; `formatMessage` explains a pattern the field must follow.
 */
export function checkField(schema: ZodType, value: unknown, path: string, formatMessage?: string): FieldIssue[] {
  const result = schema.safeParse(value);
  if (result.success) return [];
  return [{ path, message: messageOf(result.error.issues[0] as Issue, formatMessage) }];
}

/** Every problem of a nested value (a settings group), by full path: `autoClose.afterMinutes`. */
export function checkAll(schema: ZodType, value: unknown, prefix: string): FieldIssue[] {
  const result = schema.safeParse(value);
  if (result.success) return [];
  return result.error.issues.map((issue) => ({ path: [prefix, ...issue.path.map(String)].join('.'), message: messageOf(issue as Issue) }));
}
