import { z } from 'zod';
import { CommandError } from '../errors.ts';
import { ChannelAccountSchema, DeliveryFailureSchema, Id, MailSettingsSchema } from '../model/index.ts';
import { laterStatus } from '../outbox/deliver.ts';
import { findByProviderKey, providerKey } from '../channels/received.ts';
import { policy } from '../policy.ts';
import { markFailed } from '../tickets.ts';
import { refs } from '../store/refs.ts';
import { defineCommand, mustExist, staffOnly } from './runtime.ts';

const Secret = z.string().trim().max(2000);

const ConnectInput = z.object({
  channelId: Id,
  account: ChannelAccountSchema.omit({ secretsSet: true }),
  /** Omitted: keep the stored value. Empty string: remove it. */
  accessToken: Secret.optional(),
  appSecret: Secret.max(500).optional(),
  verifyToken: Secret.max(500).optional(),
  /** E-mail: the mailbox's IMAP and SMTP passwords (write-only like the rest). */
  imapPassword: Secret.max(500).optional(),
  smtpPassword: Secret.max(500).optional(),
  /** E-mail: the IMAP and SMTP servers (omitted: kept). */
  mail: MailSettingsSchema.optional(),
  /** Instagram: answer up to seven days with Meta's HUMAN_AGENT tag (omitted: kept). */
  humanAgentTag: z.boolean().optional(),
});

/**
 * Connects a channel to its provider account (WhatsApp: phone_number_id and
 * WABA id) and writes its secrets. Secrets are write-only: they go to
 * `channelSecrets/{channelId}`, which no client can read on either backend;
 * the answer and the channel only say which ones are set.
 */
export const connectChannel = defineCommand({
  name: 'channel.connect',
  input: ConnectInput,
  actors: ['staff'],
  async load(tx, input) {
    const channel = mustExist(await tx.get(refs.channel(input.channelId)), `Channel ${input.channelId}`);
    const sameAccount = await tx.query({ collection: 'channels', where: [['account.id', '==', input.account.id]], orderBy: [], limit: 5 });
    const taken = sameAccount.find((c) => c.id !== channel.id && c.type === channel.type);
    if (taken) throw new CommandError('already-exists', `The account ${input.account.id} is already connected to ${taken.name}`, [{ path: 'account.id', message: 'already connected' }]);
    return { channel, secrets: await tx.get(refs.channelSecrets(channel.id)) };
  },
  authorize: (actor) => staffOnly(actor, (staff) => policy.canAdminister(staff)),
  run(tx, { channel, secrets }, input, ctx) {
    if (channel.type === 'webchat')
      throw new CommandError('failed-precondition', 'A web chat has no provider account', [{ path: 'channelId', message: 'web chat channel' }]);
    const next = {
      id: channel.id,
      accessToken: input.accessToken ?? secrets?.accessToken ?? '',
      appSecret: input.appSecret ?? secrets?.appSecret ?? '',
      verifyToken: input.verifyToken ?? secrets?.verifyToken ?? '',
      ...(channel.type === 'email' ? { imapPassword: input.imapPassword ?? secrets?.imapPassword ?? '', smtpPassword: input.smtpPassword ?? secrets?.smtpPassword ?? '' } : {}),
      updatedAt: ctx.now,
    };
    tx.set(refs.channelSecrets(channel.id), next);
    const secretsSet = {
      accessToken: next.accessToken !== '',
      appSecret: next.appSecret !== '',
      verifyToken: next.verifyToken !== '',
      ...(channel.type === 'email' ? { imapPassword: next.imapPassword !== '', smtpPassword: next.smtpPassword !== '' } : {}),
    };
    const after = {
      ...channel,
      account: { ...input.account, secretsSet },
      ...(channel.type === 'email' && input.mail !== undefined ? { mail: input.mail } : {}),
      ...(channel.type === 'instagram' && input.humanAgentTag !== undefined ? { humanAgentTag: input.humanAgentTag } : {}),
      health: null,
      updatedAt: ctx.now,
    };
    tx.set(refs.channel(channel.id), after);
    return { channel: after };
  },
});

const StatusInput = z.object({
  channelId: Id,
  channelMessageId: z.string().min(1).max(300),
  status: z.enum(['sent', 'delivered', 'read', 'failed']),
  failure: DeliveryFailureSchema.nullable().default(null),
});

/**
 * A provider's report on one of our messages (WhatsApp statuses). Ticks only
 * move forward whatever order reports arrive in; `failed` carries the reason
 * the agent reads. A report on a message we do not know changes nothing.
 */
export const channelStatus = defineCommand({
  name: 'channel.status',
  input: StatusInput,
  actors: ['system'],
  async load(tx, input) {
    const found = await findByProviderKey(tx, providerKey(input.channelId, input.channelMessageId));
    const message = found?.direction === 'out' ? found : null;
    // A failure report may concern the ticket's last message, whose card then shows it (read for failures only).
    const ticket = message && input.status === 'failed' ? await tx.get(refs.ticket(message.ticketId)) : null;
    return { message, ticket };
  },
  authorize: () => true,
  run(tx, { message, ticket }, input) {
    if (!message) return { updated: false };
    const status = laterStatus(message.status, input.status);
    if (status === message.status) return { updated: false };
    tx.update(refs.message(message.ticketId, message.id), status === 'failed' ? { status, deliveryFailure: input.failure } : { status, deliveryFailure: null });
    if (status === 'failed') markFailed(tx, ticket, message, input.failure);
    return { updated: true, status };
  },
});

const ReactInput = z.object({
  channelId: Id,
  targetChannelMessageId: z.string().min(1).max(300),
  /** null: the customer removed their reaction. */
  emoji: z.string().min(1).max(32).nullable(),
});

/** A customer's reaction, shown on the message it reacts to (the customer has one reaction per message). */
export const inboundReact = defineCommand({
  name: 'inbound.react',
  input: ReactInput,
  actors: ['system'],
  async load(tx, input) {
    return { message: await findByProviderKey(tx, providerKey(input.channelId, input.targetChannelMessageId)) };
  },
  authorize: () => true,
  run(tx, { message }, input, ctx) {
    if (!message) return { applied: false, reason: 'the message reacted to is not known here' };
    const others = (message.reactions ?? []).filter((r) => r.by !== 'customer');
    const reactions = input.emoji ? [...others, { emoji: input.emoji, by: 'customer' as const, at: ctx.now }] : others;
    tx.update(refs.message(message.ticketId, message.id), { reactions });
    return { applied: true, reason: null };
  },
});

const DeletedInput = z.object({
  channelId: Id,
  channelMessageId: z.string().min(1).max(300),
});

/**
 * The customer deleted (unsent) one of their messages on the channel
 * (Instagram): the message stays in the ticket, marked deleted, and the
 * thread says "Mensagem apagada". Only customer messages can be deleted so.
 */
export const inboundDeleted = defineCommand({
  name: 'inbound.deleted',
  input: DeletedInput,
  actors: ['system'],
  async load(tx, input) {
    return { message: await findByProviderKey(tx, providerKey(input.channelId, input.channelMessageId)) };
  },
  authorize: () => true,
  run(tx, { message }, _input, ctx) {
    if (!message || message.direction !== 'in') return { applied: false, reason: 'the deleted message is not known here' };
    if (message.deletedAt) return { applied: false, reason: 'already marked deleted' };
    tx.update(refs.message(message.ticketId, message.id), { deletedAt: ctx.now });
    return { applied: true, reason: null };
  },
});

export const channelCommands = [connectChannel, channelStatus, inboundReact, inboundDeleted];
