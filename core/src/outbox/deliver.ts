import type { SendResult, DeliveryFailure, OutboundMessage, ChannelSecrets } from '../channels/types.ts';
import { providerKey, recordProviderKeys } from '../channels/received.ts';
import type { Channel, DeliveryState, DeliveryStatus, Message, Ticket } from '../model/index.ts';
import { SURVEY_CHOICES } from '../reports/surveyChoices.ts';
import { refs } from '../store/refs.ts';
import { markFailed } from '../tickets.ts';
import type { Store, Tx } from '../store/types.ts';
import { backoffMs, isClaimable, outboxPolicy } from './policy.ts';
import type { CreatedReply, DeliveryRef } from './state.ts';

/**
 * One delivery of an outbound message (its `delivery`, core/src/outbox/state.ts), the same on both backends:
 * claim (a transaction takes a lease and reads what sending needs) → carry
 * (the backend's carrier performs the provider's requests, outside any
 * transaction) → settle (a transaction records the outcome: message status,
 * failure reason, provider ids, retry or give up, channel health).
 */

/** Everything a carrier needs to send one message. */
export interface DeliveryJob {
  message: Message;
  ticket: Ticket;
  channel: Channel;
  /** The customer's id on the channel (the ticket's `customerKey`, else the contact's identity keys); null when unknown. */
  to: string | null;
  secrets: Pick<ChannelSecrets, 'accessToken'> | null;
  /** The provider id of the message the agent quoted. */
  replyToChannelMessageId: string | null;
}

/** What a carrier reports back: the provider's message ids when sent. */
export type CarryResult = SendResult & { channelMessageIds?: string[] };

/** The customer's id on a channel, from the contact's `${channelId}:${externalId}` identity keys. */
export const externalIdOn = (identityKeys: readonly string[], channelId: string): string | null => {
  const prefix = `${channelId}:`;
  const key = identityKeys.find((k) => k.startsWith(prefix));
  return key ? key.slice(prefix.length) : null;
};

/**
 * The key a ticket keeps for replies (`Ticket.customerKey`): the contact's first key on the channel — where the
 * delivery would send reading the contact — or, for a contact with none there yet, the one they write from.
 */
export const customerKeyOn = (identityKeys: readonly string[], channelId: string, externalId: string): string =>
  `${channelId}:${externalIdOn(identityKeys, channelId) ?? externalId}`;

const STATUS_RANK: Record<DeliveryStatus, number> = { pending: 0, sent: 1, failed: 2, delivered: 3, read: 4 };

/**
 * Delivery statuses only move forward (pending → sent → delivered → read;
 * failed after sent), whatever order the provider's reports arrive in.
 */
export const laterStatus = (current: DeliveryStatus, incoming: DeliveryStatus): DeliveryStatus =>
  STATUS_RANK[incoming] > STATUS_RANK[current] ? incoming : current;

/** An inline delivery (core/src/outbox/state.ts `inlineDelivery`) whose creator's lease still holds: the creator sends it without a lease write. */
const stillLeasedByCreator = (delivery: DeliveryState, now: number): boolean =>
  delivery.inline === true && delivery.attempts === 0 && delivery.doneAt === null && delivery.dueAt !== null && delivery.dueAt > now;

/** Where a reply on this ticket goes: the key the ticket keeps for its channel, else the contact's (one read). */
const addressOf = async (tx: Tx, ticket: Ticket, channelId: string): Promise<string | null> => {
  const kept = ticket.customerKey ? externalIdOn([ticket.customerKey], channelId) : null;
  if (kept !== null) return kept;
  const contact = await tx.get(refs.contact(ticket.contactId));
  return contact ? externalIdOn(contact.identityKeys, channelId) : null;
};

/** The rest of a claim once the message and its ticket are known: the channel, the address, the quote (and the lease, unless held). */
const jobFor = async (tx: Tx, message: Message, delivery: DeliveryState, ticket: Ticket | null, now: number, leased: boolean): Promise<DeliveryJob | 'done'> => {
  const channel = ticket ? await tx.get(refs.channel(ticket.channelId)) : null;
  const ref = refs.message(message.ticketId, message.id);
  if (!ticket || !channel) {
    tx.update(ref, { delivery: { ...delivery, dueAt: null, doneAt: now, lastError: 'channel no longer exists' } });
    return 'done';
  }
  if (ticket.channelType === 'webchat') {
    // Web chat needs no carrier: the customer's widget reads the thread, so the committed message has arrived.
    tx.update(ref, {
      ...(message.status === 'pending' || message.status === 'sent' ? { status: 'delivered' as const } : {}),
      delivery: { attempts: delivery.attempts + 1, dueAt: null, doneAt: now, lastError: null },
    });
    return 'done';
  }
  const to = await addressOf(tx, ticket, channel.id);
  const secrets = await tx.get(refs.channelSecrets(channel.id));
  const quoted = message.quote ? await tx.get(refs.message(ticket.id, message.quote.messageId)) : null;
  // A lease taken here is this worker's alone: it is no longer the creator's to send (no `inline`).
  if (!leased) tx.update(ref, { delivery: { attempts: delivery.attempts, dueAt: now + outboxPolicy.leaseMs, doneAt: delivery.doneAt, lastError: delivery.lastError } });
  return {
    message,
    ticket,
    channel,
    to,
    secrets: secrets && secrets.accessToken ? { accessToken: secrets.accessToken } : null,
    replyToChannelMessageId: quoted?.channelMessageId ?? null,
  };
};

/** Created replies whose written copy a claim has used. */
const spent = new WeakSet<CreatedReply>();

/**
 * Jobs sent under their creator's lease, with its end. Until then nobody else may touch the delivery, and
 * nothing else changes the reply: status reports, reactions and quotes find it by the provider's ids, which
 * only its outcome records. So the outcome is written without reading the reply again while at least
 * `SETTLE_MARGIN_MS` of the lease is left (what a sweep's clock would have to be ahead by to claim it meanwhile).
 */
const creatorLease = new WeakMap<DeliveryJob, number>();
const SETTLE_MARGIN_MS = outboxPolicy.leaseMs / 2;

const claim = (store: Store, at: DeliveryRef | CreatedReply, now: number, byCreator: boolean): Promise<DeliveryJob | 'done' | null> =>
  store.transaction(async (tx) => {
    // The creator knows the reply and its ticket as its transaction wrote them: while its lease holds, nothing to read.
    // Once only: a second send of the same reply reads it like anyone else (and finds it done).
    const written = byCreator && 'written' in at && !spent.has(at) ? at.written : undefined;
    if (written?.message.delivery && stillLeasedByCreator(written.message.delivery, now)) {
      spent.add(at as CreatedReply);
      const job = await jobFor(tx, written.message, written.message.delivery, written.ticket, now, true);
      if (job !== 'done' && written.message.delivery.dueAt !== null) creatorLease.set(job, written.message.delivery.dueAt);
      return job;
    }
    const message = await tx.get(refs.message(at.ticketId, at.messageId));
    const delivery = message?.delivery;
    if (!message || !delivery) return null;
    // The creator's own lease is its claim; anyone else (and the creator once its lease ran out) takes a lease.
    const leased = byCreator && stillLeasedByCreator(delivery, now);
    if (!leased && !isClaimable(delivery, now)) return null;
    return jobFor(tx, message, delivery, await tx.get(refs.ticket(message.ticketId)), now, leased);
  });

const settle = (store: Store, job: DeliveryJob, result: CarryResult, now: number): Promise<'done' | 'retry'> =>
  store.transaction(async (tx) => {
    const held = creatorLease.get(job);
    const message = held !== undefined && now + SETTLE_MARGIN_MS < held ? job.message : await tx.get(refs.message(job.message.ticketId, job.message.id));
    const channel = await tx.get(refs.channel(job.channel.id));
    const delivery = message?.delivery;
    if (!message || !delivery || delivery.doneAt !== null) return 'done';
    const ref = refs.message(message.ticketId, message.id);
    const attempts = delivery.attempts + 1;
    if (result.kind === 'sent') {
      const ids = result.channelMessageIds ?? [result.channelMessageId];
      // Status reports and customer quotes find the message by the provider's ids (core/src/channels/received.ts).
      const keys = ids.map((id) => providerKey(job.channel.id, id));
      // One write of the message: its status, the provider's ids and the delivery's end.
      tx.update(ref, {
        status: laterStatus(message.status, 'sent'),
        channelMessageId: result.channelMessageId,
        providerKeys: keys,
        ...(message.deliveryFailure ? { deliveryFailure: null } : {}),
        delivery: { attempts, dueAt: null, doneAt: now, lastError: null },
      });
      recordProviderKeys(tx, message, keys, now);
      if (channel?.health?.status === 'attention') tx.update(refs.channel(channel.id), { health: { status: 'ok', failure: null, at: now }, updatedAt: now });
      return 'done';
    }
    const failure: DeliveryFailure = result.failure;
    if (result.kind === 'retry' && attempts < outboxPolicy.maxAttempts) {
      // The agent sees why it is still pending ("rate limited, trying again").
      tx.update(ref, { deliveryFailure: failure, delivery: { attempts, dueAt: now + backoffMs(attempts, result.afterMs), doneAt: null, lastError: failure.code } });
      return 'retry';
    }
    // The queue card shows the failure too, when this was the ticket's last message (one read, on a final failure only).
    const ticket = await tx.get(refs.ticket(message.ticketId));
    tx.update(ref, {
      ...(message.status !== 'failed' ? { status: laterStatus(message.status, 'failed') } : {}),
      deliveryFailure: failure,
      delivery: { attempts, dueAt: null, doneAt: now, lastError: failure.code },
    });
    markFailed(tx, ticket, message, failure);
    if (result.kind === 'attention' && channel) tx.update(refs.channel(channel.id), { health: { status: 'attention', failure, at: now }, updatedAt: now });
    return 'done';
  });

/** Sends one message through a channel provider: what the backends plug in. */
export type Carrier = (job: DeliveryJob) => Promise<CarryResult>;

/**
 * One attempt at one message's delivery (claim → carry → settle). `'skipped'`
 * when it was not due or another worker holds it. A carrier that throws
 * counts as a retryable provider failure. `byCreator`: the caller created
 * the message already leased (`sendingAfterCommit`) and sends it under that
 * lease while it holds, with no lease write.
 */
export const deliverOnce = async (
  store: Store,
  at: DeliveryRef | CreatedReply,
  clock: () => number,
  carriers: Partial<Record<Channel['type'], Carrier>>,
  { byCreator = false }: { byCreator?: boolean } = {},
): Promise<'done' | 'retry' | 'skipped'> => {
  const job = await claim(store, at, clock(), byCreator);
  if (job === null) return 'skipped';
  if (job === 'done') return 'done';
  const type = job.ticket.channelType;
  const carrier = carriers[type];
  let result: CarryResult;
  if (!carrier) result = { kind: 'give-up', failure: { code: 'not-configured', providerCode: null, detail: `no ${type} sender on this server` } };
  else
    result = await carrier(job).catch(
      (e: unknown): CarryResult => ({ kind: 'retry', failure: { code: 'provider-unavailable', providerCode: null, detail: e instanceof Error ? e.message.slice(0, 500) : String(e).slice(0, 500) } }),
    );
  return settle(store, job, result, clock());
};

/** The content of a delivery as an adapter reads it. */
export const outboundOf = (job: DeliveryJob, fileUrl: (attachmentId: string) => string | null): OutboundMessage => ({
  to: job.to ?? '',
  text: job.message.text,
  attachments: job.message.attachments.map((a) => ({ ...a, url: fileUrl(a.id) })),
  replyToChannelMessageId: job.replyToChannelMessageId,
  template: job.message.template ? { name: job.message.template.name, language: job.message.template.language, bodyParams: job.message.template.bodyParams } : null,
  // The satisfaction question offers the five scores as choices where the provider has them.
  menu: job.message.menu ? { header: job.message.text, options: job.message.menu } : job.message.survey ? { header: job.message.text, options: SURVEY_CHOICES } : null,
});
