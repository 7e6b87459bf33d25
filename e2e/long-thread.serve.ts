// A second real server for the long-thread test (media.spec.ts): the demo
// workspace on a fresh data dir, plus, written straight through the store
// (HTTP ingestion would take minutes on a shared machine), a customer with a
// thread of COUNT messages and another with a closed earlier ticket. Prints
// one JSON line with its URL and the contacts' names, then serves until killed.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { commandRegistry } from '../core/src/commands/index.ts';
import { executeCommand } from '../core/src/commands/runtime.ts';
import { newMessage, refs, SYSTEM, type StaffActor } from '../core/src/index.ts';
import { buildApp } from '../server/src/app.ts';

const count = Number(process.argv[2] ?? 10_000);
const dataDir = mkdtempSync(join(tmpdir(), 'atende-long-'));
const app = await buildApp({ dataDir, seed: 'demo', logger: false });
await app.ready();

const run = (actor: StaffActor | typeof SYSTEM, name: string, input: unknown) =>
  executeCommand(commandRegistry, app.deps, actor, name, input) as Promise<Record<string, unknown>>;
const ana: StaffActor = { kind: 'staff', uid: 'ana', name: 'Ana Souza', role: 'agent', sectorIds: ['suporte'], seesAllHistory: false };
const label = (i: number) => `Mensagem ${String(i).padStart(5, '0')}`;

// The long thread: one real inbound message opens the ticket, the rest are written in batches.
const longName = `Cliente Longo ${Date.now().toString(36)}`;
const { ticketId } = (await run(SYSTEM, 'inbound.receive', {
  channelId: 'site',
  externalId: 'visitor-longo',
  contact: { name: longName },
  channelMessageId: 'long-1',
  text: label(1),
})) as { ticketId: string };
const ticket = app.store.get(refs.ticket(ticketId))!;
const base = Date.now();
for (let from = 2; from <= count; from += 1000) {
  await app.store.transaction(async (tx) => {
    for (let i = from; i < Math.min(from + 1000, count + 1); i += 1) {
      const message = newMessage({ id: `m${String(i).padStart(6, '0')}`, ticketId, contactId: ticket.contactId, direction: i % 7 === 0 ? 'out' : 'in', createdAt: base + i, text: label(i) });
      tx.create(refs.message(ticketId, message.id), i % 7 === 0 ? { ...message, status: 'delivered', authorId: 'ana', authorName: 'Ana Souza' } : message);
    }
  });
}

// History: a closed ticket, then a new one from the same customer.
const pastName = `Cliente Antigo ${Date.now().toString(36)}`;
const first = (await run(SYSTEM, 'inbound.receive', { channelId: 'site', externalId: 'visitor-antigo', contact: { name: pastName }, channelMessageId: 'old-1', text: 'Primeiro atendimento: pedido atrasado.' })) as { ticketId: string };
await run(ana, 'ticket.accept', { ticketId: first.ticketId });
await run(ana, 'message.send', { ticketId: first.ticketId, text: 'Resolvido no primeiro atendimento.' });
await run(ana, 'ticket.close', { ticketId: first.ticketId });
await new Promise((r) => setTimeout(r, 5));
await run(SYSTEM, 'inbound.receive', { channelId: 'site', externalId: 'visitor-antigo', channelMessageId: 'old-2', text: 'Voltei: agora é outra dúvida.' });

const address = await app.listen({ port: 0, host: '127.0.0.1' });
console.log(JSON.stringify({ url: address, longName, pastName, pastProtocol: app.store.get(refs.ticket(first.ticketId))!.protocol }));
const stop = async () => {
  await app.close();
  rmSync(dataDir, { recursive: true, force: true });
  process.exit(0);
};
process.on('SIGTERM', () => void stop());
process.on('SIGINT', () => void stop());
