import { createHmac, randomBytes } from 'node:crypto';
import { CommandError, LIMITS, readFileKey, signFileKey, type Actor, type FileKeySubject } from '@atende/core';
import type { Firestore } from 'firebase-admin/firestore';
import type { Deps } from './deps.ts';

/** The callable that hands out a fresh file-link key (`{fileKey, fileKeyExpiresAt}`), for staff and web-chat customers. */
export const FILES_KEY = 'files.key';

/** Where the link-signing secret lives: a functions-only document (firestore.rules grant clients nothing there), made on first use. */
export const FILE_LINK_SECRET_DOC = 'secrets/fileLinks';

const secrets = new WeakMap<Firestore, Promise<string>>();

const secretOf = (db: Firestore): Promise<string> => {
  let secret = secrets.get(db);
  if (!secret) {
    secret = (async () => {
      const ref = db.doc(FILE_LINK_SECRET_DOC);
      // Two instances starting at once: one create wins, both read the winner.
      await ref.create({ key: randomBytes(32).toString('base64url') }).catch(() => undefined);
      const key = (await ref.get()).get('key') as unknown;
      if (typeof key !== 'string' || key.length < 32) throw new Error(`${FILE_LINK_SECRET_DOC} has no usable key`);
      return key;
    })();
    secret.catch(() => secrets.delete(db));
    secrets.set(db, secret);
  }
  return secret;
};

const signer = async (db: Firestore) => {
  const secret = await secretOf(db);
  return (body: string) => createHmac('sha256', secret).update(body).digest('base64url');
};

/** A key for the caller's file links, valid LIMITS.widget.fileLinkTtlMs (core's format, as on the embedded server). */
export const fileKeyFor = async (deps: Deps, actor: Actor): Promise<{ fileKey: string; fileKeyExpiresAt: number }> => {
  if (actor.kind === 'system') throw new CommandError('unauthenticated', 'Sign in first');
  const subject: FileKeySubject = actor.kind === 'staff' ? { kind: 'staff', uid: actor.uid } : actor;
  const fileKeyExpiresAt = deps.clock() + LIMITS.widget.fileLinkTtlMs;
  return { fileKey: signFileKey(subject, fileKeyExpiresAt, await signer(deps.db)), fileKeyExpiresAt };
};

/** Who a file key was signed for, if genuine and unexpired. */
export const subjectOfFileKey = async (deps: Deps, key: unknown): Promise<FileKeySubject | null> =>
  typeof key === 'string' && key.length > 0 ? readFileKey(key, deps.clock(), await signer(deps.db)) : null;
