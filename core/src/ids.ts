import type { Settings } from './model/index.ts';

/** cyrb53: a fast 53-bit string hash (public domain), pure JS so the core stays portable. */
const cyrb53 = (str: string, seed: number): number => {
  let h1 = 0xdeadbeef ^ seed;
  let h2 = 0x41c6ce57 ^ seed;
  for (let i = 0; i < str.length; i++) {
    const ch = str.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
};

/** A document id for any string: kept as is when it is already a safe id, hashed (106 bits) otherwise. */
export const safeKey = (s: string): string =>
  /^[A-Za-z0-9_.:-]{1,100}$/.test(s) ? s : `h${cyrb53(s, 1).toString(36)}${cyrb53(s, 2).toString(36)}`;

const dateParts = (now: number, timeZone: string) => {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(now);
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? '';
  return `${get('year')}${get('month')}${get('day')}`;
};

/** How many counter documents share a day's protocol numbers (the digit after the dash). */
export const PROTOCOL_SHARDS = 10;

/**
 * A10: a protocol reads as the local day, a dash, the shard digit and that
 * shard's daily sequence (at least four digits): `20261202-30042` is the 42nd
 * ticket of shard 3 on 2 December 2026. Short enough to dictate over the
 * phone and unique: each (day, shard) has one counter, bumped in the
 * transaction that opens the ticket.
 *
 * The shard is a hash of the contact's identity, so a day's new tickets
 * spread over `PROTOCOL_SHARDS` counter documents instead of queueing on one
 * (Firestore takes about one write a second per document); a contact's
 * tickets always use the same counter. The same rule runs on both backends.
 */
export const protocolFor = {
  shard: (identityKey: string): number => cyrb53(identityKey, 3) % PROTOCOL_SHARDS,
  counterId: (now: number, settings: Pick<Settings, 'businessHours'>, shard: number) => `protocol.${dateParts(now, settings.businessHours.timezone)}.${shard}`,
  format: (now: number, settings: Pick<Settings, 'businessHours'>, shard: number, seq: number) =>
    `${dateParts(now, settings.businessHours.timezone)}-${shard}${String(seq).padStart(4, '0')}`,
};

/**
 * Time-ordered ids (like ULIDs: 10 characters of time, then a counter and
 * randomness), so documents created in one millisecond still sort in the
 * order they were made.
 */
export const createIdGenerator = (clock: () => number = Date.now, random: () => number = Math.random) => {
  let last = 0;
  let counter = 0;
  return (): string => {
    const now = clock();
    if (now === last) counter++;
    else {
      last = now;
      counter = 0;
    }
    const time = now.toString(36).padStart(9, '0');
    const seq = counter.toString(36).padStart(4, '0');
    const rand = Math.floor(random() * 36 ** 6)
      .toString(36)
      .padStart(6, '0');
    return `${time}${seq}${rand}`;
  };
};
