import { CommandError, Id, parseOrThrow, refs, type Actor } from '@atende/core';
import { z } from 'zod';
import { storeOf, type Deps } from './deps.ts';

export const USER_SET_PASSWORD = 'user.setPassword';

const Input = z.object({ uid: Id, password: z.string().min(8, 'at least 8 characters').max(200) });

/**
 * `user.setPassword` (through the `command` callable): an admin sets another
 * person's sign-in password from the user dialog (a new person's first one),
 * as the embedded server's `/api/auth/password` does. Firebase Auth keeps the
 * password (Admin SDK `updateUser`) and every session of that account is
 * ended, so whoever knew the old password is signed out.
 */
export const setUserPassword = async (deps: Deps, actor: Actor, raw: unknown): Promise<{ ok: true }> => {
  if (actor.kind !== 'staff' || actor.role !== 'admin') throw new CommandError('permission-denied', 'only admins may set other users’ passwords');
  const input = parseOrThrow(Input, raw);
  const user = await storeOf(deps.db).transaction((tx) => tx.get(refs.user(input.uid)));
  if (!user) throw new CommandError('not-found', `User ${input.uid} does not exist`, [{ path: 'uid', message: 'no such user' }]);
  if (!deps.auth.setPassword) throw new CommandError('failed-precondition', 'Passwords cannot be set on this server');
  // The users trigger creates the account; an admin may set the password right after saving a new person.
  await deps.auth.ensureUser(user);
  await deps.auth.setPassword(input.uid, input.password);
  return { ok: true };
};
