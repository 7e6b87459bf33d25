import http from 'node:http';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { catalogue, commandRegistry, schemas, type CollectionName } from '@atende/core';
import { command, docsOf, integrityProblems, login, newDataDir, openDb, openVisitor, removeDataDir, request, sendWidget, spawnServer, Live, type Res, type ServerProc } from './harness.ts';

/**
 * DESIGN §11: generated garbage and near-valid payloads (a valid input with
 * one field broken) at every command of core's registry, at the widget API and
 * at the login route, over real HTTP to the real server process. Always an
 * answer below 500, a 400 names the field at fault, the process never dies,
 * and nothing half-written or invalid reaches the database.
 */
const RUNS = 50;
const dataDir = newDataDir();
let server: ServerProc;
let admin: string;
let ticketId: string;
let contactId: string;
let visitorToken: string;

beforeAll(async () => {
  server = await spawnServer(dataDir);
  admin = await login(server.url, 'admin@atende.local');
  const v = await openVisitor(server.url, 'Fuzz');
  visitorToken = v.token;
  contactId = v.contactId;
  const first = await sendWidget(server.url, v.token, 'primeira mensagem', 'fuzz-first');
  ticketId = first.body.ticketId;
}, 60_000);
afterAll(async () => {
  await server.kill9();
  removeDataDir(dataDir);
});

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type Obj = { [k: string]: Json };

/** A valid input for every command; a command added to the registry without one fails the coverage test below. */
const validInputs = (): Record<string, Obj> => ({
  'ticket.accept': { ticketId },
  'ticket.close': { ticketId, classificationId: 'duvida' },
  'ticket.reopen': { ticketId },
  'ticket.returnToQueue': { ticketId },
  'ticket.transfer': { ticketId, sectorId: 'financeiro' },
  'ticket.classify': { ticketId, classificationId: 'duvida' },
  'ticket.setTags': { ticketId, tagIds: ['vip'] },
  'ticket.markRead': { ticketId },
  'message.send': { ticketId, text: 'olá', attachments: [], clientId: 'fuzz-client' },
  'inbound.receive': { channelId: 'site', externalId: 'fuzz-ext', contact: { name: 'Fuzz' }, channelMessageId: 'fuzz-m', text: 'oi' },
  'automation.inactivity': { ticketId },
  'channel.connect': { channelId: 'whatsapp-suporte', account: { id: '100000000000009', businessId: '200000000000001', display: '+55 11 4000-0009' }, accessToken: 'fuzz-token' },
  'channel.status': { channelId: 'whatsapp', channelMessageId: 'wamid.fuzz', status: 'delivered' },
  'inbound.react': { channelId: 'whatsapp', targetChannelMessageId: 'wamid.fuzz', emoji: '👍' },
  'inbound.deleted': { channelId: 'instagram', channelMessageId: 'mid.fuzz' },
  'message.retry': { ticketId, messageId: 'fuzz-message' },
  'template.sync': { channelId: 'whatsapp', templates: [{ providerId: 'fuzz-1', name: 'fuzz_template', language: 'pt_BR', category: 'UTILITY', status: 'APPROVED', body: 'Olá {{1}}' }] },
  'template.restrict': { templateId: 'fuzz-template', sectorIds: ['suporte'] },
  'message.sendTemplate': { ticketId, templateId: 'fuzz-template', params: ['Maria'], clientId: 'fuzz-template-client' },
  'conversation.start': { channelId: 'whatsapp', phone: '55 11 98765-4321', name: 'Fuzz', sectorId: 'suporte', templateId: 'fuzz-template', params: ['Maria'] },
  'presence.set': { presence: 'paused', pauseReasonId: 'almoco', cause: 'manual' },
  'presence.connect': {},
  'presence.expire': { userId: 'ana', lastSeenAt: 0 },
  'pauseReason.save': { id: 'fuzz-reason', name: 'Fuzz' },
  'pauseReason.delete': { id: 'no-such-reason' },
  'contact.update': { contactId, name: 'Cliente Fuzz', phone: '11999990000', email: 'fuzz@example.com', notes: 'nota', tagIds: ['vip'] },
  'user.save': { id: 'fuzz-user', name: 'Fuzz User', email: 'fuzz-user@example.com', role: 'agent', sectorIds: ['suporte'], seesAllHistory: false, active: true },
  'settings.update': { prioritiseHuman: true, attachments: { maxBytes: 1_048_576, allowedTypes: ['image/*'] } },
  'quickReply.save': { id: 'fuzz-qr', shortcut: 'fuzz', text: 'Olá {{contact.name}}', sectorIds: [] },
  'quickReply.delete': { id: 'no-such-quick-reply' },
  'tag.save': { id: 'fuzz-tag', name: 'Fuzz', color: '#123456' },
  'tag.delete': { id: 'no-such-tag' },
  'classification.save': { id: 'fuzz-class', name: 'Fuzz' },
  'classification.delete': { id: 'no-such-classification' },
  'sector.save': { id: 'fuzz-sector', name: 'Fuzz', color: '#654321', overflowSectorId: null },
  'sector.delete': { id: 'no-such-sector' },
  'channel.save': {
    id: 'fuzz-channel',
    type: 'webchat',
    name: 'Fuzz',
    defaultSectorId: 'suporte',
    bot: { enabled: false, greeting: '', menu: [{ key: '1', label: 'Suporte', sectorId: 'suporte' }], invalidOption: '' },
    active: true,
  },
  'channel.delete': { id: 'no-such-channel' },
  'user.setSip': { userId: 'ana', extension: '1001', password: 'fuzz-secret' },
  'sip.credentials': {},
  'call.identify': { number: '+55 11 98765-4321' },
  'call.open': { number: '+55 11 98765-4321', contactId: null, name: 'Fuzz' },
  'call.log': { ticketId, callId: 'fuzz-call', direction: 'out', number: '+55 11 98765-4321', outcome: 'answered', durationSeconds: 42 },
  'call.missed': { callId: 'fuzz-missed', number: '+55 21 99876-0009', name: 'Fuzz' },
  'presence.call': { onCall: true },
});

/** Every path into a sample (objects and the first element of arrays), to pick the field to break. */
const pathsOf = (value: Json, prefix: string[] = []): string[][] => {
  if (Array.isArray(value)) return value.length ? [[...prefix, '0'], ...pathsOf(value[0]!, [...prefix, '0'])] : [];
  if (value && typeof value === 'object')
    return Object.entries(value).flatMap(([k, v]) => [[...prefix, k], ...pathsOf(v, [...prefix, k])]);
  return [];
};

type Mutation = { kind: 'delete' } | { kind: 'replace'; value: Json } | { kind: 'wrap'; how: 'object' | 'array' };

const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
  fc.constant({ kind: 'delete' as const }),
  // Wrong types.
  fc.oneof(fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.boolean(), fc.constant(null), fc.constant({}), fc.constant([])).map((value) => ({ kind: 'replace' as const, value: value as Json })),
  // Huge strings, negative numbers, unicode of every plane, control characters, look-alikes of ids.
  fc.constantFrom('x'.repeat(200_000), '👩‍👩‍👧‍👦'.repeat(3000)).map((value) => ({ kind: 'replace' as const, value })),
  fc.integer({ min: -1_000_000_000, max: -1 }).map((value) => ({ kind: 'replace' as const, value })),
  fc.string({ unit: 'grapheme', maxLength: 40 }).map((value) => ({ kind: 'replace' as const, value })),
  fc.string({ unit: 'binary', maxLength: 40 }).map((value) => ({ kind: 'replace' as const, value })),
  fc.constantFrom('../../etc/passwd', '<img src=x onerror=alert(1)>', "'; DROP TABLE tickets; --", '\u0000', ' ', '', '__proto__', 'constructor').map((value) => ({ kind: 'replace' as const, value })),
  // Extra nesting.
  fc.constantFrom('object' as const, 'array' as const).map((how) => ({ kind: 'wrap' as const, how })),
  fc.jsonValue({ maxDepth: 3 }).map((value) => ({ kind: 'replace' as const, value: value as Json })),
);

const mutate = (input: Obj, path: string[], m: Mutation): Obj => {
  const copy = structuredClone(input) as Obj;
  let parent: Json = copy;
  for (const key of path.slice(0, -1)) parent = (parent as Record<string, Json>)[key]!;
  const last = path.at(-1)!;
  const holder = parent as Record<string, Json>;
  if (m.kind === 'delete') {
    if (Array.isArray(holder)) holder.splice(Number(last), 1);
    else delete holder[last];
  } else if (m.kind === 'replace') holder[last] = m.value;
  else holder[last] = m.how === 'object' ? { value: holder[last]! } : [holder[last]!];
  return copy;
};

/** A GET whose path goes out byte for byte: fetch would resolve `..` segments before sending. */
const rawGet = (origin: string, path: string, options: { cookie?: string; bearer?: string }): Promise<{ status: number; body: string }> =>
  new Promise((resolve, reject) => {
    const headers: Record<string, string> = {};
    if (options.cookie) headers.cookie = options.cookie;
    if (options.bearer) headers.authorization = `Bearer ${options.bearer}`;
    const { hostname, port } = new URL(origin);
    const req = http.request({ hostname, port, path, method: 'GET', headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end();
  });

type ErrorBody = { error: { code: string; message: string; issues: { path: string; message: string }[] } };

/** What every answer must be, whatever was sent. */
const checkAnswer = (res: Res, sent: unknown, field?: string[]): void => {
  const where = `sent ${JSON.stringify(sent).slice(0, 300)} → ${res.status} ${JSON.stringify(res.body).slice(0, 400)}`;
  expect(res.status, where).toBeLessThan(500);
  if (res.status < 400) return;
  const body = res.body as ErrorBody;
  expect(typeof body?.error?.code, where).toBe('string');
  expect(typeof body.error.message, where).toBe('string');
  expect(Array.isArray(body.error.issues), where).toBe(true);
  expect(body.error.message, where).not.toMatch(/\n\s+at /);
  if (res.status === 400) {
    expect(body.error.issues.length, `a 400 names the field: ${where}`).toBeGreaterThan(0);
    if (field) {
      // The issue names the broken field, or (for a field that moved the whole body out of shape) one of its ancestors.
      const named = body.error.issues.some((i) => {
        const p = i.path.split('.');
        return field.slice(0, p.length).join('.') === p.join('.') || p.slice(0, field.length).join('.') === field.join('.');
      });
      expect(named, `the issues name ${field.join('.')}: ${where}`).toBe(true);
    }
  }
};

const garbageBody = fc.oneof(
  fc.jsonValue({ maxDepth: 4 }).map((v) => ({ raw: JSON.stringify(v) })),
  fc.string({ unit: 'binary', maxLength: 200 }).map((raw) => ({ raw })),
  fc.constantFrom('{"a":', '[', 'null', '"x"', '{"__proto__":{"admin":true}}', '1e999', '{"ticketId":{"$gt":""}}').map((raw) => ({ raw })),
);

describe('bad input at every command, the widget API and login', () => {
  it('has a valid sample for every command in the registry', () => {
    const missing = [...commandRegistry.keys()].filter((name) => !(name in validInputs()));
    expect(missing).toEqual([]);
  });

  it.each([...commandRegistry.keys()])('%s: one broken field → 4xx naming it; garbage → 4xx', async (name) => {
    const valid = validInputs()[name];
    if (!valid) throw new Error(`no valid sample for ${name}`);
    const paths = pathsOf(valid);
    // A command without fields (presence.connect) has nothing to break but its body.
    if (paths.length > 0) await fc.assert(
      fc.asyncProperty(fc.constantFrom(...paths), mutationArb, async (path, m) => {
        const input = mutate(valid, path, m);
        const res = await command(server.url, admin, name, input);
        checkAnswer(res, input, path);
      }),
      { numRuns: RUNS },
    );
    await fc.assert(
      fc.asyncProperty(garbageBody, async ({ raw }) => {
        const res = await request(server.url, 'POST', `/api/commands/${encodeURIComponent(name)}`, { cookie: admin, raw });
        checkAnswer(res, raw);
      }),
      { numRuns: Math.ceil(RUNS / 2) },
    );
  }, 60_000);

  it('the widget session and message routes', async () => {
    const session: Obj = { name: 'Visitante', email: 'v@example.com', phone: '11988887777' };
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...pathsOf(session)), mutationArb, async (path, m) => {
        const body = mutate(session, path, m);
        checkAnswer(await request(server.url, 'POST', '/api/widget/site/session', { body }), body, path);
      }),
      { numRuns: RUNS },
    );
    let n = 0;
    await fc.assert(
      fc.asyncProperty(fc.constantFrom<string[]>(['text'], ['clientMessageId'], ['attachments']), mutationArb, async (path, m) => {
        const body = mutate({ text: 'olá', clientMessageId: `fz-${++n}`, attachments: [] }, path, m);
        checkAnswer(await request(server.url, 'POST', '/api/widget/messages', { bearer: visitorToken, body }), body, path);
      }),
      { numRuns: RUNS },
    );
    await fc.assert(
      fc.asyncProperty(garbageBody, fc.string({ maxLength: 300 }), async ({ raw }, token) => {
        checkAnswer(await request(server.url, 'POST', '/api/widget/messages', { bearer: visitorToken, raw }), raw);
        checkAnswer(await request(server.url, 'POST', '/api/widget/site/session', { raw }), raw);
        // A made-up token never reaches a conversation.
        const forged = await request(server.url, 'POST', '/api/widget/messages', { headers: { authorization: `Bearer ${token}` }, body: { text: 'oi', clientMessageId: 'forged' } }).catch(() => null);
        if (forged) expect(forged.status, token).toBe(401);
      }),
      { numRuns: RUNS },
    );
  }, 60_000);

  it('the upload routes: random files, names, types and broken multipart', async () => {
    const png = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);
    const fileArb = fc.record({
      bytes: fc.oneof(fc.uint8Array({ maxLength: 2048 }), fc.uint8Array({ maxLength: 512 }).map((tail) => Uint8Array.from([...png, ...tail]))),
      name: fc.oneof(fc.string({ unit: 'grapheme', maxLength: 80 }), fc.constantFrom('foto.png', '../../etc/passwd', 'a'.repeat(400), 'x.exe', '<img src=x onerror=alert(1)>.png', '')),
      type: fc.constantFrom('image/png', 'application/pdf', 'text/html', 'application/x-msdownload', '', 'image/svg+xml'),
      ticketId: fc.oneof(fc.constant(ticketId), fc.string({ maxLength: 30 }), fc.constant('')),
      withTicket: fc.boolean(),
    });
    await fc.assert(
      fc.asyncProperty(fileArb, async (f) => {
        const form = () => {
          const data = new FormData();
          data.append('file', new Blob([f.bytes], { type: f.type }), f.name);
          return data;
        };
        const staffForm = form();
        if (f.withTicket) staffForm.append('ticketId', f.ticketId);
        for (const [path, init] of [
          ['/api/files', { headers: { cookie: admin }, body: staffForm }],
          ['/api/widget/files', { headers: { authorization: `Bearer ${visitorToken}` }, body: form() }],
        ] as const) {
          const res = await fetch(server.url + path, { method: 'POST', ...init });
          const text = await res.text();
          const body = text ? (JSON.parse(text) as unknown) : null;
          checkAnswer({ status: res.status, body, headers: res.headers }, { path, name: f.name, type: f.type, size: f.bytes.length });
          // Only content the server recognised is ever stored; a PNG by name alone is not enough.
          if (res.status === 200) expect(f.bytes.slice(0, 8)).toEqual(png.slice(0, 8));
        }
      }),
      { numRuns: RUNS },
    );
    for (const raw of ['not multipart', '--x\r\nContent-Disposition: form-data; name="file"\r\n\r\nabc', '']) {
      for (const contentType of ['multipart/form-data; boundary=x', 'multipart/form-data', 'application/octet-stream', 'text/plain']) {
        const staff = await request(server.url, 'POST', '/api/files', { cookie: admin, raw, headers: { 'content-type': contentType } });
        checkAnswer(staff, { raw, contentType });
        const widget = await request(server.url, 'POST', '/api/widget/files', { bearer: visitorToken, raw, headers: { 'content-type': contentType } });
        checkAnswer(widget, { raw, contentType });
      }
    }
  }, 60_000);

  it('file downloads and the widget socket with hostile paths and tokens', async () => {
    const segment = fc.oneof(
      fc.string({ unit: 'grapheme', maxLength: 30 }),
      fc.constantFrom('..', '%2e%2e', '..%2F..%2Fetc%2Fpasswd', '%00', 'atende.db', '.', '%2F', ticketId),
    );
    await fc.assert(
      fc.asyncProperty(segment, segment, fc.string({ maxLength: 60 }), async (a, b, token) => {
        // Dot segments and percent-escapes go out as they are; anything else is encoded.
        const enc = (x: string) => (/^[%0-9A-Za-z._-]+$/.test(x) ? x : encodeURIComponent(x));
        for (const [path, options] of [
          [`/api/files/${enc(a)}/${enc(b)}`, { cookie: admin }],
          [`/api/widget/files/${enc(a)}/${enc(b)}?token=${encodeURIComponent(token)}`, {}],
          [`/api/widget/files/${enc(a)}/${enc(b)}`, { bearer: visitorToken }],
        ] as const) {
          const res = await rawGet(server.url, path, options);
          const where = `GET ${path} → ${res.status} ${res.body.slice(0, 200)}`;
          expect(res.status, where).toBeLessThan(500);
          // Nothing exists at these names: no byte of any file, let alone the database, comes back.
          expect(res.status, where).not.toBe(200);
        }
        const refused = await Live.open(server.url, `/api/widget/live?token=${encodeURIComponent(token)}`).then(
          (live) => {
            live.close();
            return 101;
          },
          (error: { status?: number }) => error.status ?? 0,
        );
        expect(refused, token).toBe(401);
      }),
      { numRuns: RUNS },
    );
  }, 60_000);

  it('the login route', async () => {
    const valid: Obj = { email: 'nobody@example.com', password: 'wrong-password' };
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...pathsOf(valid)), mutationArb, async (path, m) => {
        const body = mutate(valid, path, m);
        const res = await request(server.url, 'POST', '/api/auth/login', { body });
        checkAnswer(res, body, path);
        expect([400, 401, 429], JSON.stringify(res.body)).toContain(res.status);
      }),
      { numRuns: RUNS },
    );
    await fc.assert(
      fc.asyncProperty(garbageBody, async ({ raw }) => {
        const res = await request(server.url, 'POST', '/api/auth/login', { raw });
        checkAnswer(res, raw);
        expect(res.status).not.toBe(200);
      }),
      { numRuns: RUNS },
    );
  }, 60_000);

  it('garbage on the live socket is answered with errors and the socket stays usable', async () => {
    const live = await Live.open(server.url, '/api/live', admin);
    const names = catalogue.map((q) => q.name);
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...names, 'no.such.query'), fc.jsonValue({ maxDepth: 3 }), async (query, params) => {
        const id = `fz-${Math.random().toString(36).slice(2)}`;
        const answer = live.next((msg) => (msg.type === 'snapshot' || msg.type === 'error') && msg.id === id);
        live.ws.send(JSON.stringify({ type: 'subscribe', id, query, params }));
        const msg = await answer;
        if (msg.type === 'error') expect(msg.error.code).not.toBe('internal');
        live.ws.send(JSON.stringify({ type: 'unsubscribe', id }));
      }),
      { numRuns: RUNS * 2 },
    );
    for (const raw of ['', 'not json', '[]', 'null', '{"type":"subscribe"}', '{"type":"explode","id":"x"}', JSON.stringify({ type: 'subscribe', id: 'x'.repeat(1000), query: 'settings' })]) live.ws.send(raw);
    const pong = live.next((msg) => msg.type === 'pong');
    live.ws.send(JSON.stringify({ type: 'ping' }));
    await pong;
    live.close();
  }, 60_000);

  it('leaves the server up and the data whole', async () => {
    expect(server.isRunning()).toBe(true);
    expect((await request(server.url, 'GET', '/api/health')).status).toBe(200);
    expect(server.log()).not.toMatch(/unexpected error/);
    expect(integrityProblems(dataDir)).toEqual([]);
    // Every stored document still satisfies its schema: no half-valid write got through.
    const db = openDb(dataDir);
    const invalid: string[] = [];
    for (const [collection, schema] of Object.entries(schemas) as [CollectionName, (typeof schemas)[CollectionName]][])
      for (const doc of docsOf(db, collection)) {
        const parsed = schema.safeParse(doc);
        if (!parsed.success) invalid.push(`${collection}/${doc.id}: ${parsed.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ')}`);
      }
    db.close();
    expect(invalid).toEqual([]);
  });
});
