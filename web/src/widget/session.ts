/** Where the widget keeps its session: one per channel, so two companies' widgets on one browser never mix. */
export interface StoredSession {
  token: string;
  name: string;
}

const key = (channelId: string) => `atende.widget.${channelId}`;

export const loadSession = (channelId: string, storage: Storage | null = safeStorage()): StoredSession | null => {
  try {
    const raw = storage?.getItem(key(channelId));
    if (!raw) return null;
    const parsed = JSON.parse(raw) as Partial<StoredSession>;
    return typeof parsed.token === 'string' && typeof parsed.name === 'string' ? { token: parsed.token, name: parsed.name } : null;
  } catch {
    return null;
  }
};

export const saveSession = (channelId: string, session: StoredSession, storage: Storage | null = safeStorage()): void => {
  try {
    storage?.setItem(key(channelId), JSON.stringify(session));
  } catch {
    // Storage full or blocked (third-party iframe in strict browsers): the chat still works until reload.
  }
};

export const clearSession = (channelId: string, storage: Storage | null = safeStorage()): void => {
  try {
    storage?.removeItem(key(channelId));
  } catch {
    // Same as above.
  }
};

function safeStorage(): Storage | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    // Accessing localStorage throws when third-party storage is blocked.
    return null;
  }
}

/** `/widget/site` → `site`. */
export const channelIdFromPath = (pathname: string): string => {
  const match = /\/widget\/([^/?#]+)/.exec(pathname);
  return match ? decodeURIComponent(match[1]!) : '';
};

/** Applies a brand colour given as `#rrggbb` (anything else is ignored), with readable text on it. */
export const applyBrandColour = (colour: string | null, root: HTMLElement): void => {
  if (!colour || !/^#?[0-9a-fA-F]{6}$/.test(colour)) return;
  const hex = colour.startsWith('#') ? colour : `#${colour}`;
  const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255) as [number, number, number];
  const luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b;
  root.style.setProperty('--brand', hex);
  root.style.setProperty('--brand-ink', luminance > 0.6 ? '#111827' : '#ffffff');
};
