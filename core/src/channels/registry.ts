import type { ChannelType } from '../model/index.ts';
import type { ChannelAdapter, ReplyWindow } from './types.ts';
import { UNLIMITED } from './window.ts';
import { whatsappAdapter } from './whatsapp/index.ts';
import { instagramAdapter } from './instagram/index.ts';

/**
 * The adapter of each channel type with a provider. Web chat has none: the
 * widget reads the thread itself. Adapters register here when they exist.
 */
export const channelAdapters: Partial<Record<ChannelType, ChannelAdapter>> = { whatsapp: whatsappAdapter, instagram: instagramAdapter };

export const adapterOf = (type: ChannelType): ChannelAdapter | null => channelAdapters[type] ?? null;

/** The reply window of a ticket on its channel (web chat and e-mail: always open). */
export const replyWindowOf = (type: ChannelType, windowFrom: number | null, now: number, options?: { humanAgentTag?: boolean }): ReplyWindow =>
  adapterOf(type)?.replyWindow(windowFrom, now, options) ?? UNLIMITED;
