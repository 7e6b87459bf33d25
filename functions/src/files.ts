import { httpStatusOf, isCommandError, policy, refs } from '@atende/core';
import { actorOf } from './actor.ts';
import { storeOf, type Deps } from './deps.ts';
import { bad, type WebhookRequest, type WebhookResponse } from './http.ts';
import { QUICK_REPLY_FOLDER } from './quickReplyFiles.ts';

/**
 * `files` (HTTP): `/files/{ticketId}/{attachmentId}?auth=<ID token>`. An
 * `<img src>` cannot send an Authorization header, so the SPA puts its ID
 * token in the URL; whoever may read the ticket is redirected to a signed URL
 * valid for a few minutes.
 */
export const handleFileRequest = async (deps: Deps, req: Pick<WebhookRequest, 'method' | 'path' | 'query'>): Promise<WebhookResponse & { location?: string }> => {
  const match = /^(?:\/files)?\/([A-Za-z0-9_.:-]{1,128})\/([A-Za-z0-9_.:-]{1,128})\/?$/.exec(req.path);
  if (req.method !== 'GET' && req.method !== 'HEAD') return bad(405, 'invalid-argument', 'Use GET');
  if (!match) return bad(404, 'not-found', `No file at ${req.path}`);
  const [, ticketId, attachmentId] = match as unknown as [string, string, string];
  const token = typeof req.query.auth === 'string' ? req.query.auth : '';
  const caller = token && deps.auth.verifyIdToken ? await deps.auth.verifyIdToken(token) : null;
  if (!caller) return bad(401, 'unauthenticated', 'Sign in to see this file');
  try {
    const actor = await actorOf(deps, caller);
    // A quick reply's file (/files/quick-replies/{id}): any staff member, as on the embedded server.
    if (ticketId === QUICK_REPLY_FOLDER) {
      if (actor.kind !== 'staff') return bad(404, 'not-found', 'No such file');
    } else {
      const ticket = await storeOf(deps.db).transaction((tx) => tx.get(refs.ticket(ticketId)));
      if (!ticket || !policy.canReadTicket(actor, ticket)) return bad(404, 'not-found', 'No such file');
    }
  } catch (e) {
    if (isCommandError(e)) return bad(httpStatusOf[e.code], e.code, e.message);
    throw e;
  }
  if (!deps.signDownload) return bad(409, 'failed-precondition', 'File downloads are not configured on this server');
  const location = await deps.signDownload(`files/${ticketId}/${attachmentId}`);
  return { status: 302, body: '', location };
};
