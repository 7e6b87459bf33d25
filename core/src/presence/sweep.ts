import { executeCommand, type AnyCommand, type RunnerDeps } from '../commands/runtime.ts';
import type { User } from '../model/index.ts';
import { SYSTEM } from '../policy.ts';
import { isGone, presenceSettingsOf } from './rules.ts';
import { refs } from '../store/refs.ts';

/**
 * One pass over everyone not offline: `lastSeen` says when each was last
 * seen (a live socket = now; the embedded server's last disconnect; a
 * Firebase heartbeat), and whoever has been gone longer than the grace
 * period goes offline, each in its own transaction that decides again.
 */
export const sweepPresence = async (
  deps: RunnerDeps,
  registry: ReadonlyMap<string, AnyCommand>,
  lastSeen: (user: User) => number | Promise<number>,
): Promise<number> => {
  const now = deps.clock();
  const { present, settings } = await deps.store.transaction(async (tx) => ({
    present: await tx.query({ collection: 'users', where: [['presence', 'in', ['online', 'paused']]], orderBy: [], limit: 1000 }),
    settings: presenceSettingsOf(await tx.get(refs.settings())),
  }));
  let expired = 0;
  for (const user of present) {
    const lastSeenAt = await lastSeen(user);
    if (!isGone(user, lastSeenAt, now, settings)) continue;
    const result = (await executeCommand(registry, deps, SYSTEM, 'presence.expire', { userId: user.id, lastSeenAt })) as { expired: boolean };
    if (result.expired) expired++;
  }
  return expired;
};
