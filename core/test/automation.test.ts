import { describe, expect, it } from 'vitest';
import {
  commandRegistry,
  createIdGenerator,
  executeCommand,
  expandTemplate,
  MemoryStore,
  quickRepliesFor,
  refs,
  seedDemo,
  tick,
  type QuickReply,
  type RunnerDeps,
  type StaffActor,
} from '../src/index.ts';

const MINUTE = 60_000;

const setup = async () => {
  const store = new MemoryStore();
  let now = Date.parse('2026-11-23T13:00:00Z'); // a Monday, 10:00 in São Paulo
  const clock = () => now;
  const deps: RunnerDeps = { store, clock, newId: createIdGenerator(clock) };
  await seedDemo(deps);
  const advance = (ms: number) => (now += ms);
  return { store, deps, advance };
};

const ana: StaffActor = { kind: 'staff', uid: 'ana', name: 'Ana Souza', role: 'agent', sectorIds: ['suporte'], seesAllHistory: false };

const enableAutoClose = (deps: RunnerDeps, patch: Record<string, unknown> = {}) =>
  executeCommand(commandRegistry, deps, { ...ana, uid: 'admin', role: 'admin' }, 'settings.update', {
    autoClose: { enabled: true, afterMinutes: 60, closeAgentTickets: true, closeBotTickets: true, warningMinutes: 10, warningMessage: 'Vamos encerrar em breve.', closingMessage: 'Encerrado por inatividade.', ...patch },
  });

const openTicket = async (store: MemoryStore) => store.all('tickets').find((t) => t.status === 'open' && t.assigneeId === 'ana')!;

describe('automation tick (D3, D4)', () => {
  it('warns, then closes a ticket whose customer went quiet after the agent spoke', async () => {
    const { store, deps, advance } = await setup();
    await enableAutoClose(deps);
    const ticket = await openTicket(store);
    await executeCommand(commandRegistry, deps, ana, 'message.send', { ticketId: ticket.id, text: 'Conseguiu acessar?' });

    advance(49 * MINUTE);
    expect(await tick(deps, commandRegistry)).toEqual({ warned: 0, closed: 0 });
    advance(2 * MINUTE);
    expect(await tick(deps, commandRegistry)).toEqual({ warned: 1, closed: 0 });
    // The warning goes out once per silence.
    expect(await tick(deps, commandRegistry)).toEqual({ warned: 0, closed: 0 });
    advance(10 * MINUTE);
    expect(await tick(deps, commandRegistry)).toEqual({ warned: 0, closed: 1 });

    const closed = (await store.transaction((tx) => tx.get(refs.ticket(ticket.id))))!;
    expect(closed.status).toBe('closed');
    const texts = store.all('messages').filter((m) => m.ticketId === ticket.id).map((m) => m.event?.kind ?? m.text);
    expect(texts).toEqual(expect.arrayContaining(['Vamos encerrar em breve.', 'autoClosed', 'Encerrado por inatividade.']));
  });

  it('never closes on a customer who is waiting for an answer', async () => {
    const { store, deps, advance } = await setup();
    await enableAutoClose(deps);
    const ticket = await openTicket(store);
    expect(ticket.lastMessage?.direction).toBe('in');
    advance(5 * 60 * MINUTE);
    expect(await tick(deps, commandRegistry)).toEqual({ warned: 0, closed: 0 });
  });

  it('respects the switch for tickets taken by agents', async () => {
    const { store, deps, advance } = await setup();
    await enableAutoClose(deps, { closeAgentTickets: false });
    const ticket = await openTicket(store);
    await executeCommand(commandRegistry, deps, ana, 'message.send', { ticketId: ticket.id, text: 'Olá?' });
    advance(2 * 60 * MINUTE);
    expect(await tick(deps, commandRegistry)).toEqual({ warned: 0, closed: 0 });
  });

  it('does nothing while auto-close is off', async () => {
    const { store, deps, advance } = await setup();
    const ticket = await openTicket(store);
    await executeCommand(commandRegistry, deps, ana, 'message.send', { ticketId: ticket.id, text: 'Olá?' });
    advance(10 * 24 * 60 * MINUTE);
    expect(await tick(deps, commandRegistry)).toEqual({ warned: 0, closed: 0 });
  });

  it('cannot be run by staff', async () => {
    const { store, deps } = await setup();
    const ticket = await openTicket(store);
    await expect(executeCommand(commandRegistry, deps, ana, 'automation.inactivity', { ticketId: ticket.id })).rejects.toMatchObject({ code: 'permission-denied' });
  });
});

describe('quick replies (B5)', () => {
  const vars = { contact: { name: 'Maria' }, agent: { name: 'Ana' }, ticket: { protocol: '20261121-0001' }, sector: { name: 'Suporte' } };

  it('fills in the variables and leaves unknown ones visible', () => {
    expect(expandTemplate('Olá, {{contact.name}}! Sou {{ agent.name }} ({{sector.name}}), protocolo {{ticket.protocol}}. {{foo.bar}}', vars)).toBe(
      'Olá, Maria! Sou Ana (Suporte), protocolo 20261121-0001. {{foo.bar}}',
    );
  });

  it('offers replies of the ticket sector and the global ones, filtered by what was typed', () => {
    const q = (shortcut: string, sectorIds: string[]): QuickReply => ({ id: shortcut, shortcut, text: shortcut, sectorIds, attachments: [], updatedAt: 0 });
    const all = [q('ola', []), q('boleto', ['financeiro']), q('reiniciar', ['suporte']), q('obrigado', [])];
    expect(quickRepliesFor(all, 'suporte', '').map((r) => r.shortcut)).toEqual(['obrigado', 'ola', 'reiniciar']);
    expect(quickRepliesFor(all, 'suporte', 'o').map((r) => r.shortcut)).toEqual(['obrigado', 'ola']);
    expect(quickRepliesFor(all, null, 'bol')).toEqual([]);
  });
});
