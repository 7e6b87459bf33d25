import { CommandError, LIMITS, customerTicketView, policy, refs, resolveSubscription, type AnyDoc, type Reader, type Target } from '@atende/core';
import type { SqliteStore } from '../db/store.ts';
import type { Evaluations } from './evaluations.ts';
import { isOutlined, outline, outlineFields } from './outline.ts';
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

  /** A new evaluation of `target`, and its snapshot's documents as JSON text when they came as text. */
  const evaluateNew = (target: Target, key: string, project: Evaluation['project']): { evaluation: Evaluation; snapshotDocs: string | null } => {
    let docs: AnyDoc[];
    // A new query's rows come as the JSON text they are stored in: the snapshot is that text, joined, not
    // a re-serialisation of what was just parsed (for a 10,000-ticket queue, ~6 MB of JSON.stringify saved).
    let snapshotDocs: string | null = null;
    if (target.kind === 'query' && !project && isOutlined(target.spec)) {
      // Large documents whose queries never fill their window: the hub keeps only what places them.
      const fields = outlineFields(target.spec);
      const rows = store.queryTextsWith(target.spec, fields);
      docs = rows.map((r) => outline(r.id, fields, r.values));
      snapshotDocs = `[${rows.map((r) => r.text).join(',')}]`;
    } else if (target.kind === 'query' && !project) {
      const texts = store.queryTexts(target.spec);
      docs = texts.map((t) => JSON.parse(t) as AnyDoc);
      snapshotDocs = `[${texts.join(',')}]`;
    } else docs = registry.evaluate(target);
    const evaluation: Evaluation = { key, project, target, docs, shown: null, subs: new Set() };
    registry.add(evaluation);
    return { evaluation, snapshotDocs };
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
      let snapshotDocs: string | null = null;
      if (!evaluation) ({ evaluation, snapshotDocs } = evaluateNew(target, key, project));
      else if (target.kind === 'query' && !project && isOutlined(target.spec)) {
        // The evaluation keeps outlines only: a subscriber joining it reads the full documents.
        snapshotDocs = `[${store.queryTexts(target.spec).join(',')}]`;
      }
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
      const shown = snapshotDocs ?? shownOf(evaluation);
      send(client, `{"type":"snapshot","id":${JSON.stringify(id)},"docs":${shown}}`);
    } catch (error) {
      send(client, { type: 'error', id, error: errorBody(error) });
    }
  };
};
