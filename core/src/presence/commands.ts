import { z } from 'zod';
import { CommandError } from '../errors.ts';
import { Id, Presence } from '../model/index.ts';
import type { StaffActor } from '../policy.ts';
import { refs } from '../store/refs.ts';
import { defineCommand, mustExist } from '../commands/runtime.ts';
import { changePresence, isGone, onConnect, presenceSettingsOf } from './rules.ts';

const self = (ctx: { actor: unknown }) => (ctx.actor as StaffActor).uid;

/** The agent's own choice: online, paused (with one of the admin's reasons), offline; `idle` and `logout` from the console. */
export const setPresence = defineCommand({
  name: 'presence.set',
  input: z.object({
    presence: Presence,
    pauseReasonId: Id.nullable().optional(),
    cause: z.enum(['manual', 'idle', 'logout']).default('manual'),
  }),
  actors: ['staff'],
  async load(tx, input, ctx) {
    const user = mustExist(await tx.get(refs.user(self(ctx))), 'Your user');
    const reason = input.presence === 'paused' && input.pauseReasonId ? await tx.get(refs.pauseReason(input.pauseReasonId)) : null;
    if (input.presence === 'paused' && input.pauseReasonId && !reason)
      throw new CommandError('not-found', `Pause reason ${input.pauseReasonId} does not exist`, [{ path: 'pauseReasonId', message: 'no such pause reason' }]);
    return { user, reason };
  },
  authorize: () => true,
  run(tx, { user, reason }, input, ctx) {
    const after = changePresence(tx, user, { presence: input.presence, cause: input.cause, pauseReasonId: reason?.id ?? null, pauseReasonName: reason?.name ?? null }, ctx.now, ctx.newId);
    return { user: after };
  },
});

/** A console connected (the embedded server's socket, Firebase's first heartbeat). */
export const connectPresence = defineCommand({
  name: 'presence.connect',
  input: z.object({}).default({}),
  actors: ['staff'],
  async load(tx, _input, ctx) {
    return { user: mustExist(await tx.get(refs.user(self(ctx))), 'Your user'), settings: await tx.get(refs.settings()) };
  },
  authorize: () => true,
  run(tx, { user, settings }, _input, ctx) {
    const change = onConnect(user, presenceSettingsOf(settings));
    return { user: change ? changePresence(tx, user, change, ctx.now, ctx.newId) : user };
  },
});

/** The system's sweep: an agent whose last sign of life is older than the grace period goes offline. */
export const expirePresence = defineCommand({
  name: 'presence.expire',
  input: z.object({ userId: Id, lastSeenAt: z.number().int().nonnegative() }),
  actors: ['system'],
  async load(tx, input) {
    return { user: await tx.get(refs.user(input.userId)), settings: await tx.get(refs.settings()) };
  },
  authorize: () => true,
  run(tx, { user, settings }, input, ctx) {
    if (!user || !isGone(user, input.lastSeenAt, ctx.now, presenceSettingsOf(settings))) return { expired: false };
    changePresence(tx, user, { presence: 'offline', cause: 'expired' }, ctx.now, ctx.newId);
    return { expired: true };
  },
});

export const presenceCommands = [setPresence, connectPresence, expirePresence];
