import { applyCommit, diff, policy, type AnyDoc, type Change, type DocChange, type DocRef, type Ticket, type User } from '@atende/core';
import type { Evaluations } from './evaluations.ts';
import { changesFrames, changesJson } from './frames.ts';
import { isOutlined } from './outline.ts';
import { applyOutlined } from './outlined.ts';
import type { Sender } from './sender.ts';
import type { Client } from './types.ts';

const sameRef = (a: DocRef, b: DocRef) => a.collection === b.collection && a.id === b.id && (a.parentId ?? '') === (b.parentId ?? '');

/**
 * What the hub does with a commit: end the subscriptions whose ticket their
 * socket may no longer read, reconnect the sockets of a user whose rights
 * changed, then check each touched evaluation once and send its changes to
 * every subscription sharing it.
 */
export const createCommitHandler = (registry: Evaluations, clients: ReadonlySet<Client>, send: Sender) => {
  /** A ticket a subscription depends on changed: end the subscriptions that may no longer see it. */
  const recheckGuards = (change: Change) => {
    const subs = registry.guardedBy(change.ref.id);
    if (!subs) return;
    const ticket = change.after as Ticket | null;
    for (const sub of [...subs]) {
      if (ticket && policy.canReadTicket(sub.client.actor, ticket)) continue;
      registry.removeSubscription(sub);
      if (sub.evaluation.target.kind === 'doc' && change.before)
        send(sub.client, { type: 'changes', id: sub.id, changes: [{ type: 'removed', doc: sub.evaluation.project ? sub.evaluation.project(change.before as AnyDoc) : (change.before as AnyDoc) }] });
      send(sub.client, {
        type: 'error',
        id: sub.id,
        error: ticket
          ? { code: 'permission-denied', message: 'You can no longer see this ticket', issues: [] }
          : { code: 'not-found', message: 'This ticket no longer exists', issues: [] },
      });
    }
  };

  /** A staff member's role or sectors changed: their sockets reconnect and resubscribe under the new rules. */
  const recheckUser = (change: Change) => {
    const before = change.before as User | null;
    const after = change.after as User | null;
    if (!before) return;
    const same =
      after !== null &&
      after.active &&
      after.role === before.role &&
      after.seesAllHistory === before.seesAllHistory &&
      after.name === before.name &&
      JSON.stringify(after.sectorIds) === JSON.stringify(before.sectorIds);
    if (same) return;
    for (const client of clients)
      if (client.actor.kind === 'staff' && client.actor.uid === before.id) client.ws.close(4003, 'permissions changed: reconnect');
  };

  return (changes: readonly Change[]) => {
    for (const change of changes) {
      if (change.ref.collection === 'tickets') recheckGuards(change);
      else if (change.ref.collection === 'users') recheckUser(change);
    }
    for (const evaluation of registry.touchedBy(changes)) {
      let next: AnyDoc[];
      let delta: DocChange[];
      const { target } = evaluation;
      if (target.kind === 'doc') {
        const change = changes.find((c) => sameRef(c.ref, target.ref));
        if (!change) continue;
        next = change.after ? [change.after as AnyDoc] : [];
        delta = diff(evaluation.docs, next);
      } else {
        const { spec } = target;
        const applied =
          !evaluation.project && isOutlined(spec)
            ? applyOutlined(spec, evaluation.docs, changes, () => registry.readOutlines(spec), (id) => registry.read({ collection: spec.collection, id, ...(spec.parentId !== undefined && { parentId: spec.parentId }) } as DocRef))
            : applyCommit(spec, evaluation.docs, changes, () => registry.evaluate(target));
        if (applied === null) continue;
        ({ docs: next, delta } = applied);
      }
      evaluation.docs = next;
      evaluation.shown = null;
      if (delta.length === 0) continue;
      // Serialise once per evaluation and build each subscription id's frame once, not once per socket.
      const frameOf = changesFrames(
        evaluation.project ? JSON.stringify(delta.map((c) => ({ type: c.type, doc: evaluation.project!(c.doc as AnyDoc) }))) : changesJson(delta, registry.storedText),
      );
      for (const sub of evaluation.subs) send.frame(sub.client, frameOf(sub.id));
    }
  };
};
