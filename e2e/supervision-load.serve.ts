// A second real server for the Supervisão load test (history.spec.ts): the demo
// workspace on a fresh data dir plus COUNT waiting tickets in Suporte, written
// straight through the store with their counters (HTTP ingestion would take
// minutes on a shared machine). Prints one JSON line with its URL, then serves
// until killed.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeTicket, type Ticket } from '../core/src/index.ts';
import { buildApp } from '../server/src/app.ts';

const count = Number(process.argv[2] ?? 10_000);
const dataDir = mkdtempSync(join(tmpdir(), 'atende-load-'));
const app = await buildApp({ dataDir, seed: 'demo', logger: false });
await app.ready();

// The demo's waiting tickets are the template: same contact shape, same channel.
const [template] = app.store.query({ collection: 'tickets', where: [['status', '==', 'waiting'], ['sectorId', '==', 'suporte']], orderBy: [['queuedAt', 'asc']], limit: 1 }) as Ticket[];
if (!template) throw new Error('the demo seed has no waiting ticket in Suporte');
const base = Date.now() - count * 1000;
for (let from = 0; from < count; from += 1000) {
  await app.store.transaction(async (tx) => {
    for (let i = from; i < Math.min(from + 1000, count); i += 1) {
      const at = base + i * 1000;
      const id = `load${String(i).padStart(6, '0')}`;
      const t: Ticket = {
        ...template,
        id,
        protocol: `LOAD-${String(i).padStart(5, '0')}`,
        contact: { name: `Cliente Carga ${String(i).padStart(5, '0')}`, phone: null, email: null },
        createdAt: at,
        queuedAt: at,
        lastMessageAt: at,
        lastCustomerMessageAt: at,
        lastMessage: { text: `Mensagem de carga ${i}`, direction: 'in', at },
        updatedAt: at,
      };
      writeTicket(tx, null, t);
    }
  });
}

const address = await app.listen({ port: 0, host: '127.0.0.1' });
console.log(JSON.stringify({ url: address, count }));
const stop = async () => {
  await app.close();
  rmSync(dataDir, { recursive: true, force: true });
  process.exit(0);
};
process.on('SIGTERM', () => void stop());
