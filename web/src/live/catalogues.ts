import type { MalformedDocument, QueryName } from '@atende/core';
// Relative, not '@/…': the functions' tests drive this with the Firebase driver.
import type { Backend, BackendError, LiveEvent } from '../backend/types.ts';

/**
 * The version (a field of the backend's versions, `meta/config` on Firebase)
 * that moves when a catalogue's collection is written: the collection's name
 * (`tags.all` → `tags`, `settings` → `settings`). Not read from core's
 * catalogue: a value import of '@atende/core' would put all of core in the
 * console's first chunk (web/test/bundle.test.ts).
 */
export const versionOf = (query: QueryName): string => query.replace(/\.all$/, '');

/**
 * How the console follows the workspace's reference catalogues (sectors,
 * channels, tags, classifications, quick replies, pause reasons, settings):
 * one rule for both backends, the backend says which way.
 *
 * Where the backend gives the configuration's versions (`watchVersions`:
 * Firebase, where every change a listener hears is a billed read and a
 * listener back after 30 minutes offline reads all its documents again),
 * each catalogue is loaded once, and loaded again only when its version
 * moves: a console costs one read of the version document, not seven live
 * catalogues, and an edit reloads only its catalogue. Where it does not (the
 * embedded server's socket sends only changes, at no cost), each catalogue is
 * followed live. If the versions cannot be read, live too.
 *
 * `apply` gets each catalogue's events as from a live query: a `snapshot`
 * (the whole catalogue, at every load, with the documents it left out as
 * malformed: `LiveEvent.malformed`), then `changes` when followed live;
 * an `error` when a load fails (the next version move tries again).
 */
export const followCatalogues = <Q extends QueryName>(backend: Backend, queries: readonly Q[], apply: (query: Q, event: LiveEvent<unknown>) => void): (() => void) => {
  const live = () => queries.map((q) => backend.subscribe(q, {} as never, (e) => apply(q, e as LiveEvent<unknown>)));
  const { watchVersions, load } = backend;
  if (!watchVersions || !load) {
    const stops = live();
    return () => stops.forEach((s) => s());
  }
  let stopped = false;
  let liveStops: (() => void)[] | null = null;
  /** The version each catalogue was last asked at; a load's answer counts only if no newer one was asked meanwhile. */
  const asked = new Map<Q, { version: number | undefined }>();

  const reload = (q: Q, version: number | undefined) => {
    const request = { version };
    asked.set(q, request);
    let malformed: MalformedDocument[] = [];
    load.call(backend, q, {} as never, (reports) => (malformed = reports)).then(
      (docs) => {
        if (!stopped && !liveStops && asked.get(q) === request) apply(q, { type: 'snapshot', docs, ...(malformed.length > 0 ? { malformed } : {}) });
      },
      (error: unknown) => {
        if (!stopped && !liveStops && asked.get(q) === request) apply(q, { type: 'error', error: error as BackendError });
      },
    );
  };

  const stopVersions = watchVersions.call(
    backend,
    (versions) => {
      if (stopped || liveStops) return;
      for (const q of queries) {
        const version = versions[versionOf(q)];
        const last = asked.get(q);
        if (!last || last.version !== version) reload(q, version);
      }
    },
    () => {
      if (stopped || liveStops) return;
      liveStops = live();
    },
  );
  return () => {
    stopped = true;
    stopVersions();
    liveStops?.forEach((s) => s());
  };
};
