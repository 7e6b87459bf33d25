import type { Message, Ticket } from '../model/index.ts';
import type { Tx } from '../store/types.ts';
import type { CommandContext } from './runtime.ts';
import { addOutbound } from '../outbox/state.ts';

/** A message the system sends on the team's behalf (bot, closing, automation). */
export const sendAutomated = (tx: Tx, ticket: Ticket, text: string, ctx: Pick<CommandContext, 'now' | 'newId'>, extra: { survey?: boolean; menu?: Message['menu'] } = {}): void => {
  const message: Message = {
    id: ctx.newId(),
    ticketId: ticket.id,
    contactId: ticket.contactId,
    direction: 'out',
    authorId: null,
    authorName: null,
    text,
    attachments: [],
    status: 'pending',
    createdAt: ctx.now,
    channelMessageId: null,
    clientId: null,
    event: null,
    automated: true,
    ...(extra.survey ? { survey: true } : {}),
    ...(extra.menu ? { menu: extra.menu } : {}),
  };
  addOutbound(tx, message, ctx.now, { webchat: ticket.channelType === 'webchat' });
};
