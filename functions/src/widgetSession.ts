import { CommandError, Id, parseOrThrow, refs, widgetContact, widgetIdentityKey, WidgetVisitor } from '@atende/core';
import { storeOf, type CallerAuth, type Deps } from './deps.ts';
import { fileKeyFor } from './fileKeys.ts';

export const WIDGET_SESSION = 'widget.session';

const WidgetSessionInput = WidgetVisitor.extend({ channelId: Id });

/**
 * The widget's visitor signs in anonymously (Firebase Auth), then calls this
 * once: it creates their contact on the web-chat channel and gives the
 * account the `customer` claim the rules and `command` read. The visitor
 * refreshes the ID token afterwards. Calling it again resumes the session.
 * The answer carries the visitor's first file-link key.
 */
export const startWidgetSession = async (
  deps: Deps,
  auth: CallerAuth | undefined,
  raw: unknown,
): Promise<{ contactId: string; channel: { id: string; name: string; type: string }; fileKey: string; fileKeyExpiresAt: number }> => {
  if (!auth) throw new CommandError('unauthenticated', 'Sign in (anonymously) first');
  const input = parseOrThrow(WidgetSessionInput, raw);
  if (typeof auth.token.role === 'string') throw new CommandError('failed-precondition', 'Staff accounts do not open widget sessions');
  const identityKey = widgetIdentityKey(input.channelId, auth.uid);
  const now = deps.clock();
  const { contactId, channel } = await storeOf(deps.db).transaction(async (tx) => {
    const channel = await tx.get(refs.channel(input.channelId));
    if (!channel || !channel.active || channel.type !== 'webchat')
      throw new CommandError('not-found', `Web chat ${input.channelId} does not exist`, [{ path: 'channelId', message: 'no such web chat' }]);
    const [existing] = await tx.query({ collection: 'contacts', where: [['identityKeys', 'array-contains', identityKey]], orderBy: [], limit: 1 });
    if (existing) return { contactId: existing.id, channel };
    const id = deps.newId();
    tx.create(refs.contact(id), widgetContact(input, input.channelId, auth.uid, id, now));
    return { contactId: id, channel };
  });
  await deps.auth.setClaims(auth.uid, { customer: { contactId, channelId: channel.id } });
  // File links carry this short-lived key, never the visitor's ID token (`files.key` renews it).
  const key = await fileKeyFor(deps, { kind: 'customer', contactId, channelId: channel.id });
  return { contactId, channel: { id: channel.id, name: channel.name, type: channel.type }, ...key };
};
