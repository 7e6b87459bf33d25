import fp from 'fastify-plugin';
import type { FastifyRequest } from 'fastify';
import { CommandError, LIMITS, SESSION_COOKIE, type StaffActor, type User } from '@atende/core';
import { DUMMY_HASH_INPUT, hashPassword, verifyPassword } from '../lib/secrets.ts';
import { authStatements } from '../auth/statements.ts';
import { createSessions } from '../auth/sessions.ts';
import { createBackoff, createGate, tooManyAttempts } from '../auth/throttle.ts';
import { expectedOrigin, originAllowed } from '../auth/origin.ts';
import { startAuthTimers } from '../auth/timers.ts';

export { actorOf } from '../auth/sessions.ts';

/** Routes reachable without a staff session. */
const isPublic = (path: string): boolean =>
  !path.startsWith('/api/') || path === '/api/auth/login' || path === '/api/auth/session' || path === '/api/health' || path.startsWith('/api/widget/');

/** Whether a request must come from the console's own origin (the staff API, login included). */
const isStaffApi = (path: string): boolean => path.startsWith('/api/') && path !== '/api/health' && !path.startsWith('/api/widget/');

export interface Auth {
  setPassword(uid: string, password: string): Promise<void>;
  /** Checks a user's current password before a change; wrong guesses for one user are slowed down like logins. */
  verifyCurrentPassword(uid: string, password: string): Promise<boolean>;
  /** Ends every session of a user but one (after a password change). */
  endSessionsOf(uid: string, exceptHash?: string | null): void;
  /** Checks e-mail and password (guesses for one e-mail are slowed down progressively); returns the user and a new session token. */
  login(email: string, password: string): Promise<{ user: User; token: string }>;
  logout(tokenHash: string): void;
  /** The staff member behind a session cookie, or null if it is missing, expired, tampered with or the user is inactive. */
  resolve(token: string | undefined): { actor: StaffActor; user: User; hash: string } | null;
  /** Whether a session (by its hash) is still valid; keeps it alive, as a request would. */
  sessionAlive(tokenHash: string): boolean;
  /** Called when sessions end, so the live hub can close their sockets. */
  onSessionEnd(listener: (tokenHash: string) => void): void;
  userByEmail(email: string): User | null;
  /** The origin the console is served from (scheme, host, port), for this request. */
  originFor(request: FastifyRequest): string;
}

export interface AuthOptions {
  /** The console's public URL (`PUBLIC_URL`): browsers must come from its origin; https there makes cookies Secure. */
  publicUrl?: string | null;
}

export default fp<AuthOptions>(
  async (app, opts) => {
    const publicUrl = opts.publicUrl ?? null;
    const q = authStatements(app.db);
    const sessions = createSessions(q, app.store, app.clock);
    app.store.onCommit((changes) => sessions.onCommit(changes));
    const { login: L } = LIMITS;
    const backoff = { freeFailures: L.freeFailures, baseDelayMs: L.baseDelayMs, maxDelayMs: L.maxDelayMs, memoryMs: L.failureMemoryMs, maxKeys: 10_000 };
    const loginFailures = createBackoff(backoff);
    const passwordFailures = createBackoff({ ...backoff, freeFailures: L.passwordChangeFreeFailures });
    const hashing = createGate(L.concurrentHashes);

    const userByEmail = (email: string): User | null => {
      const row = q.userByEmail.get(email.trim().toLowerCase());
      return row ? (JSON.parse(row.data) as User) : null;
    };

    const auth: Auth = {
      userByEmail,
      async setPassword(uid, password) {
        q.setCredential.run(uid, await hashing(() => hashPassword(password)), app.clock());
      },
      async verifyCurrentPassword(uid, password) {
        const wait = passwordFailures.waitMs(uid, app.clock());
        if (wait > 0) throw tooManyAttempts(wait);
        const stored = q.credential.get(uid)?.hash;
        const ok = stored ? await hashing(() => verifyPassword(password, stored)) : false;
        if (ok) passwordFailures.clear(uid);
        else passwordFailures.fail(uid, app.clock());
        return ok;
      },
      endSessionsOf: (uid, exceptHash = null) => sessions.endAllOf(uid, exceptHash),
      async login(email, password) {
        const key = email.trim().toLowerCase();
        const wait = loginFailures.waitMs(key, app.clock());
        if (wait > 0) throw tooManyAttempts(wait);
        const user = userByEmail(email);
        const stored = user ? q.credential.get(user.id)?.hash : undefined;
        // Hash even when the user does not exist, so timing does not reveal which e-mails are registered.
        const ok = await hashing(async () => (stored ? verifyPassword(password, stored) : (await hashPassword(DUMMY_HASH_INPUT), false)));
        if (!ok || !user || !user.active) {
          loginFailures.fail(key, app.clock());
          throw new CommandError('unauthenticated', 'E-mail ou senha incorretos. (Wrong e-mail or password.)');
        }
        loginFailures.clear(key);
        return { user, token: sessions.create(user.id) };
      },
      logout: (tokenHash) => sessions.end(tokenHash),
      resolve: (token) => sessions.resolve(token),
      sessionAlive: (tokenHash) => sessions.userOf(tokenHash) !== null,
      onSessionEnd: (listener) => sessions.onEnd(listener),
      originFor: (request) => expectedOrigin(publicUrl, request),
    };
    app.decorate('auth', auth);
    app.decorateRequest('staff', null);
    app.decorateRequest('sessionHash', null);
    app.decorateRequest('customer', null);

    app.addHook('onRequest', async (request) => {
      const path = request.url.split('?')[0] ?? request.url;
      // On top of the SameSite=Lax cookie, a browser request from any other origin (a cross-site
      // WebSocket, a form post, a login from another page) is refused.
      if (isStaffApi(path) && !originAllowed(request.headers.origin, auth.originFor(request)))
        throw new CommandError('permission-denied', `Requisições de ${request.headers.origin} não são aceitas. (Requests from ${request.headers.origin} are not accepted.)`);
      if (isPublic(path)) return;
      const found = auth.resolve(request.cookies[SESSION_COOKIE]);
      if (!found) throw new CommandError('unauthenticated', 'Sessão expirada ou inexistente: entre de novo. (Not signed in.)');
      request.staff = found.actor;
      request.sessionHash = found.hash;
    });

    startAuthTimers(app, () => {
      sessions.sweep();
      loginFailures.sweep(app.clock());
      passwordFailures.sweep(app.clock());
    });
  },
  { name: 'auth', dependencies: ['db'] },
);
