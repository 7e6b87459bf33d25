import { SESSION_COOKIE } from '@atende/core';

/** HTTP as the tests speak it, by URL: the in-process server (helpers.ts) and the spawned one (robustness/harness.ts). */

export interface HttpResult<T> {
  status: number;
  body: T;
  headers: Headers;
}

export interface RequestOptions {
  cookie?: string;
  bearer?: string;
  body?: unknown;
  /** A body sent as is (JSON content type unless `headers` says otherwise). */
  raw?: string;
  headers?: Record<string, string>;
}

/** One request; the answer's body parsed as JSON when it is JSON, else kept as text. */
export const request = async <T>(url: string, method: string, path: string, options: RequestOptions = {}): Promise<HttpResult<T>> => {
  const headers: Record<string, string> = { ...options.headers };
  if (options.cookie) headers.cookie = options.cookie;
  if (options.bearer) headers.authorization = `Bearer ${options.bearer}`;
  let body: string | undefined;
  if (options.raw !== undefined) {
    body = options.raw;
    headers['content-type'] ??= 'application/json';
  } else if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    headers['content-type'] = 'application/json';
  }
  const res = await fetch(url + path, { method, headers, body });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    /* not JSON: keep the text */
  }
  return { status: res.status, body: parsed as T, headers: res.headers };
};

/** Logs in and returns the session cookie header value. */
export const loginAt = async (url: string, email: string, password = 'atende123'): Promise<string> => {
  const res = await fetch(`${url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password }) });
  if (res.status !== 200) throw new Error(`login ${email} failed: ${res.status} ${await res.text()}`);
  const cookie = res.headers.getSetCookie().find((c) => c.startsWith(`${SESSION_COOKIE}=`));
  if (!cookie) throw new Error('no session cookie');
  return cookie.split(';')[0]!;
};
