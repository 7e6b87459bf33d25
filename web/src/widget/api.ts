import type { Attachment, ErrorBody, FieldIssue } from '@atende/core';
import { customerErrors } from '@core/errors/customerTexts.ts';
import { locale, type MessageKey } from './i18n.ts';

/**
 * The customer's door to the server: the widget routes of
 * `core/src/protocol.ts`. Only types come from core, so the bundle stays small.
 */
export interface WidgetChannel {
  id: string;
  name: string;
  type: string;
}

export interface SessionInput {
  name: string;
  email?: string;
  phone?: string;
  token?: string;
}

export interface SendInput {
  text: string;
  attachments: Attachment[];
  clientMessageId: string;
}

export interface WidgetApi {
  channel(channelId: string): Promise<WidgetChannel>;
  session(channelId: string, input: SessionInput): Promise<{ token: string; contactId: string }>;
  send(token: string, input: SendInput): Promise<{ ticketId: string; messageId: string; protocol: string }>;
  upload(token: string, file: File): Promise<Attachment>;
  fileUrl(token: string, ticketId: string, attachmentId: string): string;
}

export class WidgetError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status: number,
    readonly issues: FieldIssue[] = [],
    /** The stable code of the server's refusal (core/src/errors/texts.ts) and its parameters. */
    readonly reason: string | null = null,
    readonly params: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'WidgetError';
  }
}

const readError = async (res: Response): Promise<WidgetError> => {
  let body: Partial<ErrorBody> | null = null;
  try {
    body = (await res.json()) as Partial<ErrorBody>;
  } catch {
    // A proxy's HTML error page, or nothing: the status alone must do.
  }
  const error = body?.error;
  return new WidgetError(error?.code ?? `http-${res.status}`, error?.message ?? res.statusText, res.status, error?.issues ?? [], error?.reason ?? null, error?.params ?? {});
};

export const createHttpApi = (base = '', fetchImpl: typeof fetch = (...args) => fetch(...args)): WidgetApi => {
  const call = async <T>(path: string, init: RequestInit = {}): Promise<T> => {
    let res: Response;
    try {
      res = await fetchImpl(`${base}${path}`, init);
    } catch {
      throw new WidgetError('network', 'network error', 0);
    }
    if (!res.ok) throw await readError(res);
    return (await res.json()) as T;
  };
  const json = (body: unknown, token?: string): RequestInit => ({
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  /**
   * File links carry a short-lived signed key, never the conversation's token
   * (a forwarded link must not open the chat): the key comes with the session
   * and is renewed halfway through its life.
   */
  let fileKey = '';
  let renewal: ReturnType<typeof setTimeout> | undefined;
  const keep = (token: string, key: { fileKey?: string; fileKeyExpiresAt?: number }) => {
    if (!key.fileKey) return;
    fileKey = key.fileKey;
    clearTimeout(renewal);
    const wait = Math.max(10_000, ((key.fileKeyExpiresAt ?? 0) - Date.now()) / 2);
    renewal = setTimeout(() => {
      call<{ fileKey: string; fileKeyExpiresAt: number }>('/api/widget/file-key', json({}, token)).then((next) => keep(token, next), () => undefined);
    }, wait);
  };
  return {
    channel: async (channelId) => (await call<{ channel: WidgetChannel }>(`/api/widget/${encodeURIComponent(channelId)}`)).channel,
    async session(channelId, input) {
      const session = await call<{ token: string; contactId: string; fileKey?: string; fileKeyExpiresAt?: number }>(`/api/widget/${encodeURIComponent(channelId)}/session`, json(input));
      keep(session.token, session);
      return { token: session.token, contactId: session.contactId };
    },
    send: (token, input) => call('/api/widget/messages', json(input, token)),
    async upload(token, file) {
      const form = new FormData();
      form.append('file', file, file.name);
      const res = await call<{ attachment: Attachment }>('/api/widget/files', {
        method: 'POST',
        headers: { authorization: `Bearer ${token}` },
        body: form,
      });
      return res.attachment;
    },
    fileUrl: (_token, ticketId, attachmentId) =>
      `${base}/api/widget/files/${encodeURIComponent(ticketId)}/${encodeURIComponent(attachmentId)}?key=${encodeURIComponent(fileKey)}`,
  };
};

export const MAX_TEXT = 4096;

/**
 * What the customer reads when the server refuses something. Server messages
 * are written for developers (and in English), so they are mapped, not shown.
 */
export const explainError = (e: unknown): { key: MessageKey; vars?: Record<string, string | number> } => {
  if (!(e instanceof WidgetError)) return { key: 'errGeneric' };
  const said = `${e.message} ${e.issues.map((i) => `${i.path} ${i.message}`).join(' ')}`.toLowerCase();
  if (e.code === 'network') return { key: 'errNetwork' };
  if (e.code === 'no-open-ticket') return { key: 'errFileFirst' };
  if (e.status === 401 || e.code === 'unauthenticated') return { key: 'errSession' };
  if (e.status === 413 || /too large|too big|larger than|exceeds|max(imum)? size|bytes/.test(said)) {
    const max = /(\d+(?:\.\d+)?)\s*(kb|mb|gb|bytes|b)\b/i.exec(e.message);
    return max ? { key: 'errTooLargeMax', vars: { max: `${max[1]} ${max[2]!.toUpperCase()}` } } : { key: 'errTooLarge' };
  }
  if (e.status === 415 || /type|mime|not allowed|forbidden file|extension/.test(said)) return { key: 'errForbiddenType' };
  if (/empty file|file is empty/.test(said)) return { key: 'errEmptyFile' };
  if (e.issues.some((i) => i.path === 'text') && /at most|too long|characters/.test(said)) return { key: 'errTooLong', vars: { max: MAX_TEXT } };
  if (e.status === 429 || e.code === 'resource-exhausted') return { key: 'errRateLimited' };
  // Anything else the server names by its stable code, said in the customer's language.
  const known = e.reason ?? customerErrors.reasonOf(e.message)?.reason;
  if (known) return { key: 'errServer', vars: { text: customerErrors.errorText(e, locale) } };
  return { key: 'errGeneric' };
};
