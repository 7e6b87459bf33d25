import type { FastifyInstance } from 'fastify';

const SWEEP_EVERY_MS = 10 * 60 * 1000;

/** Runs the auth housekeeping (expired sessions, forgotten failures) every ten minutes until the app closes. */
export const startAuthTimers = (app: FastifyInstance, sweep: () => void): void => {
  const timer = setInterval(sweep, SWEEP_EVERY_MS);
  timer.unref();
  app.addHook('onClose', async () => clearInterval(timer));
};
