import type { CopilotInputs, CopilotResults, RewriteMode, StatusResult, SuggestResult } from '@atende/core/copilot';
import { defineStore } from 'pinia';
import { reactive, ref, shallowRef } from 'vue';
import { backend } from '@/backend';
import { userMessage } from '@/i18n/errors';

/** A generated reply for a ticket: its text so far, the model once done. */
export interface GeneratedState {
  text: string;
  model: string | null;
  busy: boolean;
}

/** One summary being written or shown for a ticket. */
export interface SummaryState {
  text: string;
  source: 'offline' | 'provider' | null;
  busy: boolean;
  error: string | null;
}

/**
 * The copilot's side of the SPA (issue 12): suggestions per ticket, summaries
 * and the provider's status. Every call goes through `Backend.copilot`, so the
 * embedded server and Firebase behave the same.
 */
export const useCopilotStore = defineStore('copilot', () => {
  const suggestions = reactive(new Map<string, SuggestResult>());
  const summaries = reactive(new Map<string, SummaryState>());
  const status = shallowRef<StatusResult | null>(null);
  /** Sector a suggested transfer pre-fills in the transfer dialog (read once by the dialog). */
  const transferPreset = ref<{ ticketId: string; sectorId: string } | null>(null);
  /** Classification a suggested close pre-fills in the close dialog. */
  const closePreset = ref<{ ticketId: string; classificationId: string } | null>(null);
  /** A reply the provider is writing (or wrote) for a ticket, offered first among the suggestions, marked as generated. */
  const generated = reactive(new Map<string, GeneratedState>());
  let asked = 0;

  /** With a provider and the admin's "generate" switch: a written reply, streamed in after the instant offline ones. */
  async function generate(ticketId: string): Promise<void> {
    const state: GeneratedState = { text: '', model: null, busy: true };
    generated.set(ticketId, state);
    const live = generated.get(ticketId)!;
    try {
      const result = await backend().copilot('suggest', { ticketId, generate: true }, (delta) => (live.text += delta));
      if (!result.generated) return void (generated.get(ticketId) === live && generated.delete(ticketId));
      live.text = result.generated.text;
      live.model = result.generated.model;
    } catch {
      if (generated.get(ticketId) === live) generated.delete(ticketId);
    } finally {
      live.busy = false;
    }
  }

  async function suggest(ticketId: string): Promise<SuggestResult | null> {
    const mine = ++asked;
    try {
      const result = await backend().copilot('suggest', { ticketId });
      suggestions.set(ticketId, result);
      void ensureStatus().then(() => {
        const s = status.value;
        if (s?.provider.configured && s.settings.generate && s.settings.suggestions) void generate(ticketId);
      });
      return result;
    } catch {
      // Suggestions are a help, never in the way: a failure (feature off, no rights) hides them.
      if (mine === asked) suggestions.delete(ticketId);
      return null;
    }
  }

  async function summarize(ticketId: string): Promise<void> {
    const state: SummaryState = { text: '', source: null, busy: true, error: null };
    summaries.set(ticketId, state);
    const live = summaries.get(ticketId)!;
    try {
      const result = await backend().copilot('summarize', { ticketId }, (delta) => (live.text += delta));
      live.text = result.text;
      live.source = result.source;
    } catch (e) {
      live.error = userMessage(e);
      throw e;
    } finally {
      live.busy = false;
    }
  }

  const rewrite = (ticketId: string, draft: string, mode: RewriteMode, onDelta?: (text: string) => void): Promise<CopilotResults['rewrite']> =>
    backend().copilot('rewrite', { ticketId, draft, mode }, onDelta);

  const translate = (ticketId: string, text: string, to: CopilotInputs['translate']['to'], onDelta?: (text: string) => void): Promise<CopilotResults['translate']> =>
    backend().copilot('translate', { ticketId, text, to }, onDelta);

  async function loadStatus(): Promise<StatusResult> {
    status.value = await backend().copilot('status', {});
    return status.value;
  }

  let statusOnce: Promise<unknown> | null = null;
  /** The provider's status, asked once per session (the tools show what the provider makes possible). */
  const ensureStatus = () => (statusOnce ??= loadStatus().catch(() => (statusOnce = null)));

  function takeTransferPreset(ticketId: string | undefined): string | null {
    const p = transferPreset.value;
    transferPreset.value = null;
    return p && p.ticketId === ticketId ? p.sectorId : null;
  }

  function takeClosePreset(ticketId: string | undefined): string | null {
    const p = closePreset.value;
    closePreset.value = null;
    return p && p.ticketId === ticketId ? p.classificationId : null;
  }

  return { suggestions, generated, summaries, status, transferPreset, closePreset, suggest, summarize, rewrite, translate, loadStatus, ensureStatus, takeTransferPreset, takeClosePreset };
});
