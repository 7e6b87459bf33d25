import type { QuickReply } from './model/index.ts';

/** The variables a quick reply may use, filled in before the agent sends it (B5). */
export interface TemplateVars {
  contact: { name: string };
  agent: { name: string };
  ticket: { protocol: string };
  sector: { name: string };
}

export const TEMPLATE_VARIABLES = ['contact.name', 'agent.name', 'ticket.protocol', 'sector.name'] as const;

/** Replaces `{{contact.name}}` and friends; unknown variables are left as written so the agent sees them. */
export const expandTemplate = (text: string, vars: TemplateVars): string =>
  text.replace(/\{\{\s*([a-z]+)\.([a-z]+)\s*\}\}/gi, (whole, scope: string, field: string) => {
    const value = (vars as unknown as Record<string, Record<string, string> | undefined>)[scope]?.[field];
    return typeof value === 'string' ? value : whole;
  });

/** Quick replies offered in a sector (those with no sectors are offered everywhere), filtered by what follows `/`. */
export const quickRepliesFor = (all: readonly QuickReply[], sectorId: string | null, typed: string): QuickReply[] => {
  const needle = typed.trim().toLowerCase();
  return all
    .filter((q) => q.sectorIds.length === 0 || (sectorId !== null && q.sectorIds.includes(sectorId)))
    .filter((q) => !needle || q.shortcut.toLowerCase().includes(needle) || q.text.toLowerCase().includes(needle))
    .sort((a, b) => Number(!a.shortcut.toLowerCase().startsWith(needle)) - Number(!b.shortcut.toLowerCase().startsWith(needle)) || a.shortcut.localeCompare(b.shortcut));
};
