import { describe, expect, it } from 'vitest';
import { commandRegistry, createIdGenerator, executeCommand, MemoryStore, refs, seedDemo, SYSTEM, type RunnerDeps, type StaffActor } from '../src/index.ts';

const admin: StaffActor = { kind: 'staff', uid: 'admin', name: 'Alice Admin', role: 'admin', sectorIds: [], seesAllHistory: true };
const ana: StaffActor = { kind: 'staff', uid: 'ana', name: 'Ana Souza', role: 'agent', sectorIds: ['suporte', 'cobranca'], seesAllHistory: false };

const setup = async () => {
  const store = new MemoryStore();
  const clock = () => Date.parse('2026-11-23T13:00:00Z');
  const deps: RunnerDeps = { store, clock, newId: createIdGenerator(clock) };
  await seedDemo(deps);
  const run = (actor: StaffActor | typeof SYSTEM, name: string, input: unknown) => executeCommand(commandRegistry, deps, actor, name, input) as Promise<Record<string, unknown>>;
  const get = <T>(fn: Parameters<MemoryStore['transaction']>[0]) => store.transaction(fn) as Promise<T>;
  await run(admin, 'sector.save', { id: 'cobranca', name: 'Cobrança', color: '#2563eb', overflowSectorId: null });
  const anaDoc = (await store.transaction((tx) => tx.get(refs.user('ana'))))!;
  await run(admin, 'user.save', { id: 'ana', name: anaDoc.name, email: anaDoc.email, role: anaDoc.role, sectorIds: ['suporte', 'cobranca'], seesAllHistory: false, active: true });
  const arrive = async (n: number) => {
    const { ticketId } = (await run(SYSTEM, 'inbound.receive', { channelId: 'site', externalId: `c${n}`, contact: { name: `Cliente ${n}` }, channelMessageId: `m${n}`, text: 'Preciso de ajuda' })) as { ticketId: string };
    await run(admin, 'ticket.transfer', { ticketId, sectorId: 'cobranca' });
    return ticketId;
  };
  return { store, run, get, arrive };
};

const failure = (p: Promise<unknown>) => p.then(() => null, (e: unknown) => e as { code: string; reason?: string; params?: Record<string, string> });

describe('sector.delete: nothing lost, nothing routed into the void', () => {
  it('refuses while a channel routes to the sector, naming the channel', async () => {
    const { run } = await setup();
    expect(await failure(run(admin, 'sector.delete', { id: 'suporte', moveTo: 'financeiro' }))).toMatchObject({ code: 'failed-precondition', reason: 'sector.routedFromChannel', params: { sector: 'Suporte' } });
  });

  it('refuses while another sector overflows to it', async () => {
    const { run } = await setup();
    await run(admin, 'sector.save', { id: 'vendas', name: 'Vendas', color: '#16a34a', overflowSectorId: 'cobranca' });
    expect(await failure(run(admin, 'sector.delete', { id: 'cobranca' }))).toMatchObject({ code: 'failed-precondition', reason: 'sector.overflowFrom', params: { other: 'Vendas', sector: 'Cobrança' } });
  });

  it('asks where its open tickets go, then moves them: waiting ones to the queue, served ones with their agent when the agent works there', async () => {
    const { store, run, arrive } = await setup();
    const waiting = await arrive(1);
    const served = await arrive(2);
    await run(ana, 'ticket.accept', { ticketId: served });
    expect(await failure(run(admin, 'sector.delete', { id: 'cobranca' }))).toMatchObject({ code: 'failed-precondition', reason: 'sector.hasTickets', params: { sector: 'Cobrança', count: '2' } });
    expect(await failure(run(admin, 'sector.delete', { id: 'cobranca', moveTo: 'cobranca' }))).toMatchObject({ reason: 'sector.moveToItself' });
    expect(await failure(run(ana, 'sector.delete', { id: 'cobranca', moveTo: 'suporte' }))).toMatchObject({ code: 'permission-denied' });

    expect(await run(admin, 'sector.delete', { id: 'cobranca', moveTo: 'suporte' })).toEqual({ id: 'cobranca', moved: 2 });
    const read = (id: string) => store.transaction((tx) => tx.get(refs.ticket(id)));
    expect(await read(waiting)).toMatchObject({ status: 'waiting', sectorId: 'suporte' });
    expect(await read(served)).toMatchObject({ status: 'open', sectorId: 'suporte', assigneeId: 'ana' });
    expect(await store.transaction((tx) => tx.get(refs.sector('cobranca')))).toBeNull();
    expect((await store.transaction((tx) => tx.get(refs.user('ana'))))!.sectorIds).toEqual(['suporte']);
    const lines = store.all('messages').filter((m) => m.ticketId === waiting && m.event?.kind === 'transferred');
    expect(lines.at(-1)!.event).toMatchObject({ fromSectorId: 'cobranca', toSectorId: 'suporte' });
  });

  it('sends a served ticket back to the target queue when its agent does not work there', async () => {
    const { store, run, arrive } = await setup();
    const served = await arrive(3);
    await run(ana, 'ticket.accept', { ticketId: served });
    await run(admin, 'sector.delete', { id: 'cobranca', moveTo: 'financeiro' });
    expect(await store.transaction((tx) => tx.get(refs.ticket(served)))).toMatchObject({ status: 'waiting', sectorId: 'financeiro', assigneeId: null });
  });

  it('deletes an empty sector at once', async () => {
    const { store, run } = await setup();
    expect(await run(admin, 'sector.delete', { id: 'cobranca' })).toEqual({ id: 'cobranca', moved: 0 });
    expect(await store.transaction((tx) => tx.get(refs.sector('cobranca')))).toBeNull();
  });
});
