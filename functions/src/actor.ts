import { CommandError, readValidated, type Actor, type User } from '@atende/core';
import { z } from 'zod';
import { logMalformed, storeOf, type CallerAuth, type Deps } from './deps.ts';
import { fromFirestore } from './store.ts';

const CustomerClaim = z.object({ contactId: z.string().min(1), channelId: z.string().min(1) });

/**
 * Who is calling. Widget customers carry a `customer` claim. For staff the
 * users document is the truth (role, sectors, name, active): the token's
 * claims mirror it for the rules, but may lag a change by up to an hour.
 */
export const actorOf = async (deps: Deps, auth: CallerAuth | undefined): Promise<Actor> => {
  if (!auth) throw new CommandError('unauthenticated', 'Sign in first');
  const customer = CustomerClaim.safeParse(auth.token.customer);
  if (customer.success) return { kind: 'customer', ...customer.data };
  // Served from the instance's memory under the configuration's version (functions/src/configCache.ts `user`): a change of
  // rights in Atende is seen at once here and within 10 s elsewhere, a hand edit in the console within a minute.
  const cache = storeOf(deps.db).configCache;
  const stored = cache ? await cache.user(deps.db, auth.uid) : (await deps.db.doc(`users/${auth.uid}`).get()).data();
  // Checked like every configuration document (core/src/store/validated.ts): a users document broken by hand in the
  // console (a role that does not exist, sectorIds deleted) is refused naming the document and the field, in Portuguese.
  let user: User | undefined;
  try {
    user = stored && readValidated('users', fromFirestore<User>('users', { id: auth.uid, ...stored }));
  } catch (e) {
    // The same log line as the store's for any other malformed document.
    if (e instanceof CommandError) logMalformed({ path: `users/${auth.uid}`, issues: e.issues });
    throw e;
  }
  if (!user) throw new CommandError('permission-denied', 'This account is not an Atende user');
  if (!user.active) throw new CommandError('permission-denied', 'This account is deactivated');
  return { kind: 'staff', uid: user.id, name: user.name, role: user.role, sectorIds: user.sectorIds, seesAllHistory: user.seesAllHistory };
};
