import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { api, startServer, type TestServer } from '../helpers.ts';

/**
 * Issue 10, item 1: `unsubscribe` frames with ever-new ids used to grow a
 * per-socket map without bound (a million of them crashed the process). An
 * anonymous widget visitor sends a million such frames (reconnecting should
 * the server close the socket); the server's heap must stay within a bound.
 */
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const FRAMES = 1_000_000;
/** What the heap may grow by: the old per-socket map of a million 90-character ids took well over 150 MB. */
const HEAP_BOUND_BYTES = 48 * 1024 * 1024;

let server: TestServer;
beforeAll(async () => {
  // Unthrottled: the bound under test is the per-socket state itself, not the frame rate.
  server = await startServer({ liveFramesPerSecond: Number.POSITIVE_INFINITY });
});
afterAll(() => server.close());

const heapAfterGc = () => {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
};

describe('live socket state is bounded', () => {
  it(`a million unsubscribe frames with new ids leave the heap within ${HEAP_BOUND_BYTES / 1024 / 1024} MB`, { timeout: 180_000 }, async () => {
    const session = await api<{ token: string }>(server, 'POST', '/api/widget/site/session', { body: { name: 'Atacante' } });
    const url = `${server.url.replace('http', 'ws')}/api/widget/live?token=${session.body.token}`;
    const before = heapAfterGc();
    const pad = 'x'.repeat(80);
    let sent = 0;
    let connections = 0;
    const open: WebSocket[] = [];
    while (sent < FRAMES) {
      const ws = new WebSocket(url);
      await new Promise((resolve, reject) => {
        ws.once('open', resolve);
        ws.once('error', reject);
      });
      connections++;
      open.push(ws);
      while (ws.readyState === WebSocket.OPEN && sent < FRAMES) {
        for (let i = 0; i < 2000; i++) ws.send(`{"type":"unsubscribe","id":"${pad}${sent++}"}`);
        // Wait until the server has read them all: it answers the ping after the frames before it.
        await new Promise<void>((done) => {
          const finish = () => {
            ws.off('message', onMessage);
            ws.off('close', finish);
            done();
          };
          const onMessage = (data: WebSocket.RawData) => {
            if (String(data).includes('"pong"')) finish();
          };
          ws.on('message', onMessage);
          ws.on('close', finish);
          if (ws.readyState === WebSocket.OPEN) ws.send('{"type":"ping"}');
          else finish();
        });
      }
    }
    const grown = heapAfterGc() - before;
    for (const ws of open) ws.terminate();
    console.log(`heap grew by ${(grown / 1024 / 1024).toFixed(1)} MB after ${sent} frames over ${connections} connection(s)`);
    expect(sent).toBe(FRAMES);
    expect(grown).toBeLessThan(HEAP_BOUND_BYTES);
    // The server still serves.
    expect((await api(server, 'GET', '/api/health')).status).toBe(200);
  });
});
