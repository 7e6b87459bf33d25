import { commandRegistry, tick } from '@atende/core';
import { runnerOf, type Deps } from './deps.ts';
import { retryOutbox, type Carriers } from './outbox.ts';

/** `automationTick`, the scheduled job: core's automation tick (inactivity warnings, auto-close), then due delivery retries. */
export const handleAutomationTick = async (deps: Deps, carriers: Carriers = {}) => {
  const result = await tick(runnerOf(deps), commandRegistry);
  return { ...result, retried: await retryOutbox(deps, carriers) };
};
