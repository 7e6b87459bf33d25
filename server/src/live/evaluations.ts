import type { AnyDoc, Change, DocRef, QuerySpec, Target } from '@atende/core';
import type { SqliteStore } from '../db/store.ts';
import { outline, outlineFields } from './outline.ts';
import type { Evaluation, Subscription } from './types.ts';

/** What can change a target: its document, or its collection (under its parent). */
const scopeOf = (target: Target): string =>
  target.kind === 'doc'
    ? `doc:${target.ref.collection}/${target.ref.parentId ?? ''}/${target.ref.id}`
    : target.spec.parentId !== undefined
      ? `q:${target.spec.collection}/${target.spec.parentId}`
      : `q:${target.spec.collection}`;

const scopesOfChange = (ref: DocRef): string[] => {
  const scopes = [`doc:${ref.collection}/${ref.parentId ?? ''}/${ref.id}`, `q:${ref.collection}`];
  if (ref.parentId !== undefined) scopes.push(`q:${ref.collection}/${ref.parentId}`);
  return scopes;
};

/**
 * The hub's registry: every distinct target evaluated once (by key), indexed
 * by what can change it so a commit visits only the evaluations it may touch,
 * and the subscriptions that depend on being allowed to read a ticket (by
 * ticket id). An evaluation lives while a subscription uses it.
 */
export const createEvaluations = (store: SqliteStore) => {
  const evaluations = new Map<string, Evaluation>();
  const byScope = new Map<string, Set<Evaluation>>();
  const guards = new Map<string, Set<Subscription>>();

  /** Forgets an evaluation no subscription uses any more. */
  const drop = (evaluation: Evaluation) => {
    if (evaluation.subs.size > 0 || evaluations.get(evaluation.key) !== evaluation) return;
    evaluations.delete(evaluation.key);
    const key = scopeOf(evaluation.target);
    const scope = byScope.get(key);
    scope?.delete(evaluation);
    if (scope?.size === 0) byScope.delete(key);
  };

  return {
    get: (key: string) => evaluations.get(key),
    get size() {
      return evaluations.size;
    },

    /** The target's current result, read from the store. */
    evaluate(target: Target): AnyDoc[] {
      if (target.kind === 'doc') {
        const doc = store.get(target.ref) as AnyDoc | null;
        return doc ? [doc] : [];
      }
      return store.query(target.spec) as AnyDoc[];
    },

    /** A window kept as outlines (outline.ts): the outlines, and each document's stored bytes, in the query's order. */
    readOutlined(spec: QuerySpec): { docs: AnyDoc[]; bytes: Buffer[] } {
      const fields = outlineFields(spec);
      const rows = store.queryBytesWith(spec, fields);
      return { docs: rows.map((r) => outline(r.id, fields, r.values)), bytes: rows.map((r) => r.bytes) };
    },

    /** A window kept as outlines, read again (a full window lost a document): the outlines alone, no document read. */
    readOutlines(spec: QuerySpec): AnyDoc[] {
      const fields = outlineFields(spec);
      return store.queryPlaces(spec, fields).map((r) => outline(r.id, fields, r.values));
    },

    /** A window kept as outlines, for a subscriber joining it: only the stored bytes, in the query's order (no outline built). */
    readStored: (spec: QuerySpec): Buffer[] => store.queryBytesWith(spec, []).map((r) => r.bytes),

    /** The JSON text a committed document was written as (`SqliteStore.storedText`). */
    storedText: (doc: object) => store.storedText(doc),

    /** A document of the committed state. */
    read: (ref: DocRef) => store.get(ref) as AnyDoc | null,

    add(evaluation: Evaluation) {
      evaluations.set(evaluation.key, evaluation);
      const key = scopeOf(evaluation.target);
      (byScope.get(key) ?? byScope.set(key, new Set()).get(key)!).add(evaluation);
    },

    drop,

    addSubscription(sub: Subscription) {
      sub.evaluation.subs.add(sub);
      sub.client.subs.set(sub.id, sub);
      if (sub.guardTicketId) (guards.get(sub.guardTicketId) ?? guards.set(sub.guardTicketId, new Set()).get(sub.guardTicketId)!).add(sub);
    },

    removeSubscription(sub: Subscription) {
      sub.client.subs.delete(sub.id);
      sub.evaluation.subs.delete(sub);
      drop(sub.evaluation);
      if (sub.guardTicketId) {
        const set = guards.get(sub.guardTicketId);
        set?.delete(sub);
        if (set?.size === 0) guards.delete(sub.guardTicketId);
      }
    },

    /** The subscriptions that depend on reading this ticket. */
    guardedBy: (ticketId: string): ReadonlySet<Subscription> | undefined => guards.get(ticketId),

    /** The evaluations a commit's changes may touch. */
    touchedBy(changes: readonly Change[]): Set<Evaluation> {
      const touched = new Set<Evaluation>();
      for (const change of changes) for (const scope of scopesOfChange(change.ref)) for (const e of byScope.get(scope) ?? []) touched.add(e);
      return touched;
    },
  };
};

export type Evaluations = ReturnType<typeof createEvaluations>;
