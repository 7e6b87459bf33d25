import { describe, expect, it } from 'vitest';
import {
  commandRegistry,
  createIdGenerator,
  dueQueries,
  SYSTEM,
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

  it('finds a closable ticket behind 210 quiet ones whose customer spoke last (only due tickets are queried)', async () => {
    const { store, deps, advance } = await setup();
    await enableAutoClose(deps, { warningMinutes: 0 });
    for (let i = 0; i < 210; i++) {
      const { ticketId } = (await executeCommand(commandRegistry, deps, SYSTEM, 'inbound.receive', { channelId: 'site', externalId: `q${i}`, contact: { name: `Cliente ${i}` }, channelMessageId: `q${i}`, text: 'Alguém aí?' })) as { ticketId: string };
      await executeCommand(commandRegistry, deps, ana, 'ticket.accept', { ticketId });
    }
    advance(10 * MINUTE);
    const ticket = await openTicket(store);
    await executeCommand(commandRegistry, deps, ana, 'message.send', { ticketId: ticket.id, text: 'Conseguiu acessar?' });
    advance(2 * 60 * MINUTE);
    expect(await tick(deps, commandRegistry)).toEqual({ warned: 0, closed: 1 });
    expect((await store.transaction((tx) => tx.get(refs.ticket(ticket.id))))!.status).toBe('closed');
  });

  it('the due queries ask for nothing but the groups whose rules are on', async () => {
    const { store, deps } = await setup();
    await enableAutoClose(deps, { closeBotTickets: false, warningMinutes: 0 });
    const settings = (await store.transaction((tx) => tx.get(refs.settings())))!;
    const groups = dueQueries(settings, deps.clock(), 50).map((q) => q.where[0]![2]);
    expect(groups).toEqual(['open:agent:warned', 'open:agent']);
  });

  it('counts the silence in business hours when asked: a Friday evening silence is not closed on Saturday', async () => {
    const { store, deps, advance } = await setup();
    // Friday 2026-11-27 17:30 in São Paulo (20:30 UTC); the demo's hours are Mon–Fri 08–18.
    advance(Date.parse('2026-11-27T20:30:00Z') - deps.clock());
    await executeCommand(commandRegistry, deps, { ...ana, uid: 'admin', role: 'admin' }, 'settings.update', {
      businessHours: { ...(await store.transaction((tx) => tx.get(refs.settings())))!.businessHours, enabled: true },
    });
    await enableAutoClose(deps, { warningMinutes: 0, businessTime: true });
    const ticket = await openTicket(store);
    await executeCommand(commandRegistry, deps, ana, 'message.send', { ticketId: ticket.id, text: 'Pode testar?' });
    advance(20 * 60 * MINUTE); // Saturday midday: 30 working minutes have passed
    expect(await tick(deps, commandRegistry)).toEqual({ warned: 0, closed: 0 });
    advance(2 * 24 * 60 * MINUTE); // Monday midday: 30 min + 4 h of working time
    expect(await tick(deps, commandRegistry)).toEqual({ warned: 0, closed: 1 });
  });

  it('closes tickets abandoned in Esperando or in the bot stage under their own rule', async () => {
    const { store, deps, advance } = await setup();
    await executeCommand(commandRegistry, deps, { ...ana, uid: 'admin', role: 'admin' }, 'settings.update', {
      autoClose: { ...(await store.transaction((tx) => tx.get(refs.settings())))!.autoClose, abandoned: { enabled: true, afterMinutes: 120, inBot: true, waiting: false, message: 'Encerramos por falta de resposta.' } },
    });
    const waiting = (await executeCommand(commandRegistry, deps, SYSTEM, 'inbound.receive', { channelId: 'site', externalId: 'w1', contact: { name: 'Espera' }, channelMessageId: 'w1', text: 'oi' })) as { ticketId: string };
    const inBot = (await executeCommand(commandRegistry, deps, SYSTEM, 'inbound.receive', { channelId: 'whatsapp', externalId: '5511999990001', contact: { name: 'Bot' }, channelMessageId: 'b1', text: 'oi' })) as { ticketId: string };
    const get = (id: string) => store.transaction((tx) => tx.get(refs.ticket(id)));
    expect((await get(inBot.ticketId))!.status).toBe('bot');
    advance(119 * MINUTE);
    expect(await tick(deps, commandRegistry)).toEqual({ warned: 0, closed: 0 });
    advance(2 * MINUTE);
    expect(await tick(deps, commandRegistry)).toEqual({ warned: 0, closed: 1 });
    expect((await get(inBot.ticketId))!.status).toBe('closed');
    expect((await get(waiting.ticketId))!.status).toBe('waiting');
    expect(store.all('messages').some((m) => m.ticketId === inBot.ticketId && m.text === 'Encerramos por falta de resposta.')).toBe(true);
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
