import fp from 'fastify-plugin';
import { User, seedDemo, seedEmpty, type DemoLogin } from '@atende/core';

export type SeedMode = 'demo' | 'empty' | 'none';

export interface FirstRunOptions {
  seed: SeedMode;
  /** The demo's month of closed tickets (core's `seedDemo` option). */
  history?: boolean;
  admin?: { email: string; password: string; name: string };
}

/**
 * On an empty data directory: the demo workspace (and its logins), or a
 * workspace with only the admin from the environment. A data directory
 * that already has users is never seeded again.
 */
export default fp<FirstRunOptions>(
  async (app, opts) => {
    app.decorate('demoLogins', null);
    const { n } = app.db.prepare('SELECT count(*) AS n FROM users').get() as { n: number };
    if (n > 0 || opts.seed === 'none') return;
    if (opts.seed === 'demo') {
      const logins: DemoLogin[] = await seedDemo(app.deps, { history: opts.history ?? true });
      for (const login of logins) await app.auth.setPassword(login.uid, login.password);
      app.demoLogins = logins;
      app.log.info({ users: logins.length }, 'demo workspace created');
      return;
    }
    const admin = opts.admin;
    if (!admin || !User.shape.email.safeParse(admin.email).success || admin.password.length < 8)
      throw new Error('ATENDE_SEED=empty needs ATENDE_ADMIN_EMAIL (an e-mail address) and ATENDE_ADMIN_PASSWORD (at least 8 characters)');
    const user = await seedEmpty(app.deps, { id: 'admin', name: admin.name || 'Admin', email: admin.email.trim().toLowerCase() });
    await app.auth.setPassword(user.id, admin.password);
    app.log.info({ email: user.email }, 'empty workspace created with its admin');
  },
  { name: 'firstRun', dependencies: ['db', 'auth', 'outbox'] },
);
