/** The `command` callable: resolves with its result or rejects with `{code, message, details}` (the Functions SDK's shape). */
export type CallCommand = (name: string, input: unknown) => Promise<unknown>;

export interface CallableOptions {
  /** The function's URL: `https://<region>-<project>.cloudfunctions.net/command`, or the emulator's. */
  url: string;
  idToken: () => Promise<string | null>;
  /** Extra headers (App Check). */
  headers?: () => Promise<Record<string, string>>;
  fetch?: typeof fetch;
}

/** A callable's URL in a region, or on the Functions emulator (`http://host:5001`). */
export const callableUrl = (projectId: string, region: string, name: string, emulator?: string): string =>
  emulator ? `${emulator}/${projectId}/${region}/${name}` : `https://${region}-${projectId}.cloudfunctions.net/${name}`;

/**
 * The callable protocol over fetch (POST `{data}` with the ID token; the answer
 * is `{result}` or `{error: {status, message, details}}`), without the
 * Functions SDK.
 */
export const restCallable = (o: CallableOptions): CallCommand => async (name, input) => {
  const token = await o.idToken();
  const headers: Record<string, string> = { 'content-type': 'application/json', ...(await o.headers?.()) };
  if (token) headers.authorization = `Bearer ${token}`;
  let res: Response;
  try {
    res = await (o.fetch ?? fetch)(o.url, { method: 'POST', headers, body: JSON.stringify({ data: { name, input } }) });
  } catch {
    throw { code: 'functions/unavailable', message: 'network error' };
  }
  const body = (await res.json().catch(() => null)) as { result?: unknown; error?: { status?: unknown; message?: unknown; details?: unknown } } | null;
  if (res.ok && body && 'result' in body) return body.result;
  const status = typeof body?.error?.status === 'string' ? body.error.status : res.status >= 500 ? 'INTERNAL' : 'UNKNOWN';
  throw {
    code: `functions/${status.toLowerCase().replace(/_/g, '-')}`,
    message: typeof body?.error?.message === 'string' ? body.error.message : `The function answered ${res.status}`,
    details: body?.error?.details,
  };
};
