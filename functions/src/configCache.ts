import { FieldValue, type DocumentReference, type DocumentSnapshot, type Firestore, type Timestamp, type Transaction } from 'firebase-admin/firestore';

/**
 * Configuration documents kept in the function instance's memory (issue 15:
 * Firestore bills every document a transaction reads). Nearly every command
 * reads the channel, the settings, a sector…; they change only when an admin
 * edits them. So a transaction's first read of a configuration document
 * checks ONE version document, `meta/config`, and the documents read under
 * that version are served from memory:
 *
 * - every transaction that writes a configuration document also bumps
 *   `meta/config.version` (functions/src/store.ts), and empties this
 *   instance's cache at once: the next command here sees the edit;
 * - other instances see the new version at their next check: the version is
 *   trusted for `freshMs` after it was read (default 10 s), so an admin's
 *   edit reaches every instance within that time;
 * - a hand edit in the Firebase console bumps nothing: every cached document
 *   is read again once it is `maxAgeMs` old (default 60 s). Incrementing
 *   `meta/config.version` by hand applies it at the next check.
 *
 * A document served from memory still guards the transaction's writes of it
 * with the update time it was read at (a stale copy makes the commit fail,
 * the cache is emptied and the transaction runs again on fresh data).
 * Tickets, messages and contacts are never cached; users only for the
 * security gate, outside transactions (`user`; their presence changes all
 * the time, their rights bump the version).
 */
export const CONFIG_COLLECTIONS: ReadonlySet<string> = new Set(['settings', 'channels', 'channelSecrets', 'sectors', 'classifications', 'tags', 'pauseReasons', 'quickReplies', 'templates']);

/**
 * The configuration's version document: `version` moves with every write of
 * configuration (the instances' caches follow it), and one field per
 * collection (`sectors`, `tags`, `settings`, …) moves with a write of that
 * collection: the console loads each catalogue once and again only when its
 * field moves (web/src/live/catalogues.ts). Staff may read it, nobody writes
 * it but the functions (firestore.rules).
 */
export const CONFIG_VERSION_PATH = 'meta/config';

/** The version document's change for a transaction that wrote these configuration collections. */
export const configVersionBump = (collections: Iterable<string>): Record<string, FieldValue> => {
  const bump: Record<string, FieldValue> = { version: FieldValue.increment(1) };
  for (const c of collections) bump[c] = FieldValue.increment(1);
  return bump;
};

export interface ConfigCacheOptions {
  /** How long a version read is trusted before the next transaction checks it again. */
  freshMs?: number;
  /** How long a cached document is served at most (hand edits in the console bump no version). */
  maxAgeMs?: number;
  /** The cache's own clock (tests move it); the real time by default. */
  now?: () => number;
}

type Data = Record<string, unknown>;

/** What FirestoreStore needs of a read: the same fields a DocumentSnapshot has. */
export interface CachedSnapshot {
  exists: boolean;
  updateTime?: Timestamp;
  ref: DocumentReference;
  data(): Data | undefined;
}

interface Entry {
  exists: boolean;
  updateTime?: Timestamp;
  data: Data | undefined;
  at: number;
}

/** A copy the caller may change: plain objects and arrays copied, anything else (Timestamps) shared, being immutable. */
const copy = <T>(value: T): T => {
  if (Array.isArray(value)) return value.map(copy) as T;
  if (value && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype)
    return Object.fromEntries(Object.entries(value as Data).map(([k, v]) => [k, copy(v)])) as T;
  return value;
};

/** Is this document (a top-level path) configuration? */
export const isConfigPath = (path: string): boolean => {
  const parts = path.split('/');
  return parts.length === 2 && CONFIG_COLLECTIONS.has(parts[0]!);
};

export class ConfigCache {
  private readonly freshMs: number;
  private readonly maxAgeMs: number;
  private readonly now: () => number;
  private version: number | null = null;
  private checkedAt = Number.NEGATIVE_INFINITY;
  private readonly entries = new Map<string, Entry>();

  constructor(options: ConfigCacheOptions = {}) {
    this.freshMs = options.freshMs ?? 10_000;
    this.maxAgeMs = options.maxAgeMs ?? 60_000;
    this.now = options.now ?? Date.now;
  }

  /** Forgets everything: after this instance wrote configuration, or lost a race on a copy it served. */
  clear(): void {
    this.entries.clear();
    this.version = null;
    this.checkedAt = Number.NEGATIVE_INFINITY;
  }

  /**
   * One transaction's view of the cache: `get` serves a configuration
   * document from memory when the version is current, else reads it (and
   * keeps it). The version document is read at most once per transaction,
   * and only when the last check is older than `freshMs`.
   */
  reader(db: Firestore, t: Transaction) {
    let checked = false;
    const check = async () => {
      if (checked) return;
      checked = true;
      await this.check((ref) => t.get(ref), db);
    };
    return async (ref: DocumentReference): Promise<DocumentSnapshot | CachedSnapshot> => {
      await check();
      return this.serve(ref, (r) => t.get(r));
    };
  }

  /**
   * The caller's `users/{uid}` for the security gate (functions/src/actor.ts),
   * read outside any transaction under the same version: a change of rights
   * made in Atende bumps it (functions/src/store.ts), so this instance sees
   * it at its next command and every other within `freshMs`; a hand edit in
   * the Firebase console (a deactivation) within `maxAgeMs`.
   */
  async user(db: Firestore, uid: string): Promise<Data | undefined> {
    await this.check((ref) => ref.get(), db);
    return (await this.serve(db.doc(`users/${uid}`), (r) => r.get())).data();
  }

  /** Reads the version document when the last check is older than `freshMs`; a new version empties the cache. */
  private async check(get: (ref: DocumentReference) => Promise<DocumentSnapshot>, db: Firestore): Promise<void> {
    const at = this.now();
    if (at - this.checkedAt < this.freshMs) return;
    const snap = await get(db.doc(CONFIG_VERSION_PATH));
    const version = Number((snap.data() as { version?: unknown } | undefined)?.version ?? 0);
    if (version !== this.version) {
      this.entries.clear();
      this.version = version;
    }
    this.checkedAt = at;
  }

  /** From memory when held and younger than `maxAgeMs`, else read and kept. */
  private async serve(ref: DocumentReference, get: (ref: DocumentReference) => Promise<DocumentSnapshot>): Promise<DocumentSnapshot | CachedSnapshot> {
    const at = this.now();
    const held = this.entries.get(ref.path);
    if (held && at - held.at < this.maxAgeMs) return { exists: held.exists, updateTime: held.updateTime, ref, data: () => copy(held.data) };
    const version = this.version;
    const snap = await get(ref);
    // Kept only under the version it was read with (an instance-local write in between empties the cache).
    if (version === this.version) this.entries.set(ref.path, { exists: snap.exists, updateTime: snap.updateTime, data: snap.exists ? copy(snap.data()) : undefined, at });
    return snap;
  }
}

/** What the security gate takes from a users document (functions/src/actor.ts): a change of these bumps the configuration's version. */
const RIGHTS = ['role', 'sectorIds', 'seesAllHistory', 'active', 'name'];

/**
 * Does this write of a users document (`before`: as the transaction read it,
 * if it did) change what the security gate reads? Presence and other
 * updates that leave the rights alone bump nothing.
 */
export const changesRights = (before: Data | undefined, op: { kind: string; data: Data }): boolean => {
  if (op.kind === 'delete') return true;
  return RIGHTS.some((k) => (op.kind !== 'update' || k in op.data) && (!before || JSON.stringify(op.data[k]) !== JSON.stringify(before[k])));
};
