// @vitest-environment node
/**
 * The widget's anonymous visitor over Firebase Auth's REST API
 * (web/src/widget/visitorAuth.ts), against a local HTTP server speaking
 * Identity Toolkit's `accounts:signUp` and Secure Token's `token` as the Auth
 * emulator does (paths, form and JSON bodies, snake_case answers, error
 * bodies `{error: {message}}`).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { claimsOf, restVisitorAuth } from '../src/widget/visitorAuth.ts';

const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
const jwt = (uid: string, claims: Record<string, unknown>) => `${b64({ alg: 'none' })}.${b64({ sub: uid, user_id: uid, ...claims })}.`;

let server: Server;
let base = '';
const accounts = new Map<string, { uid: string; claims: Record<string, unknown> }>();
const seen: { path: string; key: string | null; body: string; type: string | undefined }[] = [];

beforeAll(async () => {
  let n = 0;
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://x');
      seen.push({ path: url.pathname, key: url.searchParams.get('key'), body, type: req.headers['content-type'] });
      const answer = (status: number, json: unknown) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(json));
      if (url.pathname === '/identitytoolkit.googleapis.com/v1/accounts:signUp') {
        const uid = `anon${++n}`;
        accounts.set(`refresh-${uid}`, { uid, claims: {} });
        return answer(200, { kind: 'identitytoolkit#SignupNewUserResponse', localId: uid, idToken: jwt(uid, {}), refreshToken: `refresh-${uid}`, expiresIn: '3600' });
      }
      if (url.pathname === '/securetoken.googleapis.com/v1/token') {
        const form = new URLSearchParams(body);
        const account = accounts.get(form.get('refresh_token') ?? '');
        if (form.get('grant_type') !== 'refresh_token' || !account) return answer(400, { error: { code: 400, message: 'INVALID_REFRESH_TOKEN' } });
        return answer(200, { id_token: jwt(account.uid, account.claims), refresh_token: form.get('refresh_token'), expires_in: '3600', user_id: account.uid });
      }
      answer(404, { error: { code: 404, message: 'NOT_FOUND' } });
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

const memoryStorage = () => {
  const m = new Map<string, string>();
  return { getItem: (k: string) => m.get(k) ?? null, setItem: (k: string, v: string) => void m.set(k, v), removeItem: (k: string) => void m.delete(k) };
};

describe('widget visitor on Firebase Auth REST', () => {
  it('signs in anonymously, keeps the account for the next page load, and reads the claim after a refresh', async () => {
    const storage = memoryStorage();
    const auth = restVisitorAuth({ apiKey: 'web-key', storageKey: 'atende.widget.visitor.demo', emulator: base, storage });
    expect(await auth.current()).toBeNull();
    expect(await auth.idToken()).toBeNull();
    const s = await auth.signIn();
    expect(s).toMatchObject({ uid: expect.stringMatching(/^anon\d+$/), claims: { sub: s.uid } });
    expect(seen.at(-1)).toMatchObject({ path: '/identitytoolkit.googleapis.com/v1/accounts:signUp', key: 'web-key', type: 'application/json' });
    expect(JSON.parse(seen.at(-1)!.body)).toEqual({ returnSecureToken: true });

    // widget.session set the customer claim: the refreshed token carries it.
    accounts.get(`refresh-${s.uid}`)!.claims = { customer: { contactId: 'C1', channelId: 'site' } };
    const refreshed = await auth.refresh();
    expect(refreshed?.claims.customer).toEqual({ contactId: 'C1', channelId: 'site' });
    expect(seen.at(-1)).toMatchObject({ path: '/securetoken.googleapis.com/v1/token', type: 'application/x-www-form-urlencoded' });
    expect(claimsOf((await auth.idToken())!)).toMatchObject({ customer: { contactId: 'C1' } });

    // A reload: a new instance on the same storage resumes the same visitor, claim included.
    const again = restVisitorAuth({ apiKey: 'web-key', storageKey: 'atende.widget.visitor.demo', emulator: base, storage });
    expect(await again.current()).toMatchObject({ uid: s.uid, claims: { customer: { contactId: 'C1' } } });
  });

  it('refreshes a token about to expire before handing it out', async () => {
    let now = 1_000_000;
    const auth = restVisitorAuth({ apiKey: 'web-key', storageKey: 'k', emulator: base, storage: memoryStorage(), now: () => now });
    const s = await auth.signIn();
    const calls = seen.length;
    expect(await auth.idToken()).toBe(s.idToken);
    expect(seen.length).toBe(calls);
    now += 3_550_000; // 50 s left of the hour
    await auth.idToken();
    expect(seen.slice(calls).map((r) => r.path)).toEqual(['/securetoken.googleapis.com/v1/token']);
  });

  it('forgets an account Auth no longer knows, so the widget starts afresh', async () => {
    const storage = memoryStorage();
    const auth = restVisitorAuth({ apiKey: 'web-key', storageKey: 'k', emulator: base, storage });
    const s = await auth.signIn();
    accounts.delete(`refresh-${s.uid}`);
    await expect(auth.refresh()).rejects.toMatchObject({ code: 'unauthenticated', message: 'INVALID_REFRESH_TOKEN' });
    expect(await auth.current()).toBeNull();
    expect(storage.getItem('k')).toBeNull();
  });

  it('says "network" when Auth cannot be reached', async () => {
    const auth = restVisitorAuth({ apiKey: 'web-key', storageKey: 'k', emulator: 'http://127.0.0.1:1', storage: memoryStorage() });
    await expect(auth.signIn()).rejects.toMatchObject({ code: 'auth/network-request-failed' });
  });
});
