/**
 * The ingest path's command and store alone, in process: `inbound.receive`
 * of WhatsApp text messages from 32 customers at once, through `SqliteStore`
 * (WAL, the checkpointer worker running, as the server has them), without
 * HTTP, the live hub or sockets. Prints the CPU time per message of three
 * rounds after a warm-up; compare runs made close together (see notes.md).
 *
 *   node --import tsx bench/storeLoop.ts
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Sqlite from 'better-sqlite3';
import { commandRegistry, createIdGenerator, executeCommand, seedDemo, SYSTEM } from '@atende/core';
import { migrate } from '../server/src/db/migrate.ts';
import { SqliteStore } from '../server/src/db/store.ts';
import { startCheckpointer } from '../server/src/db/checkpointer.ts';

const CUSTOMERS = 32;
const dir = mkdtempSync(join(tmpdir(), 'atende-store-loop-'));
const db = new Sqlite(join(dir, 'atende.db'));
db.pragma('journal_mode = WAL');
db.pragma('synchronous = NORMAL');
db.pragma('foreign_keys = ON');
migrate(db);
const checkpointer = startCheckpointer(db);
const store = new SqliteStore(db);
const clock = () => Date.now();
const deps = { store, clock, newId: createIdGenerator(clock) };
await seedDemo(deps);

let seq = 0;
const send = (i: number, text: string) =>
  executeCommand(commandRegistry, deps, SYSTEM, 'inbound.receive', {
    channelId: 'whatsapp',
    externalId: `55119${10_000_000 + i}`,
    contact: { name: `Cliente ${i}` },
    channelMessageId: `wamid.${++seq}`,
    text,
  });
// Each customer meets the bot, answers "1", and is then waiting in Suporte's queue.
for (let i = 0; i < CUSTOMERS; i++) for (const text of ['Oi', '1']) await send(i, text);

const round = async (count: number) => {
  let done = 0;
  await Promise.all(
    Array.from({ length: CUSTOMERS }, async (_, i) => {
      while (done < count) await send(i, `bench ${i}:${++done} olá, meu pedido ainda não chegou`);
    }),
  );
  return done;
};
await round(20_000);
for (let r = 1; r <= 3; r++) {
  const cpu0 = process.cpuUsage();
  const n = await round(30_000);
  const cpu = process.cpuUsage(cpu0);
  console.log(`round ${r}: ${n} messages, ${(((cpu.user + cpu.system) / n)).toFixed(1)} µs of CPU per message`);
}
await store.close();
await checkpointer.stop();
store.closeReads();
db.close();
rmSync(dir, { recursive: true, force: true });
