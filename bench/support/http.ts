import http from 'node:http';

export interface JsonResponse<T = unknown> {
  status: number;
  body: T;
  headers: http.IncomingHttpHeaders;
}

/**
 * A small JSON client over node:http with keep-alive sockets: fetch's pool
 * costs more CPU per request, and on a 2-core machine the load generator
 * competes with the server it measures.
 */
export class HttpClient {
  readonly agent: http.Agent;
  cookie = '';

  constructor(
    readonly origin: string,
    maxSockets = 64,
  ) {
    this.agent = new http.Agent({ keepAlive: true, maxSockets, maxFreeSockets: maxSockets });
  }

  request<T = unknown>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<JsonResponse<T>> {
    const payload = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
    return new Promise((resolve, reject) => {
      const req = http.request(
        this.origin + path,
        {
          method,
          agent: this.agent,
          headers: {
            ...(payload !== undefined && { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) }),
            ...(this.cookie && { cookie: this.cookie }),
            ...headers,
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            let parsed: unknown = text;
            try {
              parsed = text ? JSON.parse(text) : null;
            } catch {
              // Not JSON (a static page, an empty 204): hand back the text.
            }
            resolve({ status: res.statusCode ?? 0, body: parsed as T, headers: res.headers });
          });
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      if (payload !== undefined) req.write(payload);
      req.end();
    });
  }

  post<T = unknown>(path: string, body?: unknown, headers?: Record<string, string>) {
    return this.request<T>('POST', path, body ?? {}, headers);
  }

  get<T = unknown>(path: string, headers?: Record<string, string>) {
    return this.request<T>('GET', path, undefined, headers);
  }

  /** Logs a staff user in and keeps the session cookie for later requests. */
  async login(email: string, password: string): Promise<void> {
    const res = await this.post('/api/auth/login', { email, password });
    if (res.status !== 200) throw new Error(`login ${email}: ${res.status} ${JSON.stringify(res.body)}`);
    this.cookie = sessionCookieOf(res.headers);
  }

  close(): void {
    this.agent.destroy();
  }
}

export const sessionCookieOf = (headers: http.IncomingHttpHeaders): string => {
  const set = headers['set-cookie'] ?? [];
  const pairs = set.map((c) => c.split(';')[0]!).filter((p) => p.includes('='));
  if (pairs.length === 0) throw new Error('no session cookie in the response');
  return pairs.join('; ');
};
