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

/** A10: protocols read as the day they were opened plus a daily sequence, e.g. 20261121-0042. */
export const protocolFor = {
  counterId: (now: number, settings: Pick<Settings, 'businessHours'>) => `protocol.${dateParts(now, settings.businessHours.timezone)}`,
  format: (now: number, settings: Pick<Settings, 'businessHours'>, seq: number) =>
    `${dateParts(now, settings.businessHours.timezone)}-${String(seq).padStart(4, '0')}`,
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
