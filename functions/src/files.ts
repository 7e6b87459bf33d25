import { httpStatusOf, isCommandError, policy, refs, type Actor } from '@atende/core';
import { actorOf } from './actor.ts';
import { storeOf, type Deps } from './deps.ts';
import { subjectOfFileKey } from './fileKeys.ts';
import { bad, type WebhookRequest, type WebhookResponse } from './http.ts';
import { QUICK_REPLY_FOLDER } from './quickReplyFiles.ts';

/**
 * `files` (HTTP): `/files/{ticketId}/{attachmentId}?key=<file key>`. An
 * `<img src>` cannot send an Authorization header, so links carry a
 * short-lived signed key (`files.key`, and `widget.session` for visitors),
 * never an ID token; a script may send `Authorization: Bearer <ID token>`
 * instead. Whoever may read the ticket is redirected to a signed URL valid
 * for a few minutes. Staff rights are re-read from `users/{uid}`.
 */
export const handleFileRequest = async (
  deps: Deps,
  req: Pick<WebhookRequest, 'method' | 'path' | 'query'> & Partial<Pick<WebhookRequest, 'headers'>>,
): Promise<WebhookResponse & { location?: string }> => {
  const match = /^(?:\/files)?\/([A-Za-z0-9_.:-]{1,128})\/([A-Za-z0-9_.:-]{1,128})\/?$/.exec(req.path);
  if (req.method !== 'GET' && req.method !== 'HEAD') return bad(405, 'invalid-argument', 'Use GET');
  if (!match) return bad(404, 'not-found', `No file at ${req.path}`);
  const [, ticketId, attachmentId] = match as unknown as [string, string, string];
  try {
    const actor = await callerOf(deps, req);
    if (!actor) return bad(401, 'unauthenticated', 'This link has expired: open the file from the chat.');
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

/** The reader: from the link's `?key=`, or a Bearer ID token in the header; null when neither holds. */
const callerOf = async (deps: Deps, req: Pick<WebhookRequest, 'query'> & Partial<Pick<WebhookRequest, 'headers'>>): Promise<Actor | null> => {
  const subject = await subjectOfFileKey(deps, req.query.key);
  if (subject) return subject.kind === 'staff' ? actorOf(deps, { uid: subject.uid, token: {} }) : subject;
  const header = req.headers?.authorization;
  const bearer = typeof header === 'string' && header.startsWith('Bearer ') ? header.slice(7).trim() : '';
  const caller = bearer && deps.auth.verifyIdToken ? await deps.auth.verifyIdToken(bearer) : null;
  return caller ? actorOf(deps, caller) : null;
};
