import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, login, newWaitingTicket, run, startServer, type TestServer } from './helpers.ts';

type ErrorBody = { error: { code: string; message: string; issues: { path: string; message: string }[] } };

let server: TestServer;
let ana: string;
beforeAll(async () => {
  server = await startServer();
  ana = await login(server, 'ana@atende.local');
});
afterAll(() => server.close());

describe('bad input gets a 4xx naming the problem, never a 500', () => {
  it('malformed JSON → 400 invalid-argument', async () => {
    const res = await api<ErrorBody>(server, 'POST', '/api/commands/ticket.accept', { cookie: ana, raw: '{"ticketId": ' });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('invalid-argument');
    expect(res.body.error.message).toMatch(/JSON/);
  });

  it('a body that is not an object → 400', async () => {
    const res = await api<ErrorBody>(server, 'POST', '/api/commands/ticket.accept', { cookie: ana, raw: '[1,2]' });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('invalid-argument');
  });

  it('unknown command → 400 naming it', async () => {
    const res = await run<ErrorBody>(server, ana, 'ticket.explode', { ticketId: 'x' });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toContain('ticket.explode');
    expect(res.body.error.issues[0]?.path).toBe('command');
  });

  it('missing field → 400 with its path', async () => {
    const res = await run<ErrorBody>(server, ana, 'ticket.accept', {});
    expect(res.status).toBe(400);
    expect(res.body.error.issues.map((i) => i.path)).toEqual(['ticketId']);
  });

  it('wrong type → 400 with its path', async () => {
    const res = await run<ErrorBody>(server, ana, 'message.send', { ticketId: 'abc', text: 42 });
    expect(res.status).toBe(400);
    expect(res.body.error.issues.map((i) => i.path)).toContain('text');
  });

  it('nested field at fault is named with a dotted path', async () => {
    const res = await run<ErrorBody>(server, ana, 'message.send', { ticketId: 'abc', text: 'x', attachments: [{ id: 'a', name: 'f', mime: 'image/png', size: -1, kind: 'image' }] });
    expect(res.status).toBe(400);
    expect(res.body.error.issues.map((i) => i.path)).toContain('attachments.0.size');
  });

  it('prototype-poisoning keys are dropped, and the field that held them is named', async () => {
    const res = await api<ErrorBody>(server, 'POST', '/api/commands/ticket.accept', { cookie: ana, raw: '{"ticketId":{"__proto__":{"admin":true}}}' });
    expect(res.status).toBe(400);
    expect(res.body.error.issues.map((i) => i.path)).toEqual(['ticketId']);
    const top = await api<ErrorBody>(server, 'POST', '/api/commands/ticket.accept', { cookie: ana, raw: '{"__proto__":{"ticketId":"x"}}' });
    expect(top.status).toBe(400);
    expect(top.body.error.issues.map((i) => i.path)).toEqual(['ticketId']);
    expect(({} as Record<string, unknown>).admin).toBeUndefined();
  });

  it('an id with forbidden characters → 400', async () => {
    const res = await run<ErrorBody>(server, ana, 'ticket.accept', { ticketId: '../../etc/passwd' });
    expect(res.status).toBe(400);
    expect(res.body.error.issues[0]?.path).toBe('ticketId');
  });

  it('a command name outside the route pattern → 400', async () => {
    const res = await api<ErrorBody>(server, 'POST', '/api/commands/%20drop', { cookie: ana, body: {} });
    expect(res.status).toBe(400);
  });

  it('no session → 401', async () => {
    const res = await run<ErrorBody>(server, '', 'ticket.accept', { ticketId: 'x' });
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('unauthenticated');
  });

  it('not allowed → 403 with the reason', async () => {
    const res = await run<ErrorBody>(server, ana, 'sector.save', { id: 'novo', name: 'Novo', color: '#123456', overflowSectorId: null });
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('permission-denied');
    expect(res.body.error.message).toMatch(/admin/);
  });

  it('a missing document → 404; a state conflict → 409 with a clear message', async () => {
    expect((await run(server, ana, 'ticket.accept', { ticketId: 'nao-existe' })).status).toBe(404);
    const ticket = await newWaitingTicket(server);
    const res = await run<ErrorBody>(server, ana, 'message.send', { ticketId: ticket.id, text: 'oi' });
    expect(res.status).toBe(409);
    expect(res.body.error.message).toMatch(/Atender/);
  });

  it('an unknown /api route → 404 JSON; a body over the limit → 413 JSON', async () => {
    const missing = await api<ErrorBody>(server, 'GET', '/api/nothing-here', { cookie: ana });
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('not-found');
    const huge = await api<ErrorBody>(server, 'POST', '/api/commands/message.send', { cookie: ana, raw: JSON.stringify({ ticketId: 'a', text: 'x'.repeat(2 * 1024 * 1024) }) });
    expect(huge.status).toBe(413);
    expect(huge.body.error.code).toBe('invalid-argument');
  });

  it('no 500 answers a stack trace: internal errors are hidden', async () => {
    // Break the database under the app: the command fails inside SQLite.
    server.app.db.exec('ALTER TABLE tags RENAME TO tags_broken');
    try {
      const admin = await login(server, 'admin@atende.local');
      const res = await run<ErrorBody>(server, admin, 'tag.save', { id: 'x', name: 'X', color: '#123456' });
      expect(res.status).toBe(500);
      expect(res.body).toEqual({ error: { code: 'internal', message: 'Internal error', issues: [] } });
    } finally {
      server.app.db.exec('ALTER TABLE tags_broken RENAME TO tags');
    }
  });
});
