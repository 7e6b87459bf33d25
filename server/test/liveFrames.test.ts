import type { Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket, { WebSocketServer } from 'ws';
import { refs } from '@atende/core';
import { actorOf } from '../src/auth/sessions.ts';
import { changesJson, SNAPSHOT_PART_BYTES, snapshotFrame, textFrame } from '../src/live/frames.ts';
import { LiveClient, login, run, startServer, type TestServer } from './helpers.ts';

const listen = (options: ConstructorParameters<typeof WebSocketServer>[0] = {}) =>
  new Promise<{ wss: WebSocketServer; url: string }>((resolve) => {
    const wss: WebSocketServer = new WebSocketServer({ port: 0, host: '127.0.0.1', ...options }, () =>
      resolve({ wss, url: `ws://127.0.0.1:${(wss.address() as { port: number }).port}` }),
    );
  });
const closeServer = (wss: WebSocketServer) => new Promise<void>((done) => wss.close(() => done()));

/** The text messages a real WebSocket client reads when the server writes `buffers` to its socket as they are. */
const readAsClient = async (buffers: readonly Buffer[], count: number): Promise<string[]> => {
  const { wss, url } = await listen();
  wss.on('connection', (ws) => {
    const socket = (ws as unknown as { _socket: Socket })._socket;
    for (const b of buffers) socket.write(b);
  });
  const got: string[] = [];
  const client = new WebSocket(url);
  await new Promise<void>((done, fail) => {
    client.on('message', (data, isBinary) => {
      expect(isBinary).toBe(false);
      got.push(data.toString());
      if (got.length === count) done();
    });
    client.on('error', fail);
  });
  client.close();
  await closeServer(wss);
  return got;
};

describe('frames built once (server/src/live/frames.ts)', () => {
  it('read as the same text in a real WebSocket client, whatever the length encoding', async () => {
    const texts = ['', 'a'.repeat(125), 'ã'.repeat(63), 'x'.repeat(65_535), 'é' + 'x'.repeat(65_534), 'olá 👋 '.repeat(20_000)];
    // 0 and 125 bytes: 7-bit length; 126 and 65,535: 16-bit; 65,536 and ~200 KB: 64-bit.
    expect(texts.map((t) => Buffer.byteLength(t))).toEqual([0, 125, 126, 65_535, 65_536, 200_000]);
    expect(await readAsClient(texts.map(textFrame), texts.length)).toEqual(texts);
  });
});

describe('snapshotFrame: a snapshot of stored documents, copied into parts', () => {
  it('is read as the snapshot JSON, for any number and size of documents and any subscription id', async () => {
    const doc = (i: number, pad: number) => ({ id: `t${i}`, name: `Cliente ${i} — olá 👋`, note: 'x'.repeat(pad) });
    const cases: { id: string; docs: object[] }[] = [
      { id: 'none', docs: [] },
      { id: 'one', docs: [doc(0, 10)] },
      // Many small documents across several parts, and documents ending exactly where a part ends.
      { id: 'queue-1', docs: Array.from({ length: 3000 }, (_, i) => doc(i, i % 97)) },
      { id: 'edge', docs: [doc(1, SNAPSHOT_PART_BYTES - 200), doc(2, SNAPSHOT_PART_BYTES - 60), doc(3, 5)] },
      // A document larger than a part, first and in the middle; an id JSON must escape, with accents.
      { id: 'ação "x"', docs: [doc(4, 3 * SNAPSHOT_PART_BYTES), doc(5, 1), doc(6, 2 * SNAPSHOT_PART_BYTES + 7), doc(7, 0)] },
    ];
    const expected = cases.map(({ id, docs }) => JSON.stringify({ type: 'snapshot', id, docs }));
    const built = cases.map(({ id, docs }) => snapshotFrame(id, docs.map((d) => Buffer.from(JSON.stringify(d)))));
    for (const b of built) {
      expect(Array.isArray(b.frame)).toBe(true);
      for (const part of b.frame as Buffer[]) expect(part.length).toBeLessThanOrEqual(3 * SNAPSHOT_PART_BYTES + 200);
    }
    // The big queue's documents are copied into a few parts, not written one by one.
    expect((built[2]!.frame as Buffer[]).length).toBeLessThan(3000 / 10);
    expect(built.map((b) => (b.payload as () => Buffer)().toString('utf8'))).toEqual(expected);
    expect(await readAsClient(built.flatMap((b) => b.frame as Buffer[]), cases.length)).toEqual(expected);
  });
});

describe('changesJson: the changes of a commit with the stored text of the documents the store wrote', () => {
  it('is JSON.stringify of the changes, each known document written as the text it was stored as', () => {
    const stored = { id: 't1', status: 'waiting', lastMessage: { text: 'olá "você"', at: 1 }, tagIds: [] };
    const unknown = { id: 't2', note: undefined, n: 2 };
    const changes = [
      { type: 'modified', doc: stored },
      { type: 'removed', doc: unknown },
      { type: 'added', doc: stored },
    ];
    // The same JSON with a space in it, so the test can tell the stored text was taken.
    const text = JSON.stringify(stored).replace('"status":', '"status": ');
    const out = changesJson(changes, (doc) => (doc === stored ? text : undefined));
    expect(JSON.parse(out)).toEqual(JSON.parse(JSON.stringify(changes)));
    expect(out.split('"status": ').length).toBe(3);
    expect(changesJson(changes, () => undefined)).toBe(JSON.stringify(changes));
    expect(changesJson([], () => text)).toBe('[]');
    // A change of another shape is serialised whole.
    const odd = [{ doc: stored, type: 'modified' }];
    expect(changesJson(odd, () => text)).toBe(JSON.stringify(odd));
  });
});

describe('a commit reaching many sockets of one evaluation', () => {
  let server: TestServer;
  let admin: string;
  let deflating: { wss: WebSocketServer; url: string };
  const open: LiveClient[] = [];

  beforeAll(async () => {
    server = await startServer();
    admin = await login(server, 'admin@atende.local');
    // A socket that negotiated an extension (permessage-deflate) gets its frames through ws, compressed.
    deflating = await listen({ perMessageDeflate: { threshold: 0 } });
    const actor = actorOf(server.app.store.get(refs.user('admin'))!);
    deflating.wss.on('connection', (ws) => server.app.hub.attach(ws, actor, { sessionHash: null, owner: null }));
  });
  afterAll(async () => {
    for (const c of open) c.close();
    await closeServer(deflating.wss);
    await server.close();
  });

  it('sends each socket one frame under its own subscription id, the same changes to all, compressed where negotiated', async () => {
    const connect = async (at: TestServer, path: string) => {
      const c = await LiveClient.open(at, path, admin);
      open.push(c);
      return c;
    };
    const plain = await Promise.all([connect(server, '/api/live'), connect(server, '/api/live'), connect(server, '/api/live')]);
    const deflated = await connect({ ...server, url: deflating.url.replace('ws', 'http') }, '');
    expect(plain.map((c) => c.ws.extensions)).toEqual(['', '', '']);
    expect(deflated.ws.extensions).toMatch(/permessage-deflate/);
    const sockets = [...plain, deflated];
    const ids = ['x', 'x', 'y', 'x'];
    const frames = sockets.map((c) => {
      const raw: string[] = [];
      c.ws.on('message', (data) => raw.push(data.toString()));
      return raw;
    });
    const before = server.app.hub.stats().evaluations;
    for (const [i, c] of sockets.entries()) await c.subscribe(ids[i]!, 'sectors.all');
    expect(server.app.hub.stats().evaluations).toBe(before + 1);

    const bytesRead = () => sockets.map((c) => (c.ws as unknown as { _socket: Socket })._socket.bytesRead);
    const read0 = bytesRead();
    const signature = 'Atenciosamente, equipe de suporte. '.repeat(28);
    expect((await run(server, admin, 'sector.save', { id: 'frames-a', name: 'Frames A', color: '#aa00aa', overflowSectorId: null, signature })).status).toBe(200);
    const changes = await Promise.all(sockets.map((c, i) => c.changes(ids[i]!, (m) => m.changes.some((ch) => ch.doc.id === 'frames-a'))));
    // The plain sockets read the frame as built (at least the signature's bytes); the deflating one, compressed.
    const read = bytesRead().map((n, i) => n - read0[i]!);
    for (const n of read.slice(0, 3)) expect(n).toBeGreaterThan(signature.length);
    expect(read[3]).toBeLessThan(signature.length / 4);
    expect(changes.map((m) => m.id)).toEqual(ids);
    for (const m of changes) expect(m.changes).toEqual(changes[0]!.changes);
    expect(changes[0]!.changes[0]).toMatchObject({ type: 'added', doc: { id: 'frames-a', name: 'Frames A' } });

    // A later commit as the sentinel: once it is in, every socket has had exactly one frame for the first.
    expect((await run(server, admin, 'sector.save', { id: 'frames-b', name: 'Frames B', color: '#00aaaa', overflowSectorId: null })).status).toBe(200);
    await Promise.all(sockets.map((c, i) => c.changes(ids[i]!, (m) => m.changes.some((ch) => ch.doc.id === 'frames-b'))));
    expect(frames.map((raw) => raw.filter((f) => f.includes('"frames-a"')).length)).toEqual([1, 1, 1, 1]);
  });

  it('gives a socket joining an evaluation its current documents, however many joined before and whatever changed since', async () => {
    const names = (docs: Record<string, unknown>[]) => docs.map((d) => d.id).sort();
    const first = await LiveClient.open(server, '/api/live', admin);
    open.push(first);
    const current = (await first.subscribe('s', 'sectors.all')).docs;
    // The second and third join the same evaluation: its snapshot is serialised once and kept…
    const joiners = await Promise.all([1, 2, 3].map(() => LiveClient.open(server, '/api/live', admin)));
    open.push(...joiners);
    expect(names((await joiners[0]!.subscribe('s', 'sectors.all')).docs)).toEqual(names(current));
    expect(names((await joiners[1]!.subscribe('s', 'sectors.all')).docs)).toEqual(names(current));
    // …until a commit changes what it shows: the next joiner sees the change.
    expect((await run(server, admin, 'sector.save', { id: 'frames-c', name: 'Frames C', color: '#0000aa', overflowSectorId: null })).status).toBe(200);
    await first.changes('s', (m) => m.changes.some((c) => c.doc.id === 'frames-c'));
    const late = (await joiners[2]!.subscribe('s', 'sectors.all')).docs;
    expect(names(late)).toEqual([...names(current), 'frames-c'].sort());
    expect(late.find((d) => d.id === 'frames-c')).toMatchObject({ name: 'Frames C' });
  });
});
