import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { CommandError, LIMITS, SESSION_COOKIE, refs } from '@atende/core';
import { limiter } from '../lib/limiter.ts';
import { errorResponses, userSchema } from './schemas.ts';

const authRoutes: FastifyPluginAsync = async (app) => {
  /** Secure whenever the console is served over https (its public URL, or this request when none is set). */
  const cookieOptions = (request: FastifyRequest) => ({
    path: '/',
    httpOnly: true,
    sameSite: 'lax' as const,
    secure: app.auth.originFor(request).startsWith('https:'),
  });
  const emailOf = (request: FastifyRequest) => String((request.body as { email?: unknown } | undefined)?.email ?? '').trim().toLowerCase();

  app.post<{ Body: { email: string; password: string } }>(
    '/api/auth/login',
    {
      // Ceilings on top of the progressive delay per e-mail: per e-mail, and a generous one per client address.
      preHandler: [
        limiter(app, { name: 'login-address', max: LIMITS.login.perAddressPerMinute, timeWindow: 60_000, key: (r) => r.ip }),
        limiter(app, { name: 'login-email', max: LIMITS.login.perEmailPerMinute, timeWindow: 60_000, key: emailOf }),
      ],
      schema: {
        body: {
          type: 'object',
          required: ['email', 'password'],
          properties: { email: { type: 'string', minLength: 3, maxLength: 200 }, password: { type: 'string', minLength: 1, maxLength: 200 } },
        },
        response: { 200: { type: 'object', properties: { user: userSchema } }, ...errorResponses },
      },
    },
    async (request, reply) => {
      const { user, token } = await app.auth.login(request.body.email, request.body.password);
      reply.setCookie(SESSION_COOKIE, token, { ...cookieOptions(request), maxAge: 14 * 24 * 60 * 60 });
      return { user };
    },
  );

  app.post('/api/auth/logout', { schema: { response: { 204: { type: 'null' }, ...errorResponses } } }, async (request, reply) => {
    if (request.sessionHash) app.auth.logout(request.sessionHash);
    reply.clearCookie(SESSION_COOKIE, cookieOptions(request));
    return reply.code(204).send();
  });

  app.get('/api/auth/me', { schema: { response: { 200: { type: 'object', properties: { user: userSchema } }, ...errorResponses } } }, async (request) => {
    const user = request.staff ? app.store.get(refs.user(request.staff.uid)) : null;
    if (!user) throw new CommandError('unauthenticated', 'Not signed in');
    return { user };
  });

  // The SPA asks at every page load whether someone is signed in: "nobody" is an answer, not an error (no 401 in the browser's console).
  app.get('/api/auth/session', { schema: { response: { 200: { type: 'object', properties: { user: { anyOf: [userSchema, { type: 'null' }] } } } } } }, async (request) => {
    // A public path (no 401 from the auth hook): the cookie is resolved here, with the same rules.
    const found = app.auth.resolve(request.cookies[SESSION_COOKIE]);
    return { user: found ? (app.store.get(refs.user(found.actor.uid)) ?? null) : null };
  });

  /**
   * Not in the SPA's contract yet: an admin sets the password of a user they
   * created with `user.save`; anyone changes their own with the current one.
   */
  app.post<{ Body: { uid?: string; password: string; currentPassword?: string } }>(
    '/api/auth/password',
    {
      schema: {
        body: {
          type: 'object',
          required: ['password'],
          properties: {
            uid: { type: 'string', minLength: 1, maxLength: 128 },
            password: { type: 'string', minLength: 8, maxLength: 200 },
            currentPassword: { type: 'string', maxLength: 200 },
          },
        },
        response: { 204: { type: 'null' }, ...errorResponses },
      },
    },
    async (request, reply) => {
      const staff = request.staff!;
      const uid = request.body.uid ?? staff.uid;
      if (uid !== staff.uid) {
        if (staff.role !== 'admin') throw new CommandError('permission-denied', 'only admins may set other users’ passwords');
        if (!app.store.get(refs.user(uid))) throw new CommandError('not-found', `User ${uid} does not exist`, [{ path: 'uid', message: 'no such user' }]);
      } else if (!(await app.auth.verifyCurrentPassword(uid, request.body.currentPassword ?? ''))) {
        throw new CommandError('permission-denied', 'Senha atual incorreta. (Current password is wrong.)', [{ path: 'currentPassword', message: 'wrong password' }]);
      }
      await app.auth.setPassword(uid, request.body.password);
      // Whoever knew the old password is signed out everywhere else.
      app.auth.endSessionsOf(uid, uid === staff.uid ? request.sessionHash : null);
      return reply.code(204).send();
    },
  );
};

export default authRoutes;
