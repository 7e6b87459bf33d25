import type { Settings } from '@atende/core';

type Policy = Settings['attachments'];

/**
 * The families an admin toggles, as the MIME patterns the server checks
 * (server/src/lib/sniff.ts types a file by its bytes). Office holds only the
 * formats the server can tell apart inside a zip; plain text covers CSV too,
 * since any UTF-8 file is typed text/plain.
 */
export const ATTACHMENT_FAMILIES = [
  { key: 'images', patterns: ['image/*'] },
  { key: 'audio', patterns: ['audio/*'] },
  { key: 'video', patterns: ['video/*'] },
  { key: 'pdf', patterns: ['application/pdf'] },
  {
    key: 'office',
    patterns: ['application/vnd.openxmlformats-officedocument.wordprocessingml.document', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'],
  },
  { key: 'text', patterns: ['text/plain'] },
  { key: 'zip', patterns: ['application/zip'] },
] as const;

export type AttachmentFamily = (typeof ATTACHMENT_FAMILIES)[number]['key'];

export interface AttachmentPolicyForm {
  maxMegabytes: number;
  families: Record<AttachmentFamily, boolean>;
  /** Patterns outside the families, one per entry (e.g. `application/json`). */
  extra: string[];
}

const MEGABYTE = 1024 * 1024;
export const MIN_BYTES = 1024;
export const MAX_BYTES = 100 * MEGABYTE;

/** A family is on only when all its patterns are allowed; a lone pattern of a family stays in `extra`, so nothing is lost. */
export const formOf = (policy: Policy): AttachmentPolicyForm => {
  const allowed = new Set(policy.allowedTypes);
  const families = Object.fromEntries(ATTACHMENT_FAMILIES.map((f) => [f.key, f.patterns.every((p) => allowed.has(p))])) as Record<AttachmentFamily, boolean>;
  const covered = new Set<string>(ATTACHMENT_FAMILIES.filter((f) => families[f.key]).flatMap((f) => f.patterns));
  return {
    maxMegabytes: Math.round((policy.maxBytes / MEGABYTE) * 100) / 100,
    families,
    extra: policy.allowedTypes.filter((p) => !covered.has(p)),
  };
};

export const policyOf = (form: AttachmentPolicyForm): Policy => {
  const fromFamilies = ATTACHMENT_FAMILIES.filter((f) => form.families[f.key]).flatMap((f) => f.patterns);
  const extra = form.extra.map((p) => p.trim().toLowerCase()).filter(Boolean);
  return { maxBytes: Math.round(form.maxMegabytes * MEGABYTE), allowedTypes: [...new Set([...fromFamilies, ...extra])] };
};

/** Switching a family off also takes its patterns out of the extras, or the switch would seem not to work. */
export const withoutFamily = (extra: readonly string[], family: AttachmentFamily): string[] => {
  const patterns = new Set<string>(ATTACHMENT_FAMILIES.find((f) => f.key === family)!.patterns);
  return extra.filter((p) => !patterns.has(p.trim().toLowerCase()));
};

const MIME_PATTERN = /^[a-z0-9][a-z0-9.+-]*\/([a-z0-9][a-z0-9.+-]*|\*)$/;

/** Splits the free-form list (commas, spaces or lines) into patterns. */
export const parseExtra = (text: string): string[] =>
  text
    .split(/[\s,;]+/)
    .map((p) => p.trim().toLowerCase())
    .filter(Boolean);

/** The first typed pattern that is not a MIME type like `application/json` or `font/*`. */
export const invalidPattern = (patterns: readonly string[]): string | null => patterns.find((p) => !MIME_PATTERN.test(p)) ?? null;
