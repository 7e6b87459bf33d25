import type { Settings } from '@atende/core';
import { typeAllowed } from '@core/attachments/rules.ts';

export type AttachmentPolicy = Settings['attachments'];

/** "820 KB", "3,4 MB": sizes as people read them. */
export const formatBytes = (bytes: number, locale = 'pt-BR'): string => {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${new Intl.NumberFormat(locale, { maximumFractionDigits: 1 }).format(bytes / (1024 * 1024))} MB`;
};

export const extensionOf = (name: string): string => {
  const dot = name.lastIndexOf('.');
  return dot > 0 && dot < name.length - 1 ? name.slice(dot).toLowerCase() : '';
};

/** The attachment type rule is core's, the one the server and the functions check uploads with. */
export { typeAllowed };

export type Refusal = { kind: 'type'; what: string } | { kind: 'size'; max: string } | { kind: 'empty' };

/**
 * Why a file would be refused, before spending the upload on it. The browser
 * types a file by its name, so this is a courtesy: the server types it again
 * by its content and has the last word.
 */
export const refusalOf = (file: { name: string; size: number; type: string }, policy: AttachmentPolicy | null, locale = 'pt-BR'): Refusal | null => {
  if (file.size === 0) return { kind: 'empty' };
  if (!policy) return null;
  if (!typeAllowed(file.type, policy.allowedTypes)) return { kind: 'type', what: extensionOf(file.name) || file.type || file.name };
  if (file.size > policy.maxBytes) return { kind: 'size', max: formatBytes(policy.maxBytes, locale) };
  return null;
};
