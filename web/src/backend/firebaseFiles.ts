import type { Attachment } from '@atende/core';
import type { FirebaseApp } from 'firebase/app';
import { BackendError } from './types.ts';

/** Calls the `command` callable: resolves with its result or rejects with a FunctionsError-like `{code, message, details}`. */
export type CallCommand = (name: string, input: unknown) => Promise<unknown>;

/** The `command` callable through the Functions SDK (it attaches the ID token). */
export const callableCommand = (
  app: FirebaseApp,
  options: { region?: string | undefined; emulator?: { host: string; port: number } | undefined } = {},
): CallCommand => {
  let fn: Promise<(data: unknown) => Promise<{ data: unknown }>> | null = null;
  const load = async () => {
    const { getFunctions, httpsCallable, connectFunctionsEmulator } = await import('firebase/functions');
    // The same region the functions are deployed to (ATENDE_REGION).
    const functions = getFunctions(app, options.region ?? 'southamerica-east1');
    if (options.emulator) connectFunctionsEmulator(functions, options.emulator.host, options.emulator.port);
    return httpsCallable(functions, 'command');
  };
  return async (name, input) => {
    fn ??= load();
    return (await (await fn)({ name, input })).data;
  };
};

/**
 * File links (`<img src>`, downloads) carry a short-lived signed key from
 * the `files.key` callable (`?key=`), never the ID token; it is renewed
 * halfway through its life while signed in. The `files` function re-reads
 * the user's rights at every request.
 */
export const fileKeys = (call: CallCommand) => {
  let key = '';
  let signedIn = false;
  let renewal: ReturnType<typeof setTimeout> | undefined;
  const renew = async (): Promise<void> => {
    clearTimeout(renewal);
    try {
      const next = (await call('files.key', {})) as { fileKey: string; fileKeyExpiresAt: number };
      if (!signedIn) return;
      key = next.fileKey;
      renewal = setTimeout(() => void renew(), Math.max(10_000, (next.fileKeyExpiresAt - Date.now()) / 2));
    } catch {
      // Links answer 401 until the next try; the rest of the console works.
      if (signedIn) renewal = setTimeout(() => void renew(), 30_000);
    }
  };
  return {
    current: () => key,
    start(): Promise<void> {
      signedIn = true;
      return renew();
    },
    stop(): void {
      signedIn = false;
      clearTimeout(renewal);
      key = '';
    },
  };
};

/** The Storage folder of quick replies' files, as functions/src/quickReplyFiles.ts names it. */
export const QUICK_REPLY_FOLDER = 'quick-replies';

/** Asks a `*.begin` call for a signed URL, then PUTs the bytes there. */
export const signedPut = async (call: CallCommand, begin: string, input: unknown, file: File, onProgress?: (fraction: number) => void): Promise<Attachment> => {
  const { attachment, url } = (await call(begin, input)) as { attachment: Attachment; url: string };
  if (!onProgress) {
    // No progress to show: a plain PUT.
    const res = await fetch(url, { method: 'PUT', headers: { 'Content-Type': attachment.mime }, body: file }).catch(() => {
      throw new BackendError('unavailable', 'O envio do arquivo falhou. Verifique a conexão.');
    });
    if (!res.ok) throw new BackendError('internal', `Upload failed (${res.status})`, [], res.status);
    return attachment;
  }
  await new Promise<void>((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('PUT', url);
    xhr.setRequestHeader('Content-Type', attachment.mime);
    xhr.upload.onprogress = (ev) => ev.lengthComputable && onProgress?.(ev.loaded / ev.total);
    xhr.onload = () => (xhr.status < 300 ? resolve() : reject(new BackendError('internal', `Upload failed (${xhr.status})`, [], xhr.status)));
    xhr.onerror = () => reject(new BackendError('unavailable', 'O envio do arquivo falhou. Verifique a conexão.'));
    xhr.send(file);
  });
  onProgress?.(1);
  return attachment;
};

/**
 * Clients never write to Storage directly: the `upload.begin` callable
 * checks the ticket and the attachment policy and answers with a signed
 * URL for this one file.
 */
export const signedUpload = (call: CallCommand, file: File, ticketId: string, onProgress?: (fraction: number) => void): Promise<Attachment> =>
  signedPut(call, 'upload.begin', { ticketId, name: file.name, mime: file.type || 'application/octet-stream', size: file.size }, file, onProgress);
