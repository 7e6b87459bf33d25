import fp from 'fastify-plugin';
import { CopilotIndex, learnFromClosedTicket, providerFromEnv, type CopilotDeps, type ProviderConfig } from '@atende/core/copilot';

declare module 'fastify' {
  interface FastifyInstance {
    copilot: CopilotDeps;
    /** Resolves when every example being learnt from a ticket that just closed is written (shutdown, tests). */
    copilotLearnt: () => Promise<void>;
  }
}

/**
 * The copilot's process state: one index learnt from `copilotExamples`, and
 * the provider from the environment (`ATENDE_AI_*`). A ticket that closes is
 * turned into an example right after its commit, so the index grows with no
 * nightly job.
 */
export default fp(
  async (app, options: { provider?: ProviderConfig | null }) => {
    const provider = options.provider !== undefined ? options.provider : providerFromEnv(process.env);
    app.decorate('copilot', {
      store: app.store,
      clock: app.clock,
      index: new CopilotIndex(),
      provider,
      onProviderError: (e, action) => app.log.warn({ status: e.status, action }, `copilot provider failed, offline answer used: ${e.message}`),
    } satisfies CopilotDeps);
    const learning = new Set<Promise<unknown>>();
    app.decorate('copilotLearnt', async () => {
      while (learning.size > 0) await Promise.all(learning);
    });
    app.addHook('onClose', () => app.copilotLearnt());
    app.store.onCommit((changes) => {
      for (const c of changes) {
        if (c.ref.collection !== 'tickets') continue;
        const before = c.before as { status?: string } | null;
        const after = c.after as { status?: string; id: string } | null;
        if (after?.status !== 'closed' || before?.status === 'closed') continue;
        const learnt: Promise<unknown> = learnFromClosedTicket(app.store, after.id)
          .catch((e: unknown) => app.log.error({ err: e, ticketId: after.id }, 'copilot could not learn from a closed ticket'))
          .finally(() => learning.delete(learnt));
        learning.add(learnt);
      }
    });
  },
  { name: 'copilot', dependencies: ['db'] },
);
