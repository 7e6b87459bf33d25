import { z } from 'zod';
import { CommandError } from '../errors.ts';
import { Id } from '../model/index.ts';
import { policy, type Actor } from '../policy.ts';
import { refs } from '../store/refs.ts';
import type { HttpAnswer, HttpCall } from '../channels/types.ts';
import { fetchWhatsAppTemplates } from '../channels/templates.ts';
import { parseOrThrow } from '../validation.ts';
import { commandRegistry } from './index.ts';
import { executeCommand, type RunnerDeps } from './runtime.ts';

/** The command name clients call; the backend fetches the list before running it. */
export const TEMPLATE_SYNC = 'template.sync';

/**
 * `template.sync` as both backends run it: only an admin may ask (checked
 * before any request leaves); the channel's account and access token are
 * read from the store, every page of the provider's templates is fetched
 * with the backend's `fetch`, and the command stores them. Whatever list a
 * client sent is ignored.
 */
export const runTemplateSync = async (
  deps: RunnerDeps,
  actor: Actor,
  rawInput: unknown,
  io: { baseUrl: string; fetch(call: HttpCall): Promise<HttpAnswer> },
): Promise<unknown> => {
  if (actor.kind !== 'staff') throw new CommandError('permission-denied', `You may not run ${TEMPLATE_SYNC}`);
  const allowed = policy.canAdminister(actor);
  if (allowed !== true) throw new CommandError('permission-denied', allowed);
  const { channelId } = parseOrThrow(z.object({ channelId: Id }).passthrough(), rawInput ?? {});
  const { channel, secrets } = await deps.store.transaction(async (tx) => ({ channel: await tx.get(refs.channel(channelId)), secrets: await tx.get(refs.channelSecrets(channelId)) }));
  if (!channel) throw new CommandError('not-found', `Channel ${channelId} does not exist`, [{ path: 'channelId', message: 'no such channel' }]);
  if (channel.type !== 'whatsapp') throw new CommandError('failed-precondition', 'Only WhatsApp channels have templates', [{ path: 'channelId', message: channel.type }]);
  if (!channel.account || !secrets?.accessToken)
    throw new CommandError('failed-precondition', 'Connect the channel with its WhatsApp Business Account id first', [{ path: 'account', message: 'not connected' }]);
  const templates = await fetchWhatsAppTemplates({ baseUrl: io.baseUrl, account: channel.account, secrets: { accessToken: secrets.accessToken } }, io.fetch);
  return executeCommand(commandRegistry, deps, actor, TEMPLATE_SYNC, { channelId, templates });
};
