import { CommandError, LIMITS, customerTicketView, policy, refs, resolveSubscription, type AnyDoc, type Reader, type Target } from '@atende/core';
import type { SqliteStore } from '../db/store.ts';
import type { Evaluations } from './evaluations.ts';
import { snapshotFrame } from './frames.ts';
import { isOutlined } from './outline.ts';
import { errorBody, type Sender } from './sender.ts';
import { LIVE_SHOWN_KEPT_CHARS, type Client, type Evaluation, type Subscription } from './types.ts';

const { maxSubscriptions: MAX_SUBSCRIPTIONS, maxPending: MAX_PENDING } = LIMITS.live;

/** The ticket a target's visibility depends on: a ticket document, or a ticket's messages. */
const guardOf = (target: Target): string | null =>
  target.kind === 'doc' && target.ref.collection === 'tickets'
    ? target.ref.id
    : target.kind === 'query' && target.spec.collection === 'messages' && target.spec.parentId !== undefined
      ? target.spec.parentId
      : null;

/**
 * A subscribe request: resolved against the catalogue (which authorises it),
 * joined to the evaluation of the same target or a new one, answered with a
 * snapshot. Bounded per socket by LIMITS.live (subscriptions, and requests
 * waiting for their authorisation).
 */
export const createSubscribe = (store: SqliteStore, registry: Evaluations, send: Sender) => {
  const reader: Reader = { get: async (ref) => store.get(ref) };

  /**
   * A new evaluation of `target`, and its snapshot's documents when they came as stored: their bytes for a
   * window kept as outlines, their JSON text for another query (a snapshot of text joined, not a
   * re-serialisation of what was just parsed).
   */
  const evaluateNew = (target: Target, key: string, project: Evaluation['project']): { evaluation: Evaluation; stored: Buffer[] | string | null } => {
    let docs: AnyDoc[];
    let stored: Buffer[] | string | null = null;
    if (target.kind === 'query' && !project && isOutlined(target.spec)) ({ docs, bytes: stored } = registry.readOutlined(target.spec));
    else if (target.kind === 'query' && !project) {
      const texts = store.queryTexts(target.spec);
      docs = texts.map((t) => JSON.parse(t) as AnyDoc);
      stored = `[${texts.join(',')}]`;
    } else docs = registry.evaluate(target);
    const evaluation: Evaluation = { key, project, target, docs, shown: null, subs: new Set() };
    registry.add(evaluation);
    return { evaluation, stored };
  };

  /** The evaluation's documents as its subscribers see them, as JSON (kept while they do not change). */
  const shownOf = (evaluation: Evaluation): string => {
    if (evaluation.shown !== null) return evaluation.shown;
    const text = JSON.stringify(evaluation.project ? evaluation.docs.map(evaluation.project) : evaluation.docs);
    if (text.length <= LIVE_SHOWN_KEPT_CHARS) evaluation.shown = text;
    return text;
  };

  return async (client: Client, id: string, query: string, params: unknown) => {
    if (client.subs.size >= MAX_SUBSCRIPTIONS && !client.subs.has(id))
      return send(client, { type: 'error', id, error: errorBody(new CommandError('resource-exhausted', `At most ${MAX_SUBSCRIPTIONS} live queries per connection`)) });
    if (client.pending.size >= MAX_PENDING && !client.pending.has(id))
      return send(client, { type: 'error', id, error: errorBody(new CommandError('resource-exhausted', `At most ${MAX_PENDING} subscriptions waiting at once`)) });
    const token = {};
    client.pending.set(id, token);
    /** Whether this request is still the newest for its id; the first call also ends its wait. */
    const current = () => {
      if (client.pending.get(id) !== token) return false;
      client.pending.delete(id);
      return true;
    };
    let target: Target;
    try {
      target = await resolveSubscription(client.actor, query, params, reader);
    } catch (error) {
      if (current()) send(client, { type: 'error', id, error: errorBody(error) });
      return;
    }
    if (!current() || client.ws.readyState !== client.ws.OPEN) return;
    try {
      const existing = client.subs.get(id);
      if (existing) registry.removeSubscription(existing);
      // From here on everything is synchronous: no commit can slip between the snapshot and the registration.
      // A customer's tickets are shown as core's customer-facing projection, never shared with a staff evaluation.
      const project =
        client.actor.kind === 'customer' && (target.kind === 'query' ? target.spec.collection : target.ref.collection) === 'tickets' ? customerTicketView : null;
      const key = `${project ? 'customer:' : ''}${JSON.stringify(target)}`;
      let evaluation = registry.get(key);
      let stored: Buffer[] | string | null = null;
      if (!evaluation) ({ evaluation, stored } = evaluateNew(target, key, project));
      // The evaluation keeps outlines only: a subscriber joining it reads the stored documents.
      else if (target.kind === 'query' && !project && isOutlined(target.spec)) stored = registry.readStored(target.spec);
      const guardTicketId = guardOf(target);
      if (guardTicketId) {
        // Authorisation read the ticket a few microtasks ago; a commit may have moved it since.
        const ticket = store.get(refs.ticket(guardTicketId));
        if (!ticket || !policy.canReadTicket(client.actor, ticket)) {
          registry.drop(evaluation);
          throw new CommandError('permission-denied', 'you cannot see this ticket');
        }
      }
      const sub: Subscription = { id, client, evaluation, guardTicketId };
      registry.addSubscription(sub);
      if (Array.isArray(stored)) send.frame(client, snapshotFrame(id, stored));
      else send(client, `{"type":"snapshot","id":${JSON.stringify(id)},"docs":${stored ?? shownOf(evaluation)}}`);
    } catch (error) {
      send(client, { type: 'error', id, error: errorBody(error) });
    }
  };
};
