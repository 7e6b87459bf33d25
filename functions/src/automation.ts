import { commandRegistry, isCommandError, rollUpStats, tick, type RollUpResult } from '@atende/core';
import { runnerOf, type Deps } from './deps.ts';
import { retryOutbox, type Carriers } from './outbox.ts';
import { backfillQueue } from './queueBackfill.ts';
import { isMalformedDocument } from './malformed.ts';

/**
 * `automationTick`, the scheduled job: core's automation tick (inactivity warnings, auto-close), the reports' month
 * roll-up (core reports/rollup.ts: a read of its mark a minute, a month's days once a day), then due delivery retries.
 * First, until it is done once, the queue's entries of tickets that were waiting before they existed (queueBackfill.ts).
 */
export const handleAutomationTick = async (
  deps: Deps,
  carriers: Carriers = {},
): Promise<{ warned: number; closed: number; retried: number; rolledUp?: RollUpResult; skipped?: string; queueBackfilled?: number }> => {
  const queueBackfilled = await backfillQueue(deps.db);
  let result: { warned: number; closed: number; rolledUp?: RollUpResult; skipped?: string };
  try {
    const runner = runnerOf(deps);
    result = await tick(runner, commandRegistry);
    result.rolledUp = await rollUpStats(runner.store, runner.clock());
  } catch (e) {
    // A configuration document it needs is malformed (say, settings edited by hand): say so once per run and go on
    // with the deliveries, rather than failing every minute. The store has logged which document and field.
    if (!isCommandError(e) || e.code !== 'failed-precondition') throw e;
    result = { warned: 0, closed: 0, skipped: e.message };
  }
  // Retries go on even when the tick was skipped; a reply whose channel is malformed waits, and the run says which.
  let retried = 0;
  try {
    retried = await retryOutbox(deps, carriers);
  } catch (e) {
    if (!isMalformedDocument(e)) throw e;
    result.skipped = result.skipped ? `${result.skipped} ${e.message}` : e.message;
  }
  return { ...result, retried, ...(queueBackfilled !== null && { queueBackfilled }) };
};
