import {
  catalogue,
  commandRegistry,
  createIdGenerator,
  executeCommand,
  MemoryStore,
  resolveSubscription,
  seedDemo,
  tick,
  SYSTEM,
  type Actor,
  type QuerySpec,
  type Reader,
  type Store,
  type Ticket,
  type Tx,
} from '@atende/core';
import { paramSets, staffActor } from './catalogue-cases.ts';

/**
 * Every query shape Atende runs: the catalogue's, instantiated for every kind
 * of actor and every optional filter, and the ones commands run inside
 * transactions, recorded from real runs. Both backends check their indexes
 * against these (functions/test/indexes.test.ts for Firestore,
 * server/test/queryPlans.test.ts for SQLite).
 */
const actors: [string, Actor][] = [
  ['agent', staffActor('ana', 'agent', ['suporte', 'financeiro'], false)],
  ['agent who sees all history', staffActor('ana', 'agent', ['suporte', 'financeiro'], true)],
  ['supervisor', staffActor('ana', 'supervisor', ['suporte', 'financeiro'], true)],
  ['admin', staffActor('ana', 'admin', ['suporte', 'financeiro'], true)],
  ['customer', { kind: 'customer', contactId: 'c1', channelId: 'site' }],
];

const visibleTicket = { id: 't1', sectorId: 'suporte', assigneeId: 'ana', status: 'open', contactId: 'c1', channelId: 'site' } as Ticket;
const reader: Reader = { get: async () => visibleTicket as never };
const cases = paramSets({ ticketId: 't1', contactId: 'c1' });

export const catalogueSpecs = async (): Promise<{ label: string; spec: QuerySpec }[]> => {
  const out: { label: string; spec: QuerySpec }[] = [];
  for (const q of catalogue)
    for (const params of cases[q.name] ?? [{}])
      for (const [who, actor] of actors) {
        const target = await resolveSubscription(actor, q.name, params, reader).catch(() => null);
        if (target?.kind === 'query') out.push({ label: `${q.name} ${JSON.stringify(params)} as ${who}`, spec: target.spec });
      }
  return out;
};

/** A MemoryStore that records every query transactions run. */
const recording = (inner: MemoryStore, seen: QuerySpec[]): Store => ({
  transaction: (fn) =>
    inner.transaction((tx) => {
      const spy: Tx = { ...tx, query: (spec) => (seen.push(spec), tx.query(spec)) };
      return fn(spy);
    }),
});

export const commandSpecs = async (): Promise<{ label: string; spec: QuerySpec }[]> => {
  const seen: QuerySpec[] = [];
  let now = Date.UTC(2026, 10, 21, 13);
  const clock = () => now;
  const deps = { store: recording(new MemoryStore(), seen), clock, newId: createIdGenerator(clock) };
  await seedDemo(deps);
  const admin: Actor = { kind: 'staff', uid: 'admin', name: 'Alice', role: 'admin', sectorIds: ['suporte', 'financeiro'], seesAllHistory: true };
  const ana: Actor = { kind: 'staff', uid: 'ana', name: 'Ana', role: 'agent', sectorIds: ['suporte'], seesAllHistory: false };
  const run = (actor: Actor, name: string, input: unknown) => executeCommand(commandRegistry, deps, actor, name, input) as Promise<Record<string, unknown>>;
  const { ticketId } = (await run(SYSTEM, 'inbound.receive', { channelId: 'site', externalId: 'idx', contact: { name: 'Índice' }, channelMessageId: 'idx-1', text: 'oi' })) as { ticketId: string };
  await run(ana, 'ticket.accept', { ticketId });
  await run(ana, 'message.send', { ticketId, text: 'olá', clientId: 'c-1' });
  await run(ana, 'ticket.close', { ticketId });
  await run(ana, 'ticket.reopen', { ticketId });
  // A rating after closing looks the contact's last closed ticket up (the satisfaction survey).
  await run(ana, 'ticket.close', { ticketId });
  await run(SYSTEM, 'inbound.receive', { channelId: 'site', externalId: 'idx', channelMessageId: 'idx-2', text: '5' });
  await run(admin, 'settings.update', {
    autoClose: { enabled: true, afterMinutes: 60, closeAgentTickets: true, closeBotTickets: true, warningMinutes: 10, warningMessage: 'aviso', closingMessage: 'fim', abandoned: { enabled: true, afterMinutes: 60, inBot: true, waiting: true, message: '' } },
  });
  now += 2 * 60 * 60 * 1000;
  await tick(deps, commandRegistry);
  // Deleting a sector looks up what routes to it and its open tickets.
  await run(admin, 'sector.save', { id: 'idx-sector', name: 'Índice', color: '#2563eb', overflowSectorId: null });
  await run(admin, 'ticket.transfer', { ticketId, sectorId: 'idx-sector' }).catch(() => null);
  await run(admin, 'sector.delete', { id: 'idx-sector', moveTo: 'suporte' });
  return seen.map((spec, i) => ({ label: `command query #${i} on ${spec.collection} ${JSON.stringify(spec.where)}`, spec }));
};

