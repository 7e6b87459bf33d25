import { describe, expect, it } from 'vitest';
import { expectError, makeWorld, menuBot, staff, T0 } from './support.ts';

const newUser = { id: 'dora', name: 'Dora', email: 'Dora@Test.local', role: 'agent', sectorIds: ['suporte'], seesAllHistory: false, active: true };

describe('users (H1)', () => {
  it('only an admin saves users; sectors must exist; e-mails are stored lower-cased', async () => {
    const w = await makeWorld();
    await expectError(w.run(staff('sergio'), 'user.save', newUser), 'permission-denied', /admin/);
    const e = await expectError(w.run(staff('alice'), 'user.save', { ...newUser, sectorIds: ['suporte', 'ghost'] }), 'not-found', /ghost/);
    expect(e.issues).toEqual([{ path: 'sectorIds.1', message: expect.any(String) }]);
    await w.run(staff('alice'), 'user.save', newUser);
    expect(w.store.all('users').find((u) => u.id === 'dora')).toMatchObject({ email: 'dora@test.local', presence: 'offline' });
  });

  it('an e-mail belongs to one user only (it is the login)', async () => {
    const w = await makeWorld();
    const before = w.dump();
    const e = await expectError(w.run(staff('alice'), 'user.save', { ...newUser, email: 'ANA@test.local' }), 'already-exists', /ana@test\.local/);
    expect(e.issues).toEqual([{ path: 'email', message: expect.any(String) }]);
    expect(w.dump()).toBe(before);
    // Saving a user again with their own e-mail is an edit, not a clash.
    await w.run(staff('alice'), 'user.save', { ...newUser, id: 'ana', email: 'ana@test.local', name: 'Ana Maria' });
    expect(w.store.all('users').find((u) => u.id === 'ana')).toMatchObject({ name: 'Ana Maria', presence: 'online' });
  });

  it('presence is one’s own', async () => {
    const w = await makeWorld();
    await w.run(staff('carla'), 'presence.set', { presence: 'online' });
    expect(w.store.all('users').find((u) => u.id === 'carla')?.presence).toBe('online');
    const e = await expectError(w.run(staff('carla'), 'presence.set', { presence: 'busy' }), 'invalid-argument');
    expect(e.issues.map((i) => i.path)).toEqual(['presence']);
  });
});

describe('sectors and channels (H1)', () => {
  it('refer only to sectors that exist', async () => {
    const w = await makeWorld();
    const before = w.dump();
    const overflow = await expectError(w.run(staff('alice'), 'sector.save', { id: 'x', name: 'X', color: '#000000', overflowSectorId: 'ghost' }), 'not-found', /ghost/);
    expect(overflow.issues).toEqual([{ path: 'overflowSectorId', message: expect.any(String) }]);
    const self = await expectError(w.run(staff('alice'), 'sector.save', { id: 'x', name: 'X', color: '#000000', overflowSectorId: 'x' }), 'invalid-argument');
    expect(self.issues.map((i) => i.path)).toEqual(['overflowSectorId']);
    const channel = { id: 'c', type: 'webchat', name: 'C', defaultSectorId: 'ghost', bot: menuBot(false), active: true };
    const def = await expectError(w.run(staff('alice'), 'channel.save', channel), 'not-found');
    expect(def.issues).toEqual([{ path: 'defaultSectorId', message: expect.any(String) }]);
    const bot = menuBot(true);
    const menu = await expectError(w.run(staff('alice'), 'channel.save', { ...channel, defaultSectorId: null, bot: { ...bot, menu: [bot.menu[0], { ...bot.menu[1], sectorId: 'ghost' }] } }), 'not-found');
    expect(menu.issues).toEqual([{ path: 'bot.menu.1.sectorId', message: expect.any(String) }]);
    expect(w.dump()).toBe(before);
    await w.run(staff('alice'), 'sector.save', { id: 'x', name: 'X', color: '#000000', overflowSectorId: 'suporte' });
    await w.run(staff('alice'), 'channel.save', { ...channel, defaultSectorId: 'x' });
    await expectError(w.run(staff('sergio'), 'channel.save', { ...channel, defaultSectorId: 'x' }), 'permission-denied');
    const badColour = await expectError(w.run(staff('alice'), 'sector.save', { id: 'y', name: 'Y', color: 'red', overflowSectorId: null }), 'invalid-argument');
    expect(badColour.issues.map((i) => i.path)).toEqual(['color']);
  });
});

describe('catalogues (quick replies, tags, classifications)', () => {
  it('supervisors and admins edit them; agents read only', async () => {
    const w = await makeWorld();
    const reply = { shortcut: 'ola', text: 'Olá, {{contact.name}}!', sectorIds: [] };
    await expectError(w.run(staff('ana'), 'quickReply.save', reply), 'permission-denied');
    const saved = (await w.run(staff('sergio'), 'quickReply.save', reply)).quickReply as { id: string; updatedAt: number };
    expect(saved.updatedAt).toBe(T0);
    await w.run(staff('alice'), 'tag.save', { id: 'urgente', name: 'Urgente', color: '#ff0000' });
    await w.run(staff('sergio'), 'classification.save', { id: 'venda', name: 'Venda' });
    await expectError(w.run(staff('ana'), 'tag.delete', { id: 'urgente' }), 'permission-denied');
    await w.run(staff('sergio'), 'quickReply.delete', { id: saved.id });
    await expectError(w.run(staff('sergio'), 'quickReply.delete', { id: saved.id }), 'not-found');
    expect(w.store.all('quickReplies')).toHaveLength(0);
    const e = await expectError(w.run(staff('sergio'), 'quickReply.save', { ...reply, shortcut: '/ola' }), 'invalid-argument');
    expect(e.issues.map((i) => i.path)).toEqual(['shortcut']);
  });
});

describe('settings', () => {
  it('supervisors may change the attachment policy only; admins everything', async () => {
    const w = await makeWorld();
    const attachments = { maxBytes: 2048, allowedTypes: ['image/*'] };
    await w.run(staff('sergio'), 'settings.update', { attachments });
    await expectError(w.run(staff('sergio'), 'settings.update', { attachments, prioritiseHuman: false }), 'permission-denied', /admin/);
    await expectError(w.run(staff('ana'), 'settings.update', { attachments }), 'permission-denied');
    await w.run(staff('alice'), 'settings.update', { prioritiseHuman: false, botOnNewTicket: false });
    expect(w.store.all('settings')[0]).toMatchObject({ attachments, prioritiseHuman: false, botOnNewTicket: false });
    const e = await expectError(w.run(staff('alice'), 'settings.update', { autoClose: { enabled: true } }), 'invalid-argument');
    expect(e.issues.map((i) => i.path)).toContain('autoClose.afterMinutes');
  });
});

describe('contacts (B9)', () => {
  it('any staff member edits a contact; its live tickets show the new name, closed ones keep theirs', async () => {
    const w = await makeWorld();
    const first = await w.inbound('site', 'v1', 'Oi', { contact: { name: 'Maria' } });
    await w.run(staff('ana'), 'ticket.accept', { ticketId: first.ticketId });
    await w.run(staff('ana'), 'ticket.close', { ticketId: first.ticketId });
    const live = await w.inbound('site', 'v1', 'Voltei');
    const contactId = w.ticket(live.ticketId).contactId;
    await w.run(staff('bruno'), 'contact.update', { contactId, name: 'Maria Souza', email: '', tagIds: ['vip', 'vip'] });
    expect(w.store.all('contacts')[0]).toMatchObject({ name: 'Maria Souza', email: null, tagIds: ['vip'] });
    expect(w.ticket(live.ticketId).contact.name).toBe('Maria Souza');
    expect(w.ticket(first.ticketId).contact.name).toBe('Maria');
    const e = await expectError(w.run(staff('bruno'), 'contact.update', { contactId, tagIds: ['ghost'] }), 'not-found');
    expect(e.issues).toEqual([{ path: 'tagIds.0', message: expect.any(String) }]);
    const bad = await expectError(w.run(staff('bruno'), 'contact.update', { contactId, email: 'nope', name: '' }), 'invalid-argument');
    expect(bad.issues.map((i) => i.path).sort()).toEqual(['email', 'name']);
    await expectError(w.run({ kind: 'customer', contactId, channelId: 'site' }, 'contact.update', { contactId, name: 'X' }), 'permission-denied');
  });
});

describe('duplicate names (issue 13)', () => {
  it('refuses a second sector, tag, classification, pause reason, user or quick-reply shortcut with the same name, in pt-BR', async () => {
    const w = await makeWorld();
    await w.run(staff('alice'), 'tag.save', { id: 'urgente', name: 'Urgente', color: '#ff0000' });
    const before = w.dump();
    // Case, accents and spaces do not make another name.
    const sector = await expectError(w.run(staff('alice'), 'sector.save', { id: 'outro', name: '  SUPORTE ', color: '#000000', overflowSectorId: null }), 'already-exists', /sector named Suporte/);
    expect(sector.issues).toEqual([{ path: 'name', message: expect.any(String) }]);
    expect(sector.reason).toBe('sector.duplicateName');
    expect(sector.params).toEqual({ name: 'Suporte' });
    await expectError(w.run(staff('alice'), 'tag.save', { id: 'urgente-2', name: 'urgénte', color: '#00ff00' }), 'already-exists', /tag named Urgente/);
    await expectError(w.run(staff('alice'), 'user.save', { ...newUser, name: ' ANA ' }), 'already-exists', /user named/);
    expect(w.dump()).toBe(before);
    // Saving a document again under its own name is an edit, not a clash; another name is fine.
    await w.run(staff('alice'), 'tag.save', { id: 'urgente', name: 'Urgente', color: '#00ff00' });
    await w.run(staff('alice'), 'tag.save', { id: 'urgente-2', name: 'Urgentíssimo', color: '#00ff00' });
    expect(w.store.all('tags').filter((t) => t.name.startsWith('Urgent'))).toHaveLength(2);
  });
});
