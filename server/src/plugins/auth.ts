import fp from 'fastify-plugin';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { CommandError, SESSION_COOKIE, refs, type StaffActor, type User } from '@atende/core';
import { DUMMY_HASH_INPUT, hashPassword, hashToken, newToken, verifyPassword } from '../lib/secrets.ts';

const SESSION_TTL_MS = 14 * 24 * 60 * 60 * 1000;
/** How stale lastSeenAt may get before a request refreshes it (and slides the expiry). */
const TOUCH_EVERY_MS = 60 * 1000;
const MAX_FAILURES = 5;
/** Failures from one address over any e-mails: stops spraying a password across many accounts. */
const MAX_FAILURES_PER_IP = 30;
const FAILURE_WINDOW_MS = 5 * 60 * 1000;

export const actorOf = (user: User): StaffActor => ({
  kind: 'staff',
  uid: user.id,
  name: user.name,
  role: user.role,
  sectorIds: user.sectorIds,
  seesAllHistory: user.seesAllHistory,
});

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

/** The host a URL names; every loopback name counts as one (a dev proxy may mix them). */
const hostnameOf = (url: string): string | null => {
  try {
    const { hostname } = new URL(url);
    return LOOPBACK.has(hostname) ? 'loopback' : hostname;
  } catch {
    return null;
  }
};

/** Routes reachable without a staff session. */
const isPublic = (url: string): boolean => {
  const path = url.split('?')[0] ?? url;
  return !path.startsWith('/api/') || path === '/api/auth/login' || path === '/api/health' || path.startsWith('/api/widget/');
};

export interface Auth {
  setPassword(uid: string, password: string): Promise<void>;
  /** Whether this is the user's current password (no session is created, no rate limit counted). */
  checkPassword(uid: string, password: string): Promise<boolean>;
  /** Ends every session of a user but one (after a password change). */
  endSessionsOf(uid: string, exceptHash?: string | null): void;
  /** Checks e-mail and password (rate-limited by ip + e-mail); returns the user and a new session token. */
  login(email: string, password: string, ip: string): Promise<{ user: User; token: string }>;
  logout(tokenHash: string): void;
  /** The staff member behind a session cookie, or null if it is missing, expired, tampered with or the user is inactive. */
  resolve(token: string | undefined): { actor: StaffActor; user: User; hash: string } | null;
  /** Whether a session (by its hash) is still valid; keeps it alive, as a request would. */
  sessionAlive(tokenHash: string): boolean;
  /** Called when sessions end, so the live hub can close their sockets. */
  onSessionEnd(listener: (tokenHash: string) => void): void;
  userByEmail(email: string): User | null;
}

export default fp(
  async (app) => {
    const { db, store } = app;
    const failures = new Map<string, number[]>();
    const endListeners: ((hash: string) => void)[] = [];
    const q = {
      credential: db.prepare<[string], { hash: string }>('SELECT hash FROM credentials WHERE uid = ?'),
      setCredential: db.prepare('INSERT INTO credentials (uid, hash, updated_at) VALUES (?, ?, ?) ON CONFLICT (uid) DO UPDATE SET hash = excluded.hash, updated_at = excluded.updated_at'),
      insertSession: db.prepare('INSERT INTO sessions (token_hash, uid, created_at, expires_at, last_seen_at) VALUES (?, ?, ?, ?, ?)'),
      session: db.prepare<[string], { uid: string; expires_at: number; last_seen_at: number }>('SELECT uid, expires_at, last_seen_at FROM sessions WHERE token_hash = ?'),
      touch: db.prepare('UPDATE sessions SET last_seen_at = ?, expires_at = ? WHERE token_hash = ?'),
      deleteSession: db.prepare('DELETE FROM sessions WHERE token_hash = ?'),
      sessionsOf: db.prepare<[string], { token_hash: string }>('SELECT token_hash FROM sessions WHERE uid = ?'),
      deleteExpired: db.prepare('DELETE FROM sessions WHERE expires_at < ?'),
      userByEmail: db.prepare<[string], { data: string }>("SELECT data FROM users WHERE json_extract(data, '$.email') = ?"),
    };

    const userByEmail = (email: string): User | null => {
      const row = q.userByEmail.get(email.trim().toLowerCase());
      return row ? (JSON.parse(row.data) as User) : null;
    };

    const tooMany = (key: string, now: number, max = MAX_FAILURES): boolean => {
      const recent = (failures.get(key) ?? []).filter((t) => now - t < FAILURE_WINDOW_MS);
      failures.set(key, recent);
      return recent.length >= max;
    };

    const auth: Auth = {
      userByEmail,
      async setPassword(uid, password) {
        q.setCredential.run(uid, await hashPassword(password), app.clock());
      },
      async checkPassword(uid, password) {
        const stored = q.credential.get(uid)?.hash;
        return stored ? verifyPassword(password, stored) : false;
      },
      endSessionsOf(uid, exceptHash = null) {
        for (const { token_hash } of q.sessionsOf.all(uid)) if (token_hash !== exceptHash) auth.logout(token_hash);
      },
      async login(email, password, ip) {
        const now = app.clock();
        const key = `${ip}|${email.trim().toLowerCase()}`;
        const ipKey = `${ip}|*`;
        if (tooMany(key, now) || tooMany(ipKey, now, MAX_FAILURES_PER_IP)) throw new CommandError('resource-exhausted', 'Muitas tentativas de login. Aguarde 5 minutos e tente de novo. (Too many login attempts: wait 5 minutes.)');
        const user = userByEmail(email);
        const stored = user ? q.credential.get(user.id)?.hash : undefined;
        // Hash even when the user does not exist, so timing does not reveal which e-mails are registered.
        const ok = stored ? await verifyPassword(password, stored) : (await hashPassword(DUMMY_HASH_INPUT), false);
        if (!ok || !user || !user.active) {
          failures.get(key)?.push(now) ?? failures.set(key, [now]);
          failures.get(ipKey)?.push(now) ?? failures.set(ipKey, [now]);
          throw new CommandError('unauthenticated', 'E-mail ou senha incorretos. (Wrong e-mail or password.)');
        }
        failures.delete(key);
        const { token, hash } = newToken();
        q.insertSession.run(hash, user.id, now, now + SESSION_TTL_MS, now);
        return { user, token };
      },
      logout(tokenHash) {
        q.deleteSession.run(tokenHash);
        for (const l of endListeners) l(tokenHash);
      },
      resolve(token) {
        if (!token || token.length > 200) return null;
        const hash = hashToken(token);
        const session = q.session.get(hash);
        const now = app.clock();
        if (!session) return null;
        if (session.expires_at <= now) {
          q.deleteSession.run(hash);
          return null;
        }
        const user = store.get(refs.user(session.uid));
        if (!user || !user.active) return null;
        if (now - session.last_seen_at > TOUCH_EVERY_MS) q.touch.run(now, now + SESSION_TTL_MS, hash);
        return { actor: actorOf(user), user, hash };
      },
      sessionAlive(tokenHash) {
        const session = q.session.get(tokenHash);
        const now = app.clock();
        if (!session || session.expires_at <= now) return false;
        const user = store.get(refs.user(session.uid));
        if (!user || !user.active) return false;
        if (now - session.last_seen_at > TOUCH_EVERY_MS) q.touch.run(now, now + SESSION_TTL_MS, tokenHash);
        return true;
      },
      onSessionEnd(listener) {
        endListeners.push(listener);
      },
    };
    app.decorate('auth', auth);
    app.decorateRequest('staff', null);
    app.decorateRequest('sessionHash', null);
    app.decorateRequest('customer', null);

    app.addHook('onRequest', async (request: FastifyRequest, _reply: FastifyReply) => {
      if (isPublic(request.url)) return;
      // The session cookie is SameSite=Lax; on top of that, a browser request from another host
      // (a cross-site WebSocket, a form post) is refused. Hostnames only: a dev proxy on another port is fine.
      const origin = request.headers.origin;
      if (origin && origin !== 'null' && hostnameOf(origin) !== hostnameOf(`http://${request.host}`))
        throw new CommandError('permission-denied', `Requests from ${origin} are not accepted`);
      const found = auth.resolve(request.cookies[SESSION_COOKIE]);
      if (!found) throw new CommandError('unauthenticated', 'Sessão expirada ou inexistente: entre de novo. (Not signed in.)');
      request.staff = found.actor;
      request.sessionHash = found.hash;
    });

    const sweep = setInterval(() => {
      const now = app.clock();
      q.deleteExpired.run(now);
      for (const [key, times] of failures) if (times.every((t) => now - t >= FAILURE_WINDOW_MS)) failures.delete(key);
    }, 10 * 60 * 1000);
    sweep.unref();
    app.addHook('onClose', async () => clearInterval(sweep));
  },
  { name: 'auth', dependencies: ['db'] },
);
