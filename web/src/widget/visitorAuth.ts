/**
 * The visitor's anonymous Firebase account over Firebase Auth's REST API
 * (Identity Toolkit `accounts:signUp`, Secure Token `token`) instead of the
 * Auth SDK (~35 KB gzip): the widget needs only an anonymous sign-in, a
 * refreshed ID token and the claims in it. The refresh token is kept in
 * localStorage, so a reload resumes the same visitor.
 */
export interface VisitorSession {
  uid: string;
  claims: Record<string, unknown>;
  /** The ID token the session's claims come from (sent to Firestore and the callable). */
  idToken?: string;
}

/** Firebase Auth, narrowed to what the widget uses (tests stand in for it). */
export interface VisitorAuth {
  /** The visitor this browser kept from an earlier visit; null when there is none. */
  current(): Promise<VisitorSession | null>;
  /** Signs in anonymously; the account persists in the browser, so a reload resumes it. */
  signIn(): Promise<VisitorSession>;
  /** A fresh ID token (with the claim `widget.session` has just set). */
  refresh(): Promise<VisitorSession | null>;
  /** A valid ID token for a request (refreshed when it is about to expire); null when signed out. */
  idToken(): Promise<string | null>;
}

export interface RestAuthOptions {
  apiKey: string;
  /** Where the tokens are kept (one visitor per project and browser). */
  storageKey: string;
  /** `http://host:9099` for the Auth emulator; Google's hosts otherwise. */
  emulator?: string;
  storage?: Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;
  fetch?: typeof fetch;
  now?: () => number;
}

interface Kept {
  uid: string;
  idToken: string;
  refreshToken: string;
  expiresAt: number;
}

/** The payload of a JWT (the ID token's claims; the signature is the servers' business). */
export const claimsOf = (idToken: string): Record<string, unknown> => {
  const part = idToken.split('.')[1] ?? '';
  const json = atob(part.replace(/-/g, '+').replace(/_/g, '/').padEnd(Math.ceil(part.length / 4) * 4, '='));
  return JSON.parse(new TextDecoder().decode(Uint8Array.from(json, (c) => c.charCodeAt(0)))) as Record<string, unknown>;
};

const authError = (status: number, body: unknown) => {
  const message = (body as { error?: { message?: unknown } } | null)?.error?.message;
  const text = typeof message === 'string' ? message : `Auth answered ${status}`;
  // TOKEN_EXPIRED, USER_DISABLED, USER_NOT_FOUND, INVALID_REFRESH_TOKEN: the kept account is gone.
  return { code: status >= 500 ? 'unavailable' : status === 429 || /TOO_MANY/.test(text) ? 'resource-exhausted' : 'unauthenticated', message: text };
};

export const restVisitorAuth = (o: RestAuthOptions): VisitorAuth => {
  const identity = `${o.emulator ? `${o.emulator}/identitytoolkit.googleapis.com` : 'https://identitytoolkit.googleapis.com'}/v1`;
  const secure = `${o.emulator ? `${o.emulator}/securetoken.googleapis.com` : 'https://securetoken.googleapis.com'}/v1`;
  const store = o.storage ?? (typeof localStorage === 'undefined' ? undefined : localStorage);
  const now = o.now ?? Date.now;
  const read = (): Kept | null => {
    try {
      const k = JSON.parse(store?.getItem(o.storageKey) ?? 'null') as Kept | null;
      return k && typeof k.refreshToken === 'string' && typeof k.uid === 'string' ? k : null;
    } catch {
      return null;
    }
  };
  let kept = read();
  const keep = (k: Kept | null) => {
    kept = k;
    try {
      if (k) store?.setItem(o.storageKey, JSON.stringify(k));
      else store?.removeItem(o.storageKey);
    } catch {
      // Private mode without storage: the session lasts as long as the page.
    }
  };
  const post = async (url: string, body: string, type: string): Promise<Record<string, unknown>> => {
    let res: Response;
    try {
      res = await (o.fetch ?? fetch)(url, { method: 'POST', headers: { 'content-type': type }, body });
    } catch {
      throw { code: 'auth/network-request-failed', message: 'network error' };
    }
    const json = (await res.json().catch(() => null)) as Record<string, unknown> | null;
    if (!res.ok || !json) throw authError(res.status, json);
    return json;
  };
  const session = (k: Kept): VisitorSession => ({ uid: k.uid, claims: claimsOf(k.idToken), idToken: k.idToken });
  let refreshing: Promise<VisitorSession | null> | null = null;
  const refresh = () =>
    (refreshing ??= (async () => {
      const k = kept;
      if (!k) return null;
      try {
        const r = await post(`${secure}/token?key=${encodeURIComponent(o.apiKey)}`, `grant_type=refresh_token&refresh_token=${encodeURIComponent(k.refreshToken)}`, 'application/x-www-form-urlencoded');
        keep({ uid: String(r.user_id), idToken: String(r.id_token), refreshToken: String(r.refresh_token), expiresAt: now() + Number(r.expires_in) * 1000 });
      } catch (e) {
        if ((e as { code?: string }).code === 'unauthenticated') keep(null);
        throw e;
      }
      return session(kept!);
    })().finally(() => (refreshing = null)));
  return {
    current: async () => (kept ? session(kept) : null),
    async signIn() {
      const r = await post(`${identity}/accounts:signUp?key=${encodeURIComponent(o.apiKey)}`, JSON.stringify({ returnSecureToken: true }), 'application/json');
      keep({ uid: String(r.localId), idToken: String(r.idToken), refreshToken: String(r.refreshToken), expiresAt: now() + Number(r.expiresIn) * 1000 });
      return session(kept!);
    },
    refresh,
    async idToken() {
      if (!kept) return null;
      // A minute's margin: the request must arrive before the token expires.
      if (kept.expiresAt - now() < 60_000) return (await refresh())?.idToken ?? null;
      return kept.idToken;
    },
  };
};
