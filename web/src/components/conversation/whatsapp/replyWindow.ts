import type { Ticket } from '@atende/core';
import { replyWindowOf } from '@core/channels/registry.ts';
import { computed, type Ref } from 'vue';
import { useNow } from '@/composables/useNow';

/** Under this, the time left is shown as a warning. */
export const CLOSING_SOON_MS = 2 * 60 * 60 * 1000;

export interface ReplyWindowState {
  /** The channel has a window at all (WhatsApp). */
  limited: boolean;
  open: boolean;
  closesAt: number | null;
  leftMs: number;
  /** The customer never wrote on this channel (an outbound start, or a transfer between numbers). */
  never: boolean;
}

/**
 * The customer-service window of a ticket, from core's rule (`replyWindowOf`),
 * re-evaluated every second by the shared clock. Only open tickets on a
 * channel with a window are limited.
 */
export const useReplyWindow = (ticket: Ref<Ticket | null | undefined>) => {
  const now = useNow();
  return computed<ReplyWindowState>(() => {
    const tk = ticket.value;
    const none: ReplyWindowState = { limited: false, open: true, closesAt: null, leftMs: Infinity, never: false };
    // WhatsApp only here: Instagram's window (with its human-agent tag) is the instagram channel's to show.
    if (!tk || tk.status === 'closed' || tk.channelType !== 'whatsapp') return none;
    const w = replyWindowOf(tk.channelType, tk.windowFrom ?? null, now.value);
    if (w.kind === 'unlimited') return none;
    return { limited: true, open: w.open, closesAt: w.closesAt, leftMs: w.closesAt === null ? 0 : Math.max(0, w.closesAt - now.value), never: w.closesAt === null };
  });
};
