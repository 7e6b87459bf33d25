import type { Ticket } from '@atende/core';
import { replyWindowOf } from '@core/channels/registry.ts';
import { HUMAN_AGENT_WINDOW_MS } from '@core/channels/instagram/index.ts';
import { WINDOW_MS, windowClosedWhy, type WindowClosedWhy } from '@core/channels/window.ts';
import { computed, type Ref } from 'vue';
import { useNow } from '@/composables/useNow';
import { useCatalogStore } from '@/stores/catalog';

/** Under this, the time left is shown as a warning. */
export const CLOSING_SOON_MS = 2 * 60 * 60 * 1000;

export interface ReplyWindowState {
  /** The channel has a window at all (WhatsApp, Instagram). */
  limited: boolean;
  /** Whose rule: WhatsApp (a template may still go out) or Instagram (only the customer reopens it). */
  channelType: 'whatsapp' | 'instagram' | null;
  /** The window's length: 24 h, or 7 days with Instagram's human-agent tag. */
  lengthMs: number;
  open: boolean;
  closesAt: number | null;
  leftMs: number;
  /** Why it is closed (core's `windowClosedWhy`): too long since the customer wrote, the provider said so, or they never wrote here. Null while open. */
  closedWhy: WindowClosedWhy | null;
}

/**
 * The customer-service window of a ticket, from core's rule (`replyWindowOf`),
 * re-evaluated every second by the shared clock. Only open tickets on a
 * channel with a window are limited.
 */
export const useReplyWindow = (ticket: Ref<Ticket | null | undefined>) => {
  const now = useNow();
  const catalog = useCatalogStore();
  return computed<ReplyWindowState>(() => {
    const tk = ticket.value;
    const none: ReplyWindowState = { limited: false, channelType: null, lengthMs: Infinity, open: true, closesAt: null, leftMs: Infinity, closedWhy: null };
    if (!tk || tk.status === 'closed' || (tk.channelType !== 'whatsapp' && tk.channelType !== 'instagram')) return none;
    const humanAgentTag = tk.channelType === 'instagram' && catalog.channels.get(tk.channelId)?.humanAgentTag === true;
    const w = replyWindowOf(tk.channelType, tk.windowFrom ?? null, now.value, { humanAgentTag });
    if (w.kind === 'unlimited') return none;
    return {
      limited: true,
      channelType: tk.channelType,
      lengthMs: humanAgentTag ? HUMAN_AGENT_WINDOW_MS : WINDOW_MS,
      open: w.open,
      closesAt: w.closesAt,
      leftMs: w.closesAt === null ? 0 : Math.max(0, w.closesAt - now.value),
      closedWhy: w.open ? null : windowClosedWhy(tk),
    };
  });
};
