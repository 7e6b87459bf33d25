import { readValidated, takesRightsAway, type User } from '@atende/core';
import { Timestamp } from 'firebase-admin/firestore';
import type { Deps } from './deps.ts';
import { skippingMalformed } from './malformed.ts';
import { fromFirestore } from './store.ts';

/** The custom claims the rules read, from a users document. */
export const claimsOf = (user: User) => ({ role: user.role, sectorIds: user.sectorIds, seesAllHistory: user.seesAllHistory });

/** The `revokedAt` of `claims/{uid}`: a timestamp of whole seconds, like `auth_time`; a token must be from a later second to read. */
export const revokedAtOf = (now: number): Timestamp => Timestamp.fromMillis(Math.floor(now / 1000) * 1000);

const sameClaims = (a: Record<string, unknown> | null, b: Record<string, unknown> | null) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/**
 * `syncClaims`, the `users/{uid}` trigger: keeps the custom claims equal to
 * the document and, when they change, writes `claims/{uid}`, which the
 * signed-in client watches to refresh its token and re-open the listeners its new claims change.
 * When the change takes rights away, the account's refresh tokens are revoked.
 */
export const handleUserWritten = async (deps: Deps, uid: string, after: User | null): Promise<'updated' | 'unchanged'> => {
  if (after) await deps.auth.ensureUser(after);
  const wanted = after && after.active ? claimsOf(after) : null;
  const current = await deps.auth.getClaims(uid);
  const currentAtende = current && 'role' in current ? { role: current.role, sectorIds: current.sectorIds, seesAllHistory: current.seesAllHistory } : null;
  if (sameClaims(currentAtende, wanted)) return 'unchanged';
  await deps.auth.setClaims(uid, wanted);
  // Rights taken away (deactivated, another role, a sector removed): the old sessions end for good, not when their token expires.
  const had = currentAtende as { role?: unknown; sectorIds?: unknown } | null;
  const revoke = !!had && typeof had.role === 'string' && Array.isArray(had.sectorIds) && takesRightsAway({ role: had.role, sectorIds: had.sectorIds as string[] }, wanted && { ...wanted, active: true });
  if (revoke) await deps.auth.revokeSessions?.(uid);
  const now = deps.clock();
  // `revokedAt` (whole seconds, like the token's auth_time) is what firestore.rules compare: an ID token
  // from a sign-in before it stops reading at once instead of for the rest of its hour. Times are timestamps (readable in the console).
  await deps.db
    .doc(`claims/${uid}`)
    .set({ uid, updatedAt: Timestamp.fromMillis(now), role: wanted?.role ?? null, ...(revoke ? { revokedAt: revokedAtOf(now) } : {}) }, { merge: true });
  return 'updated';
};

/**
 * `syncClaims` as deployed: the written `users/{uid}` document as stored, checked like every document an admin edits
 * (core/src/store/validated.ts). One broken by hand in the console (a role that does not exist, sectorIds deleted)
 * changes no claims (a typo must not hand out or take away rights) and is told to `onSkipped` in Portuguese, naming
 * the document and the field; the person's commands are refused with the same words (actor.ts) until it is fixed.
 */
export const handleUserDocument = async (
  deps: Deps,
  uid: string,
  stored: Record<string, unknown> | null,
  onSkipped: (message: string) => void = () => {},
): Promise<'updated' | 'unchanged' | 'skipped'> => {
  const result = await skippingMalformed(async () => {
    const after = stored ? readValidated('users', fromFirestore<User>('users', { id: uid, ...stored })) : null;
    return handleUserWritten(deps, uid, after);
  });
  if (typeof result === 'string') return result;
  onSkipped(result.skipped);
  return 'skipped';
};
