import { readFileSync } from 'node:fs';
import type { HttpAnswer, HttpCall } from '@atende/core';

/** How long one provider request may take before it counts as a network failure (retried). */
const TIMEOUT_MS = 15_000;

/**
 * Performs an adapter's request with `fetch`. A network failure or timeout
 * is an answer with status 0, never a throw; JSON answers are parsed, others
 * come back as bytes. `fileBytes` supplies a multipart file's content.
 */
export const performHttp = async (call: HttpCall, fileBytes: (attachmentId: string) => Uint8Array | null = () => null): Promise<HttpAnswer> => {
  let body: string | FormData | undefined;
  const headers = { ...call.headers };
  if (call.json !== undefined) body = JSON.stringify(call.json);
  else if (call.form) {
    const form = new FormData();
    for (const [k, v] of Object.entries(call.form.fields)) form.append(k, v);
    const file = call.form.file;
    if (file) {
      const bytes = fileBytes(file.attachmentId);
      if (!bytes) return { status: 0, headers: {}, body: `file ${file.attachmentId} is not on this server` };
      form.append(file.field, new Blob([new Uint8Array(bytes)], { type: file.mime }), file.name);
    }
    body = form;
    delete headers['content-type'];
  }
  try {
    const res = await fetch(call.url, { method: call.method, headers, body, signal: AbortSignal.timeout(TIMEOUT_MS), redirect: 'follow' });
    const type = res.headers.get('content-type') ?? '';
    const answerHeaders = Object.fromEntries([...res.headers.entries()]);
    if (type.includes('json')) {
      const text = await res.text();
      let parsed: unknown = text;
      try {
        parsed = JSON.parse(text);
      } catch {
        /* a broken JSON body is kept as text */
      }
      return { status: res.status, headers: answerHeaders, body: parsed };
    }
    return { status: res.status, headers: answerHeaders, body: new Uint8Array(await res.arrayBuffer()) };
  } catch (e) {
    return { status: 0, headers: {}, body: e instanceof Error ? e.message : String(e) };
  }
};

/** The bytes of a stored file, for uploads to a provider. */
export const readStoredFile = (path: string | null): Uint8Array | null => {
  if (!path) return null;
  try {
    return readFileSync(path);
  } catch {
    return null;
  }
};
