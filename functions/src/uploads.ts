import { CommandError, Id, detectMime, kindOf, parseOrThrow, policy, precondition, refs, typeAllowed, type Actor, type Attachment } from '@atende/core';
import { z } from 'zod';
import { storeOf, type Deps } from './deps.ts';

export const UPLOAD_BEGIN = 'upload.begin';

const UploadInput = z.object({
  ticketId: Id,
  name: z.string().trim().min(1).max(255),
  mime: z.string().trim().toLowerCase().min(3).max(120).regex(/^[a-z0-9.+-]+\/[a-z0-9.+-]+$/, 'must be a MIME type like image/png'),
  size: z.number().int().min(1, 'the file is empty'),
});

/** The attachment type rule is core's (`typeAllowed`, `kindOf`), the same the embedded server and the SPA use. */
export const mimeAllowed = typeAllowed;
export const kindOfMime = kindOf;

/**
 * `upload.begin` (through the `command` callable). Clients never write to
 * Storage: this checks the ticket (whoever may send on it) and the
 * attachment policy, then hands out a signed URL for one object,
 * `files/{ticketId}/{attachmentId}`, that storage.rules let readers of the
 * ticket download.
 */
export const beginUpload = async (deps: Deps, actor: Actor, raw: unknown): Promise<{ attachment: Attachment; url: string }> => {
  const input = parseOrThrow(UploadInput, raw);
  const { ticket, settings } = await storeOf(deps.db).transaction(async (tx) => ({ ticket: await tx.get(refs.ticket(input.ticketId)), settings: await tx.get(refs.settings()) }));
  if (!ticket) throw new CommandError('not-found', `Ticket ${input.ticketId} does not exist`, [{ path: 'ticketId', message: 'no such ticket' }]);
  const decision = actor.kind === 'staff' ? policy.canManage(actor, ticket) : policy.canReadTicket(actor, ticket) || 'you may only write to your own conversation';
  if (decision !== true) throw new CommandError('permission-denied', decision);
  precondition(ticket.status !== 'closed', 'This ticket is closed');
  const rule = settings?.attachments;
  if (rule && input.size > rule.maxBytes) throw new CommandError('invalid-argument', `The file is larger than ${Math.floor(rule.maxBytes / 1048576)} MB`, [{ path: 'size', message: 'too large' }]);
  if (rule && !mimeAllowed(input.mime, rule.allowedTypes)) throw new CommandError('invalid-argument', `Files of type ${input.mime} are not accepted`, [{ path: 'mime', message: 'type not allowed' }]);
  if (!deps.signUpload) throw new CommandError('failed-precondition', 'File uploads are not configured on this server');
  const attachment: Attachment = { id: deps.newId(), name: input.name, mime: input.mime, size: input.size, kind: kindOfMime(input.mime) };
  return { attachment, url: await deps.signUpload(`files/${ticket.id}/${attachment.id}`, input.mime) };
};

/** The first bytes of a longer file may end inside a UTF-8 character: drop that partial character. */
const withoutPartialChar = (head: Uint8Array): Uint8Array => {
  let end = head.length;
  // Step back over continuation bytes (10xxxxxx) to the lead byte of the last character, and drop it if incomplete.
  let i = end - 1;
  while (i >= 0 && end - i <= 4 && (head[i]! & 0xc0) === 0x80) i--;
  if (i >= 0 && head[i]! >= 0xc0) {
    const length = head[i]! >= 0xf0 ? 4 : head[i]! >= 0xe0 ? 3 : 2;
    if (end - i < length) end = i;
  }
  return head.subarray(0, end);
};

/**
 * `checkUpload`: the Storage trigger on a finished upload. A signed URL fixes
 * the declared type, not the bytes: the file is typed by its content
 * (DESIGN §11, the same detector as the embedded server) and removed when it
 * is not what `upload.begin` was told, or is over the size limit.
 */
export const handleUploadFinalized = async (
  deps: Deps,
  object: { name: string; contentType: string | undefined; size: number },
  io: { read(): Promise<Uint8Array>; remove(): Promise<void> },
): Promise<'kept' | 'removed' | 'ignored'> => {
  if (!/^files\/[A-Za-z0-9_.:-]{1,128}\/[A-Za-z0-9_.:-]{1,128}$/.test(object.name)) return 'ignored';
  const settings = await storeOf(deps.db).transaction((tx) => tx.get(refs.settings()));
  const declared = (object.contentType ?? '').toLowerCase();
  const head = await io.read();
  const detected = detectMime(object.size > head.length ? withoutPartialChar(head) : head);
  const fits = !settings || object.size <= settings.attachments.maxBytes;
  // Browsers label some files loosely (a voice note recorded as video/webm): the family must match.
  const sameType = detected !== null && (detected === declared || detected.split('/')[0] === declared.split('/')[0]);
  if (fits && sameType && (!settings || mimeAllowed(detected, settings.attachments.allowedTypes))) return 'kept';
  await io.remove();
  return 'removed';
};
