import { CommandError, Id, parseOrThrow, policy, precondition, refs, type Actor, type Attachment } from '@atende/core';
import { z } from 'zod';
import { storeOf, type Deps } from './deps.ts';
import { kindOfMime, mimeAllowed } from './uploads.ts';

/**
 * Quick replies' files on Firebase (B5), the embedded server's
 * `/api/quick-reply-files` and `/api/files/from-quick-reply`: a supervisor
 * uploads a file for a quick reply; picking the reply copies it into the
 * ticket. They live in Storage under `files/quick-replies/`, a pseudo ticket
 * id no generated id can take (the same folder name as the embedded server),
 * so `checkUpload` types them like any upload.
 */
export const QUICK_REPLY_FOLDER = 'quick-replies';
export const QUICK_REPLY_FILE_BEGIN = 'quickReplyFile.begin';
export const QUICK_REPLY_FILE_COPY = 'quickReplyFile.copy';

const BeginInput = z.object({
  name: z.string().trim().min(1).max(255),
  mime: z.string().trim().toLowerCase().min(3).max(120).regex(/^[a-z0-9.+-]+\/[a-z0-9.+-]+$/, 'must be a MIME type like image/png'),
  size: z.number().int().min(1, 'the file is empty'),
});
const CopyInput = z.object({ ticketId: Id, quickReplyId: Id, attachmentId: Id });

const staffOnly = (actor: Actor) => {
  if (actor.kind !== 'staff') throw new CommandError('permission-denied', 'only staff may do this');
  return actor;
};

/** `quickReplyFile.begin`: checks the editor and the attachment policy, answers a signed URL for one upload. */
export const beginQuickReplyUpload = async (deps: Deps, actor: Actor, raw: unknown): Promise<{ attachment: Attachment; url: string }> => {
  const staff = staffOnly(actor);
  const decision = policy.canEditCatalogue(staff);
  if (decision !== true) throw new CommandError('permission-denied', decision);
  const input = parseOrThrow(BeginInput, raw);
  const settings = await storeOf(deps.db).transaction((tx) => tx.get(refs.settings()));
  const rule = settings?.attachments;
  if (rule && input.size > rule.maxBytes) throw new CommandError('invalid-argument', `The file is larger than ${Math.floor(rule.maxBytes / 1048576)} MB`, [{ path: 'size', message: 'too large' }]);
  if (rule && !mimeAllowed(input.mime, rule.allowedTypes)) throw new CommandError('invalid-argument', `Files of type ${input.mime} are not accepted`, [{ path: 'mime', message: 'type not allowed' }]);
  if (!deps.signUpload) throw new CommandError('failed-precondition', 'File uploads are not configured on this server');
  const attachment: Attachment = { id: deps.newId(), name: input.name, mime: input.mime, size: input.size, kind: kindOfMime(input.mime) };
  return { attachment, url: await deps.signUpload(`files/${QUICK_REPLY_FOLDER}/${attachment.id}`, input.mime) };
};

/** `quickReplyFile.copy`: a copy of the quick reply's file into the ticket (the ticket keeps it when the reply changes). */
export const copyQuickReplyFile = async (deps: Deps, actor: Actor, raw: unknown): Promise<{ attachment: Attachment }> => {
  const staff = staffOnly(actor);
  const input = parseOrThrow(CopyInput, raw);
  const { ticket, quickReply } = await storeOf(deps.db).transaction(async (tx) => ({
    ticket: await tx.get(refs.ticket(input.ticketId)),
    quickReply: await tx.get(refs.quickReply(input.quickReplyId)),
  }));
  if (!ticket) throw new CommandError('not-found', `Ticket ${input.ticketId} does not exist`, [{ path: 'ticketId', message: 'no such ticket' }]);
  const decision = policy.canManage(staff, ticket);
  if (decision !== true) throw new CommandError('permission-denied', decision);
  precondition(ticket.status !== 'closed', 'This ticket is closed');
  if (!quickReply) throw new CommandError('not-found', `Quick reply ${input.quickReplyId} does not exist`, [{ path: 'quickReplyId', message: 'no such quick reply' }]);
  const source = (quickReply.attachments ?? []).find((a) => a.id === input.attachmentId);
  if (!source) throw new CommandError('not-found', 'Arquivo não encontrado. (File not found.)', [{ path: 'attachmentId', message: 'not an attachment of this quick reply' }]);
  if (!deps.copyObject) throw new CommandError('failed-precondition', 'File uploads are not configured on this server');
  const attachment: Attachment = { ...source, id: deps.newId() };
  const copied = await deps.copyObject(`files/${QUICK_REPLY_FOLDER}/${source.id}`, `files/${ticket.id}/${attachment.id}`);
  if (!copied) throw new CommandError('not-found', 'Arquivo não encontrado. (File not found.)', [{ path: 'attachmentId', message: 'the file is gone from storage' }]);
  return { attachment };
};
