import type { Actor, MalformedDocument, Target } from '@atende/core';
// Types only: the SDK comes with ./firebaseData.ts, loaded by the driver (./firebase.ts).
import type { Firestore } from 'firebase/firestore';
import { backendErrorOf } from './firebaseErrors.ts';
import { BackendError, type LiveEvent } from './types.ts';

type Data = typeof import('./firebaseData.ts');

interface Subscription {
  query: string;
  params: Record<string, unknown>;
  listener: (event: LiveEvent<never>) => void;
  stop: (() => void) | null;
  /** What the listener reads now (its catalogue entry resolved for the actor), as text to compare; null while none runs. */
  target: string | null;
  /** Bumps at every resolution asked, so a late answer from an earlier one is ignored. */
  generation: number;
  /** Names the running listener: an error from one already replaced is not this subscription's. */
  listening: object | null;
}

export interface SubscriptionsDeps {
  data: Promise<Data>;
  firestore: Promise<Firestore>;
  /** Who reads now (the claims of the current ID token); null when signed out. */
  actor: () => Actor | null;
  meter?: Meter | undefined;
}

/**
 * Told what each listener snapshot costs as Firestore bills it: the first, its
 * documents (at least one); each later one, its changes. `removed`: the paths
 * of the documents among them that left the results — Firestore bills such a
 * removal when the document changed out of the query, not when it was
 * deleted, which only the writer knows (the bench's meter sees the deletes in
 * the commits and takes those off).
 */
export type Meter = (query: string, reads: number, removed?: readonly string[]) => void;

/** The configuration's version document the functions bump with every edit (functions/src/configCache.ts). */
const CONFIG_VERSION_DOC = 'meta/config';

/** A resolved target as text: two resolutions read the same documents exactly when their texts are equal. */
const keyOf = (target: Target) => JSON.stringify(target);

/**
 * The driver's live queries: each subscription is its catalogue entry
 * resolved for the signed-in actor (the same core code the embedded server
 * runs, then the rules) and opened as one Firestore listener.
 *
 * When the claims change (`rightsChanged`), every subscription is resolved
 * again for the new actor, and only one whose target changed (say, the
 * queue of "my sectors" after a sector was added) gets a new listener and a
 * fresh snapshot; one whose target is the same keeps its listener and the
 * SDK's cache, so it costs no read. One the new rights refuse ends with
 * that error.
 */
export const createSubscriptions = ({ data, firestore, actor, meter }: SubscriptionsDeps) => {
  const subscriptions = new Set<Subscription>();
  /** The version watches open (Backend.watchVersions), ended quietly on sign-out. */
  const versionWatches = new Set<() => void>();

  const halt = (sub: Subscription) => {
    sub.generation++;
    sub.stop?.();
    sub.stop = null;
    sub.target = null;
    sub.listening = null;
  };

  const end = (sub: Subscription, error: BackendError) => {
    halt(sub);
    subscriptions.delete(sub);
    sub.listener({ type: 'error', error });
  };

  /**
   * Resolves the subscription for the current actor and (re)opens its
   * listener when the target differs from the one running; `keep`: leave a
   * running listener whose target is unchanged alone.
   */
  const resolve = async (sub: Subscription, keep: boolean): Promise<void> => {
    const generation = ++sub.generation;
    const who = actor();
    if (!who) return end(sub, new BackendError('unauthenticated', 'Sign in first'));
    let m: Data;
    let db: Firestore;
    let target: Target;
    try {
      [m, db] = await Promise.all([data, firestore]);
      target = await m.resolveTarget(who, sub.query, sub.params, db);
    } catch (err) {
      if (generation === sub.generation && subscriptions.has(sub)) end(sub, backendErrorOf(err));
      return;
    }
    if (generation !== sub.generation || !subscriptions.has(sub)) return;
    // The rights changed while this resolved: resolve again for the newest.
    if (who !== actor()) return resolve(sub, keep);
    const key = keyOf(target);
    if (keep && sub.stop && sub.target === key) return;
    sub.stop?.();
    sub.target = key;
    const listening = {};
    sub.listening = listening;
    // A listener refused by the rules (say, the ticket moved to a sector I am not in) ends; nothing else breaks.
    const onError = (err: unknown) => {
      if (sub.listening === listening) end(sub, backendErrorOf(err));
    };
    sub.stop = m.listenTarget(db, target, sub.query, sub.listener, onError, meter);
  };

  return {
    add(query: string, params: Record<string, unknown>, listener: (event: LiveEvent<never>) => void): () => void {
      const sub: Subscription = { query, params, listener, stop: null, target: null, generation: 0, listening: null };
      subscriptions.add(sub);
      void resolve(sub, false);
      return () => {
        halt(sub);
        subscriptions.delete(sub);
      };
    },

    /** A catalogue query read once, from the server (the catalogues loaded by version: web/src/live/catalogues.ts); `malformed`: see Backend.load. */
    async load(query: string, params: Record<string, unknown>, malformed?: (reports: MalformedDocument[]) => void): Promise<unknown[]> {
      const who = actor();
      if (!who) throw new BackendError('unauthenticated', 'Sign in first');
      try {
        const [m, db] = await Promise.all([data, firestore]);
        return await m.readTarget(db, await m.resolveTarget(who, query, params, db), query, meter, malformed);
      } catch (err) {
        throw backendErrorOf(err);
      }
    },

    /** The claims changed: re-open only the listeners whose target the new rights change. */
    rightsChanged(): void {
      for (const sub of subscriptions) void resolve(sub, true);
    },

    /** `meta/config`'s numbers (Backend.watchVersions); `failed` when it cannot be read. */
    watchVersions(listener: (versions: Record<string, number>) => void, failed?: () => void): () => void {
      let stop: (() => void) | null = null;
      const close = () => {
        versionWatches.delete(close);
        stop?.();
        stop = null;
      };
      versionWatches.add(close);
      void Promise.all([data, firestore]).then(([m, db]) => {
        if (!versionWatches.has(close)) return;
        stop = m.watchDoc(
          db,
          CONFIG_VERSION_DOC,
          (doc) => {
            meter?.(CONFIG_VERSION_DOC, 1);
            listener(Object.fromEntries(Object.entries(doc ?? {}).filter((e): e is [string, number] => typeof e[1] === 'number')));
          },
          () => versionWatches.has(close) && failed?.(),
        );
      }, () => failed?.());
      return close;
    },

    /** Signed out: every listener ends as such (once signed out, every open one would fail the rules); version watches just stop. */
    endAll(error: BackendError): void {
      for (const sub of [...subscriptions]) end(sub, error);
      for (const close of [...versionWatches]) close();
    },
  };
};
