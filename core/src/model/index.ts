import { ChannelSecretsSchema } from './channels.ts';
import { CopilotExample } from './copilot.ts';
import { MessageTemplateSchema } from './templates.ts';
import { Fact, Stats } from './reports.ts';
import { PauseReason, PresenceEvent } from './presence.ts';
import { SipSecret } from './phone.ts';
import { User } from './user.ts';
import { Classification, QuickReply, Sector, Tag } from './catalogues.ts';
import { Contact } from './contact.ts';
import { Channel } from './channel.ts';
import { Ticket } from './ticket.ts';
import { Message } from './message.ts';
import { Settings } from './settings.ts';
import { Counter, Receipt } from './bookkeeping.ts';
import type { z } from 'zod';

export * from './primitives.ts';
export * from './user.ts';
export * from './catalogues.ts';
export * from './contact.ts';
export * from './channel.ts';
export * from './ticket.ts';
export * from './message.ts';
export * from './settings.ts';
export * from './bookkeeping.ts';
export * from './channels.ts';
export * from './reports.ts';
export * from './presence.ts';
export * from './copilot.ts';
export * from './mail.ts';
export * from './templates.ts';
export * from './phone.ts';

/** Every collection, with the schema of its documents. `messages` live under their ticket. */
export const schemas = {
  users: User,
  sectors: Sector,
  contacts: Contact,
  channels: Channel,
  tickets: Ticket,
  messages: Message,
  quickReplies: QuickReply,
  tags: Tag,
  classifications: Classification,
  settings: Settings,
  counters: Counter,
  receipts: Receipt,
  channelSecrets: ChannelSecretsSchema,
  facts: Fact,
  stats: Stats,
  pauseReasons: PauseReason,
  presenceEvents: PresenceEvent,
  copilotExamples: CopilotExample,
  templates: MessageTemplateSchema,
  sipSecrets: SipSecret,
} as const;

export type Collections = { [K in keyof typeof schemas]: z.infer<(typeof schemas)[K]> };
export type CollectionName = keyof Collections;
export const collectionNames = Object.keys(schemas) as CollectionName[];
