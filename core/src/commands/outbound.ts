import { z } from 'zod';
import { CommandError } from '../errors.ts';
import { Id, type MessageTemplate, type Ticket } from '../model/index.ts';
import { policy, type StaffActor } from '../policy.ts';
import { refs } from '../store/refs.ts';
import { agentMessage, clearLastFailed, preview, writeTicket } from '../tickets.ts';
import { safeKey } from '../ids.ts';
import { defineCommand, mustExist, precondition, staffOnly, type CommandContext } from './runtime.ts';
import { addOutbound, requeueDelivery } from '../outbox/state.ts';
import { renderTemplate, templateVariables } from '../channels/templates.ts';
import { replyWindowOf } from '../channels/registry.ts';
import { rememberSend, sentBefore } from './sentBefore.ts';

/**
 * What an agent sends on a channel with a provider beyond free text (issue 11):
 * a failed message again, an approved template (the only thing WhatsApp
 * accepts once the 24-hour window has closed), and a new conversation started
 * by the business ("Nova conversa", E4). Templates come from `template.sync`.
 */

export const Params = z.array(z.string().trim().min(1, 'fill in every variable').max(1024)).max(20).default([]);

/** The template id of a channel's template: one per name and language. */
export const templateIdOf = (channelId: string, name: string, language: string): string => safeKey(`${channelId}.${name}.${language}`);

/** Whether an agent may send this template on this ticket's sector. */
export const templateAllowed = (actor: StaffActor, template: MessageTemplate, sectorId: string | null): boolean =>
  template.sectorIds.length === 0 || actor.role === 'admin' || (sectorId !== null && template.sectorIds.includes(sectorId));

export const checkTemplate = (template: MessageTemplate | null, channelId: string, params: readonly string[]): MessageTemplate => {
  if (!template || template.channelId !== channelId)
    throw new CommandError('not-found', 'This template does not exist on this channel: sync the templates again', [{ path: 'templateId', message: 'no such template here' }]);
  if (template.status !== 'APPROVED') throw new CommandError('failed-precondition', 'Only approved templates can be sent', [{ path: 'templateId', message: `status ${template.status}` }]);
  if (params.length !== template.variables)
    throw new CommandError('invalid-argument', 'Fill in every variable of the template', [{ path: 'params', message: `expected ${template.variables} values` }]);
  return template;
};

/** The template message: its rendered text in the thread, the template and values for the provider. */
export const templateMessage = (ticket: Ticket, template: MessageTemplate, params: string[], actor: StaffActor, clientId: string | null, ctx: CommandContext) =>
  agentMessage(ticket, ctx.newId(), ctx.now, actor, {
    text: renderTemplate(template.body, params),
    clientId,
    template: { templateId: template.id, name: template.name, language: template.language, bodyParams: params },
  });

export const retryMessage = defineCommand({
  name: 'message.retry',
  input: z.object({ ticketId: Id, messageId: Id }),
  actors: ['staff'],
  async load(tx, input) {
    const ticket = mustExist(await tx.get(refs.ticket(input.ticketId)), `Ticket ${input.ticketId}`);
    const message = mustExist(await tx.get(refs.message(ticket.id, input.messageId)), `Message ${input.messageId}`);
    return { ticket, message };
  },
  authorize: (actor, { ticket }) => staffOnly(actor, (staff) => policy.canManage(staff, ticket)),
  run(tx, { ticket, message }, _input, ctx) {
    precondition(ticket.status === 'open', 'Take this ticket (Atender) before replying');
    if (message.direction !== 'out' || message.status !== 'failed')
      throw new CommandError('failed-precondition', 'Only a message that failed can be sent again', [{ path: 'messageId', message: `status ${message.status}` }]);
    const window = ticket.channelType === 'whatsapp' ? replyWindowOf(ticket.channelType, ticket.windowFrom ?? null, ctx.now) : null;
    if (!message.template && window?.kind === 'window' && !window.open)
      throw new CommandError('failed-precondition', 'The 24-hour window is closed: send a template', [{ path: 'messageId', message: 'window closed' }]);
    // Its delivery starts over (the Cloud Functions' message trigger sees a finished delivery become pending).
    requeueDelivery(tx, message, ctx.now);
    clearLastFailed(tx, ticket, message);
    return { retried: true };
  },
});

const SyncInput = z.object({
  channelId: Id,
  /** Filled by the backend from the provider (`fetchWhatsAppTemplates`), never by a client. */
  templates: z
    .array(z.object({ providerId: z.string().max(100), name: z.string().min(1).max(512), language: z.string().min(1).max(20), category: z.string().max(40), status: z.string().max(40), body: z.string().max(1024) }))
    .max(2000)
    .default([]),
});

/**
 * Stores a channel's templates as the provider listed them: new ones added,
 * changed ones updated (keeping the sectors an admin restricted them to),
 * ones the provider no longer lists removed.
 */
export const syncTemplates = defineCommand({
  name: 'template.sync',
  input: SyncInput,
  actors: ['staff', 'system'],
  async load(tx, input) {
    const channel = mustExist(await tx.get(refs.channel(input.channelId)), `Channel ${input.channelId}`);
    const stored = await tx.query({ collection: 'templates', where: [['channelId', '==', channel.id]], orderBy: [], limit: 2000 });
    return { channel, stored };
  },
  authorize: (actor) => (actor.kind === 'system' ? true : staffOnly(actor, (staff) => policy.canAdminister(staff))),
  run(tx, { channel, stored }, input, ctx) {
    const before = new Map(stored.map((t) => [t.id, t]));
    const seen = new Set<string>();
    for (const p of input.templates) {
      const id = templateIdOf(channel.id, p.name, p.language);
      if (seen.has(id)) continue;
      seen.add(id);
      const old = before.get(id);
      const doc: MessageTemplate = {
        id,
        channelId: channel.id,
        providerId: p.providerId,
        name: p.name,
        language: p.language,
        category: p.category,
        status: p.status,
        body: p.body,
        variables: templateVariables(p.body),
        sectorIds: old?.sectorIds ?? [],
        syncedAt: ctx.now,
        updatedAt: ctx.now,
      };
      tx.set(refs.template(id), doc);
    }
    let removed = 0;
    for (const t of stored)
      if (!seen.has(t.id)) {
        tx.delete(refs.template(t.id));
        removed += 1;
      }
    return { synced: seen.size, removed };
  },
});

export const restrictTemplate = defineCommand({
  name: 'template.restrict',
  input: z.object({ templateId: Id, sectorIds: z.array(Id).max(100) }),
  actors: ['staff'],
  async load(tx, input) {
    return { template: mustExist(await tx.get(refs.template(input.templateId)), `Template ${input.templateId}`) };
  },
  authorize: (actor) => staffOnly(actor, (staff) => policy.canAdminister(staff)),
  run(tx, { template }, input, ctx) {
    tx.update(refs.template(template.id), { sectorIds: [...new Set(input.sectorIds)], updatedAt: ctx.now });
    return { templateId: template.id };
  },
});

const SendTemplateInput = z.object({ ticketId: Id, templateId: Id, params: Params, clientId: z.string().max(64).nullable().default(null) });

/** An approved template on a ticket: allowed whatever the window; after it the ticket waits for the customer. */
export const sendTemplate = defineCommand({
  name: 'message.sendTemplate',
  input: SendTemplateInput,
  actors: ['staff'],
  async load(tx, input) {
    const ticket = mustExist(await tx.get(refs.ticket(input.ticketId)), `Ticket ${input.ticketId}`);
    const template = await tx.get(refs.template(input.templateId));
    const duplicate = await sentBefore(tx, ticket, input.clientId);
    return { ticket, template, duplicate };
  },
  authorize: (actor, { ticket }) => staffOnly(actor, (staff) => policy.canManage(staff, ticket)),
  run(tx, { ticket, template: found, duplicate }, input, ctx) {
    if (duplicate) return { message: duplicate };
    precondition(ticket.status !== 'closed', 'This ticket is closed: reopen it to send a message');
    precondition(ticket.status === 'open', 'Take this ticket (Atender) before replying');
    const template = checkTemplate(found, ticket.channelId, input.params);
    const actor = ctx.actor as StaffActor;
    if (!templateAllowed(actor, template, ticket.sectorId)) throw new CommandError('permission-denied', 'This template is not available to your sector');
    const message = addOutbound(tx, templateMessage(ticket, template, input.params, actor, input.clientId, ctx), ctx.now);
    writeTicket(tx, ticket, { ...ticket, ...rememberSend(ticket, message), lastMessageAt: ctx.now, lastMessage: { text: preview(message.text, []), direction: 'out', at: ctx.now }, unread: 0, updatedAt: ctx.now });
    return { message };
  },
});

export const outboundCommands = [retryMessage, syncTemplates, restrictTemplate, sendTemplate];
