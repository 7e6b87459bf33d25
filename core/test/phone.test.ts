import { describe, expect, it } from 'vitest';
import { callerPhoneForms, inactivityAction, internationalDigits, samePhone, SYSTEM, type Message, type User } from '../src/index.ts';
import { expectError, makeWorld, MINUTE, staff, T0, type World } from './support.ts';

const PBX = { wsUrl: 'wss://pbx.example.com:8089/ws', domain: 'PBX.example.com' };

const configured = async (): Promise<World> => {
  const w = await makeWorld();
  await w.run(staff('alice'), 'settings.update', { phone: PBX });
  return w;
};
const user = (w: World, id: string): User => w.store.all('users').find((u) => u.id === id)!;
const calls = (w: World, ticketId: string): Message[] => w.messages(ticketId).filter((m) => m.event?.kind === 'call');

describe('caller numbers (Brazil: ninth digit, country code, trunk 0)', () => {
  it('reads national and international forms as the same international digits', () => {
    expect(internationalDigits('+55 (11) 98765-4321')).toBe('5511987654321');
    expect(internationalDigits('011 98765-4321')).toBe('5511987654321');
    expect(internationalDigits('1187654321')).toBe('551187654321');
    expect(internationalDigits('+1 415 555 0100')).toBe('14155550100');
    expect(internationalDigits('00 1 415 555 0100')).toBe('14155550100');
  });
  it('matches a mobile with and without its ninth digit, never another line', () => {
    expect(samePhone('5511987654321', '551187654321')).toBe(true);
    expect(samePhone('+55 11 8765-4321', '11 98765-4321')).toBe(true);
    expect(samePhone('5511987654321', '5511987654322')).toBe(false);
    // Landlines (starting 2–5) never gain a ninth digit.
    expect(callerPhoneForms('551133334444')).not.toContain('5511933334444');
    expect(callerPhoneForms('5511987654321').length).toBeLessThanOrEqual(6);
  });
});

describe('PBX settings and SIP accounts', () => {
  it('the admin sets the PBX once; a wrong address is refused naming the field', async () => {
    const w = await makeWorld();
    const e = await expectError(w.run(staff('alice'), 'settings.update', { phone: { wsUrl: 'http://pbx', domain: 'pbx' } }), 'invalid-argument');
    expect(e.issues.map((i) => i.path)).toContain('phone.wsUrl');
    await expectError(w.run(staff('sergio'), 'settings.update', { phone: PBX }), 'permission-denied');
    await w.run(staff('alice'), 'settings.update', { phone: PBX });
    expect(w.store.all('settings')[0]!.phone).toEqual({ wsUrl: PBX.wsUrl, domain: 'pbx.example.com' });
  });

  it('only an admin sets an extension; the password stays out of the user document', async () => {
    const w = await configured();
    await expectError(w.run(staff('sergio'), 'user.setSip', { userId: 'ana', extension: '1001', password: 'segredo' }), 'permission-denied');
    await expectError(w.run(staff('alice'), 'user.setSip', { userId: 'ana', extension: '10 01', password: 'segredo' }), 'invalid-argument');
    await w.run(staff('alice'), 'user.setSip', { userId: 'ana', extension: '1001', password: 'segredo' });
    expect(user(w, 'ana').sip).toEqual({ extension: '1001', passwordSet: true });
    expect(JSON.stringify(w.store.all('users'))).not.toContain('segredo');
    // Saving the user dialog again keeps the extension; leaving the password out keeps the password.
    const ana = user(w, 'ana');
    await w.run(staff('alice'), 'user.save', { id: 'ana', name: ana.name, email: ana.email, role: ana.role, sectorIds: ana.sectorIds, seesAllHistory: false, active: true });
    await w.run(staff('alice'), 'user.setSip', { userId: 'ana', extension: '1002' });
    expect(user(w, 'ana').sip).toEqual({ extension: '1002', passwordSet: true });
    expect(await w.run(staff('ana'), 'sip.credentials', {})).toEqual({ configured: true, wsUrl: PBX.wsUrl, domain: 'pbx.example.com', iceServers: [], extension: '1002', password: 'segredo' });
    await w.run(staff('alice'), 'user.setSip', { userId: 'ana', extension: null });
    expect(user(w, 'ana').sip).toBeNull();
    expect(w.store.all('sipSecrets')).toEqual([]);
  });

  it('STUN and TURN servers reach the agents with their SIP account; a TURN server without its password is refused naming the field', async () => {
    const w = await makeWorld();
    const stun = { url: 'stun:stun.example.com:3478' };
    const turn = { url: 'turn:turn.example.com:3478?transport=udp', username: 'atende', credential: 'segredo-turn' };
    const e = await expectError(w.run(staff('alice'), 'settings.update', { phone: { ...PBX, iceServers: [stun, { ...turn, credential: '' }] } }), 'invalid-argument');
    expect(e.issues.map((i) => i.path)).toEqual(['phone.iceServers.1.credential']);
    const bad = await expectError(w.run(staff('alice'), 'settings.update', { phone: { ...PBX, iceServers: [{ url: 'https://stun.example.com' }] } }), 'invalid-argument');
    expect(bad.issues.map((i) => i.path)).toEqual(['phone.iceServers.0.url']);
    await w.run(staff('alice'), 'settings.update', { phone: { ...PBX, iceServers: [stun, turn] } });
    await w.run(staff('alice'), 'user.setSip', { userId: 'ana', extension: '1001', password: 'segredo' });
    expect(await w.run(staff('ana'), 'sip.credentials', {})).toMatchObject({ configured: true, iceServers: [{ ...stun, username: '', credential: '' }, turn] });
  });

  it('an agent gets only their own credentials, and is told what is missing', async () => {
    const w = await makeWorld();
    expect(await w.run(staff('ana'), 'sip.credentials', {})).toEqual({ configured: false, missing: 'pbx' });
    await w.run(staff('alice'), 'settings.update', { phone: PBX });
    await w.run(staff('alice'), 'user.setSip', { userId: 'ana', extension: '1001', password: 'segredo' });
    expect(await w.run(staff('bruno'), 'sip.credentials', {})).toEqual({ configured: false, missing: 'extension' });
    // The command has no user id: extra fields are not a way to ask for someone else's.
    const asked = await w.run(staff('bruno'), 'sip.credentials', { userId: 'ana' });
    expect(JSON.stringify(asked)).not.toContain('segredo');
    await expectError(w.run({ kind: 'customer', contactId: 'c', channelId: 'site', ticketIds: [] } as never, 'sip.credentials', {}), 'permission-denied');
  });
});

describe('calls and tickets', () => {
  it('an incoming call from a WhatsApp contact without the ninth digit finds the contact and their ticket', async () => {
    const w = await configured();
    const { ticketId } = await w.inbound('zap', '551187654321', 'Oi', { contact: { name: 'Marina', phone: '551187654321' } });
    await w.inbound('zap', '551187654321', '1'); // the bot's menu: Suporte
    await w.run(staff('ana'), 'ticket.accept', { ticketId });
    const who = await w.run(staff('ana'), 'call.identify', { number: '+55 11 98765-4321' });
    expect(who).toMatchObject({ contact: { name: 'Marina' }, ticket: { id: ticketId } });
    // Bruno (Financeiro) knows the contact but cannot see the Suporte ticket.
    expect(await w.run(staff('bruno'), 'call.identify', { number: '11987654321' })).toMatchObject({ contact: { name: 'Marina' }, ticket: null });
    const opened = await w.run(staff('ana'), 'call.open', { number: '011 98765-4321' });
    expect(opened).toEqual({ ticketId, protocol: w.ticket(ticketId).protocol, created: false });
  });

  it('an unknown caller answered gets a new Telefone ticket in Em atendimento with the agent', async () => {
    const w = await configured();
    expect(await w.run(staff('ana'), 'call.identify', { number: '5521999990000' })).toEqual({ contact: null, ticket: null });
    const { ticketId, created } = (await w.run(staff('ana'), 'call.open', { number: '21 99999-0000' })) as { ticketId: string; created: boolean };
    expect(created).toBe(true);
    const t = w.ticket(ticketId);
    expect(t).toMatchObject({ status: 'open', assigneeId: 'ana', sectorId: 'suporte', channelId: 'phone', channelType: 'phone', contact: { phone: '5521999990000' } });
    expect(t.protocol).toMatch(/^\d{8}-\d{5,}$/);
    expect(w.store.all('channels').find((c) => c.id === 'phone')).toMatchObject({ type: 'phone', name: 'Telefone', active: true });
    // The next call from the same number (without its ninth digit) lands on the same ticket.
    expect(await w.run(staff('ana'), 'call.open', { number: '552199990000' })).toMatchObject({ ticketId, created: false });
  });

  it('a missed call from an unknown number opens one ticket in Esperando to call back, however many phones rang', async () => {
    const w = await configured();
    const report = { callId: 'ring-1@pbx', number: '+55 21 99999-0000', name: 'Loja Centro' };
    const first = (await w.run(staff('ana'), 'call.missed', report)) as { ticketId: string; created: boolean };
    expect(first.created).toBe(true);
    // Carla's phone rang for the same call: she finds the same ticket, nothing is written twice.
    expect(await w.run(staff('carla'), 'call.missed', report)).toEqual({ ticketId: first.ticketId, created: false });
    const t = w.ticket(first.ticketId);
    expect(t).toMatchObject({ status: 'waiting', assigneeId: null, sectorId: 'suporte', channelType: 'phone', queuedAt: T0, contact: { name: 'Loja Centro', phone: '5521999990000' } });
    expect(calls(w, t.id).map((m) => m.call)).toEqual([
      { direction: 'in', outcome: 'noAnswer', number: report.number, agentId: 'ana', agentName: 'Ana', startedAt: T0, durationSeconds: 0 },
    ]);
    expect(w.store.all('tickets').filter((x) => x.channelType === 'phone')).toHaveLength(1);
    // Whoever takes it calls back on the same ticket.
    await w.run(staff('carla'), 'ticket.accept', { ticketId: t.id });
    expect(await w.run(staff('carla'), 'call.open', { number: '21 99999-0000' })).toMatchObject({ ticketId: t.id, created: false });
  });

  it("a missed call from a contact goes on their live ticket once, and the abandoned-ticket rule never closes a call back", async () => {
    const w = await configured();
    const { ticketId } = await w.inbound('zap', '551187654321', 'Oi', { contact: { name: 'Marina', phone: '551187654321' } });
    await w.inbound('zap', '551187654321', '1');
    const report = { callId: 'ring-2@pbx', number: '11 98765-4321' };
    expect(await w.run(staff('ana'), 'call.missed', report)).toEqual({ ticketId, created: false });
    expect(await w.run(staff('ana'), 'call.missed', report)).toEqual({ ticketId, created: false });
    expect(calls(w, ticketId).map((m) => m.call?.outcome)).toEqual(['noAnswer']);

    const missed = (await w.run(staff('ana'), 'call.missed', { callId: 'ring-3@pbx', number: '5521999990000' })) as { ticketId: string };
    const settings = w.store.all('settings')[0]!;
    const rules = { ...settings, autoClose: { ...settings.autoClose, abandoned: { enabled: true, inBot: true, waiting: true, afterMinutes: 5, message: '' } } };
    expect(inactivityAction(w.ticket(missed.ticketId), rules, T0 + 60 * MINUTE)).toBeNull();
    expect(inactivityAction(w.ticket(ticketId), rules, T0 + 60 * MINUTE)).toBe('abandon');
  });

  it('no PBX configured: no call tickets', async () => {
    const w = await makeWorld();
    await expectError(w.run(staff('ana'), 'call.open', { number: '5521999990000' }), 'failed-precondition', /No phone system/);
    await expectError(w.run(staff('ana'), 'call.identify', { number: 'abc' }), 'invalid-argument');
  });

  it('call.log writes one system line per call with direction, agent, duration and outcome', async () => {
    const w = await configured();
    const { ticketId } = await w.inbound('site', 'v1', 'Oi');
    await w.run(staff('ana'), 'ticket.accept', { ticketId });
    w.advance(60_000);
    const log = { ticketId, callId: 'abc@pbx', direction: 'out', number: '5511987654321', outcome: 'answered', durationSeconds: 125 };
    await w.run(staff('ana'), 'call.log', log);
    await w.run(staff('ana'), 'call.log', log);
    w.advance(1000);
    await w.run(staff('ana'), 'call.log', { ...log, callId: 'busy-1', outcome: 'busy', durationSeconds: 30 });
    const lines = calls(w, ticketId);
    expect(lines.map((m) => m.call)).toEqual([
      { direction: 'out', outcome: 'answered', number: '5511987654321', agentId: 'ana', agentName: 'Ana', startedAt: T0 + 60_000 - 125_000, durationSeconds: 125 },
      { direction: 'out', outcome: 'busy', number: '5511987654321', agentId: 'ana', agentName: 'Ana', startedAt: T0 + 61_000, durationSeconds: 0 },
    ]);
    expect(lines.every((m) => m.direction === 'system' && m.event?.actorName === 'Ana')).toBe(true);
  });

  it('call.log follows who may see the ticket', async () => {
    const w = await configured();
    const { ticketId } = await w.inbound('site', 'v1', 'Oi');
    const log = { ticketId, callId: 'c1', direction: 'in', number: '5511987654321', outcome: 'noAnswer', durationSeconds: 0 };
    await expectError(w.run(staff('bruno'), 'call.log', log), 'permission-denied');
    await expectError(w.run(staff('ana'), 'call.log', { ...log, outcome: 'hung' }), 'invalid-argument');
    await w.run(staff('carla'), 'call.log', log);
    expect(calls(w, ticketId)).toHaveLength(1);
  });

  it('presence.call marks the agent "em ligação" and clears it, keeping the presence status', async () => {
    const w = await configured();
    w.advance(1000);
    await w.run(staff('ana'), 'presence.call', { onCall: true });
    expect(user(w, 'ana')).toMatchObject({ presence: 'online', onCallSince: T0 + 1000 });
    w.advance(1000);
    await w.run(staff('ana'), 'presence.call', { onCall: true });
    expect(user(w, 'ana').onCallSince).toBe(T0 + 1000);
    await w.run(staff('ana'), 'presence.call', { onCall: false });
    expect(user(w, 'ana')).toMatchObject({ presence: 'online', onCallSince: null });
  });

  it('an agent whose console closed mid-call stops being "em ligação" when the sweep sets them offline', async () => {
    const w = await configured();
    await w.run(staff('ana'), 'presence.call', { onCall: true });
    const lastSeenAt = T0;
    w.advance(10 * 60_000);
    await w.run(SYSTEM, 'presence.expire', { userId: 'ana', lastSeenAt });
    expect(user(w, 'ana')).toMatchObject({ presence: 'offline', onCallSince: null });
    // Back online, nothing claims a call that no console has.
    await w.run(staff('ana'), 'presence.set', { presence: 'online' });
    expect(user(w, 'ana').onCallSince ?? null).toBeNull();
  });
});
