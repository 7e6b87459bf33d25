// What an agent has typed but not sent, per ticket, kept in this browser (localStorage) so it
// survives switching tickets, closing a window and reloading the page. Bounded: the newest
// MAX_DRAFTS drafts of at most MAX_CHARS each, none older than MAX_AGE_MS.

const PREFIX = 'atende.draft.';
export const MAX_DRAFTS = 50;
export const MAX_CHARS = 10_000;
export const MAX_AGE_MS = 7 * 24 * 3600_000;

interface Stored {
  text: string;
  at: number;
}

const keyOf = (userId: string, ticketId: string) => `${PREFIX}${userId}.${ticketId}`;

function storage(): Storage | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    return null;
  }
}

function read(key: string): Stored | null {
  const raw = storage()?.getItem(key);
  if (!raw) return null;
  try {
    const v = JSON.parse(raw) as Stored;
    return typeof v.text === 'string' && typeof v.at === 'number' ? v : null;
  } catch {
    return null;
  }
}

/** The draft of this ticket for this user ('' when none, or when it is too old). */
export function loadDraft(userId: string, ticketId: string, now = Date.now()): string {
  const v = read(keyOf(userId, ticketId));
  return v && now - v.at <= MAX_AGE_MS ? v.text : '';
}

/** Keeps (or, when empty, forgets) the draft, then drops the oldest beyond the bound. */
export function saveDraft(userId: string, ticketId: string, text: string, now = Date.now()): void {
  const s = storage();
  if (!s) return;
  const key = keyOf(userId, ticketId);
  const fresh = s.getItem(key) === null;
  try {
    if (!text.trim()) s.removeItem(key);
    else s.setItem(key, JSON.stringify({ text: text.slice(0, MAX_CHARS), at: now } satisfies Stored));
  } catch {
    return; // storage full or refused: the draft lives on in the composer until it is sent
  }
  if (fresh) prune(now);
}

export const clearDraft = (userId: string, ticketId: string): void => saveDraft(userId, ticketId, '');

function prune(now: number) {
  const s = storage();
  if (!s) return;
  const all: { key: string; at: number }[] = [];
  for (let i = 0; i < s.length; i++) {
    const key = s.key(i);
    if (!key?.startsWith(PREFIX)) continue;
    all.push({ key, at: read(key)?.at ?? 0 });
  }
  all.sort((a, b) => b.at - a.at);
  for (const [i, d] of all.entries()) if (i >= MAX_DRAFTS || now - d.at > MAX_AGE_MS) s.removeItem(d.key);
}
