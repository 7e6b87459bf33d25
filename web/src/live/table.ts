import type { QueryDoc, QueryName, QueryParams } from '@atende/core';
import { backend, type LiveEvent } from '@/backend';

/** What a store does with the events of live query Q; typed by core's catalogue. */
export type LiveHandler<Q extends QueryName> = (event: LiveEvent<QueryDoc<Q>>, params: QueryParams<Q>) => void;

/**
 * A typed map from live queries to their handlers, for a store that follows
 * several (`satisfies LiveTable`). This module imports no store: each store
 * passes its own handler, so stores depend on this file and never the reverse.
 */
export type LiveTable = { [Q in QueryName]?: LiveHandler<Q> };

/** Subscribes to a catalogue query through the backend; the handler gets every event with the parameters it was opened with. */
export const subscribeLive = <Q extends QueryName>(query: Q, params: QueryParams<Q>, handler: LiveHandler<Q>): (() => void) =>
  backend().subscribe(query, params, (event) => handler(event, params));
