import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { integrityProblems, login, newDataDir, openDb, openVisitor, removeDataDir, sendWidget, spawnServer, Live, type ServerProc } from './harness.ts';

/** DESIGN §11: a repeated delivery creates nothing twice, however it repeats. */
const dataDir = newDataDir();
let server: ServerProc;
beforeAll(async () => {
  server = await spawnServer(dataDir);
});
afterAll(async () => {
  await server.kill9();
  removeDataDir(dataDir);
});

const countIn = (ticketId: string, channelMessageId: string): number => {
  const db = openDb(dataDir);
  try {
    return (
      db
        .prepare("SELECT count(*) AS n FROM messages WHERE parent_id = ? AND json_extract(data, '$.channelMessageId') = ?")
        .get(ticketId, channelMessageId) as { n: number }
    ).n;
  } finally {
    db.close();
  }
};

describe('duplicates: every inbound message delivered three times', () => {
  it('one after another, three at once, and interleaved across customers: one message each', async () => {
    const visitors = await Promise.all(Array.from({ length: 6 }, (_, i) => openVisitor(server.url, `Dup ${i}`)));
    const ids: { ticketId: string; messageId: string; clientMessageId: string }[] = [];
    for (const [i, v] of visitors.entries()) {
      for (let n = 0; n < 5; n++) {
        const clientMessageId = `dup-${i}-${n}`;
        // Even: three sequential deliveries (a retrying client); odd: three concurrent ones (a flaky network).
        const answers =
          n % 2 === 0
            ? [
                await sendWidget(server.url, v.token, `olá ${n}`, clientMessageId),
                await sendWidget(server.url, v.token, `olá ${n}`, clientMessageId),
                await sendWidget(server.url, v.token, `olá ${n}`, clientMessageId),
              ]
            : await Promise.all([0, 1, 2].map(() => sendWidget(server.url, v.token, `olá ${n}`, clientMessageId)));
        expect(answers.map((a) => a.status)).toEqual([200, 200, 200]);
        // Every delivery is answered with the one message it created.
        expect(new Set(answers.map((a) => a.body.messageId)).size).toBe(1);
        expect(new Set(answers.map((a) => a.body.ticketId)).size).toBe(1);
        ids.push({ ticketId: answers[0]!.body.ticketId, messageId: answers[0]!.body.messageId, clientMessageId });
      }
    }
    for (const m of ids) expect(countIn(m.ticketId, m.clientMessageId), m.clientMessageId).toBe(1);
    // One ticket per customer: repeats neither open tickets nor move them.
    expect(new Set(ids.map((m) => m.ticketId)).size).toBe(visitors.length);

    // What an agent sees agrees with the file.
    const admin = await login(server.url, 'admin@atende.local');
    const live = await Live.open(server.url, '/api/live', admin);
    const thread = await live.subscribe('t', 'messages.ofTicket', { ticketId: ids[0]!.ticketId, limit: 100 });
    live.close();
    expect(thread.filter((m) => m.direction === 'in').map((m) => m.channelMessageId)).toEqual(['dup-0-0', 'dup-0-1', 'dup-0-2', 'dup-0-3', 'dup-0-4']);
    expect(integrityProblems(dataDir)).toEqual([]);
  });

  it('a clientMessageId another customer already used is still a new message for this one, and reveals nothing of the other', async () => {
    // Widgets make up their own ids: two browsers may well both start at "1".
    const a = await openVisitor(server.url, 'Primeira');
    const b = await openVisitor(server.url, 'Segunda');
    const fromA = await sendWidget(server.url, a.token, 'sou a primeira', 'same-id-1');
    const fromB = await sendWidget(server.url, b.token, 'sou a segunda', 'same-id-1');
    expect(fromA.status).toBe(200);
    expect(fromB.status).toBe(200);
    expect(fromB.body.ticketId).not.toBe(fromA.body.ticketId);
    expect(fromB.body.messageId).not.toBe(fromA.body.messageId);
    expect(fromB.body.protocol).not.toBe(fromA.body.protocol);
    expect(countIn(fromA.body.ticketId, 'same-id-1')).toBe(1);
    expect(countIn(fromB.body.ticketId, 'same-id-1')).toBe(1);
    // And B's repeat is still a repeat.
    const again = await sendWidget(server.url, b.token, 'sou a segunda', 'same-id-1');
    expect(again.body.messageId).toBe(fromB.body.messageId);
    expect(integrityProblems(dataDir)).toEqual([]);
  });
});
