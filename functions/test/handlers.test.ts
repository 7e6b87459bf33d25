import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backoffMs, createIdGenerator, DEMO_WHATSAPP, LIMITS, seedDemo, type CarryResult, type DeliveryJob, type Message, type Ticket, type User } from '@atende/core';
import { Timestamp } from 'firebase-admin/firestore';
import {
  failureOf,
  handleAutomationTick,
  handleCommand,
  handleFileRequest,
  FILE_LINK_SECRET_DOC,
  handleMessageWritten,
  handleUploadFinalized,
  handleUserWritten,
  handleWebhook,
  retryOutbox,
  storeOf,
  type CallerAuth,
  type Deps,
  type WebhookRequest,
} from '../src/handlers.ts';
import { MemoryAuth } from '../../conformance/firestore.ts';
import { startEmulator, type Emulator } from './support/emulator.ts';
import { readStored, storedDocs, writeStored, storedThread } from './support/stored.ts';

let emu: Emulator;
let deps: Deps;
let auth: MemoryAuth;
let now = Date.UTC(2026, 10, 21, 14);

const staff = (uid: string): CallerAuth => ({ uid, token: {} });
const command = (caller: CallerAuth | undefined, name: string, input: unknown) => handleCommand(deps, caller, { name, input }) as Promise<Record<string, unknown>>;
const failure = async (p: Promise<unknown>) => {
  try {
    await p;
  } catch (e) {
    return failureOf(e);
  }
  throw new Error('expected a failure');
};

/** An admin (de)activates a user through `user.save`, as the Administração screen does (a hand edit is configCache.test.ts's). */
const setActive = async (uid: string, active: boolean) => {
  const { id, name, email, role, sectorIds, seesAllHistory } = (await emu.db.doc(`users/${uid}`).get()).data() as User;
  await command(staff('admin'), 'user.save', { id, name, email, role, sectorIds, seesAllHistory, active });
};

beforeAll(async () => {
  emu = await startEmulator();
  auth = new MemoryAuth();
  deps = { db: emu.db, auth, clock: () => now, newId: createIdGenerator(() => now) };
  await seedDemo({ store: storeOf(emu.db), clock: deps.clock, newId: deps.newId });
});
afterAll(() => emu.stop());

describe('command callable handler', () => {
  it('runs a command as the staff member of the users document', async () => {
    const { ticketId } = (await handleCommand(deps, undefined, { name: 'x' }).catch(() => ({ ticketId: '' }))) as { ticketId: string };
    expect(ticketId).toBe('');
    const waiting = await emu.db.collection('tickets').where('status', '==', 'waiting').where('sectorId', '==', 'suporte').get();
    const id = waiting.docs[0]!.id;
    const result = await command(staff('ana'), 'ticket.accept', { ticketId: id });
    expect(result.ticket).toMatchObject({ status: 'open', assigneeId: 'ana' });
  });

  it('answers every mistake with its own code and the fields at fault, never internal', async () => {
    expect(await failure(command(undefined, 'ticket.accept', { ticketId: 'x' }))).toMatchObject({ code: 'unauthenticated' });
    expect(await failure(command(staff('stranger'), 'ticket.accept', { ticketId: 'x' }))).toMatchObject({ code: 'permission-denied' });
    expect(await failure(handleCommand(deps, staff('ana'), { input: {} }))).toMatchObject({ code: 'invalid-argument', details: { issues: [{ path: 'name' }] } });
    expect(await failure(command(staff('ana'), 'ticket.fly', {}))).toMatchObject({ code: 'invalid-argument', details: { issues: [{ path: 'command' }] } });
    const bad = await failure(command(staff('ana'), 'message.send', { ticketId: 'x', text: 7 }));
    expect(bad.code).toBe('invalid-argument');
    expect(bad.details?.issues.map((i) => i.path)).toContain('text');
    expect(await failure(command(staff('ana'), 'ticket.accept', { ticketId: 'missing' }))).toMatchObject({ code: 'not-found' });
    expect(await failure(command(staff('ana'), 'sector.save', { id: 's', name: 'S', color: '#000000', overflowSectorId: null, updatedAt: 0 }))).toMatchObject({ code: 'permission-denied' });
    expect(failureOf(new TypeError('boom'))).toEqual({ code: 'internal', message: 'Something went wrong on our side. Try again.' });
  });

  it('treats a token with a customer claim as that web-chat customer', async () => {
    const customer: CallerAuth = { uid: 'anon-1', token: { customer: { contactId: 'nobody', channelId: 'site' } } };
    expect(await failure(command(customer, 'ticket.accept', { ticketId: 'x' }))).toMatchObject({ code: 'permission-denied' });
  });

  it('refuses a deactivated user at their next command', async () => {
    expect(await command(staff('carla'), 'presence.set', { presence: 'online' })).toBeTruthy();
    await setActive('carla', false);
    expect(await failure(command(staff('carla'), 'presence.set', { presence: 'online' }))).toMatchObject({ code: 'permission-denied', message: 'This account is deactivated' });
    await setActive('carla', true);
  });
});

// The demo's WhatsApp number (100000000000001 → channel `whatsapp`) has its app secret stored by the seed.
const secret = DEMO_WHATSAPP.secrets.appSecret;
const verifyToken = 'verify-me';
const config = { whatsapp: { appSecret: secret, verifyToken } };
const post = (body: string, signature?: string): WebhookRequest => ({
  method: 'POST',
  path: '/whatsapp/whatsapp',
  query: {},
  headers: { 'x-hub-signature-256': signature ?? `sha256=${createHmac('sha256', secret).update(body).digest('hex')}` },
  rawBody: Buffer.from(body),
});
const whatsappText = (from: string, id: string, text: string, phoneNumberId: string = DEMO_WHATSAPP.numbers[0].phoneNumberId) =>
  JSON.stringify({
    object: 'whatsapp_business_account',
    entry: [{ id: 'waba', changes: [{ field: 'messages', value: { messaging_product: 'whatsapp', metadata: { display_phone_number: '551140000001', phone_number_id: phoneNumberId }, contacts: [{ wa_id: from, profile: { name: 'Rita' } }], messages: [{ from, id, timestamp: '1764700000', type: 'text', text: { body: text } }] } }] }],
  });

describe('webhooks', () => {
  it('answers the verify-token handshake', async () => {
    const get = (token: string) => handleWebhook(deps, config, { method: 'GET', path: '/whatsapp/whatsapp', query: { 'hub.mode': 'subscribe', 'hub.verify_token': token, 'hub.challenge': '42' }, headers: {}, rawBody: Buffer.alloc(0) });
    expect(await get(verifyToken)).toEqual({ status: 200, body: '42' });
    // A channel's own verify token (written by channel.connect) answers too.
    expect(await get(DEMO_WHATSAPP.secrets.verifyToken)).toEqual({ status: 200, body: '42' });
    expect((await get('wrong')).status).toBe(403);
  });

  it('turns a signed text message into a ticket, once however often it is delivered', async () => {
    const body = whatsappText('5511977776666', 'wamid.1', 'Olá, quero um orçamento');
    const first = await handleWebhook(deps, config, post(body));
    expect(first).toEqual({ status: 200, body: { received: 1, statuses: 0, ignored: 0 } });
    expect((await handleWebhook(deps, config, { ...post(body), path: '/webhooks/whatsapp/whatsapp' })).status).toBe(200);
    const contacts = await emu.db.collection('contacts').where('phone', '==', '+5511977776666').get();
    expect(contacts.size).toBe(1);
    const tickets = await emu.db.collection('tickets').where('contactId', '==', contacts.docs[0]!.id).get();
    expect(tickets.size).toBe(1);
    const ticket = tickets.docs[0]!.data() as Ticket;
    expect(ticket.status).toBe('bot');
    const inbound = (await storedThread(emu.db, ticket.id)).filter((m) => m.direction === 'in');
    expect(inbound.map((m) => m.text)).toEqual(['Olá, quero um orçamento']);
  });

  it('refuses unsigned, mis-signed and malformed bodies with a 4xx', async () => {
    const body = whatsappText('5511900000000', 'wamid.2', 'oi');
    expect((await handleWebhook(deps, config, post(body, 'sha256=00'))).status).toBe(401);
    expect((await handleWebhook(deps, config, { ...post(body), headers: {} })).status).toBe(401);
    expect((await handleWebhook(deps, config, post(body.replace('oi', 'tchau'), post(body).headers['x-hub-signature-256'] as string))).status).toBe(401);
    expect((await handleWebhook(deps, config, post('{not json'))).status).toBe(400);
    const wrongShape = await handleWebhook(deps, config, post(JSON.stringify({ object: 'x', entry: 'no' })));
    expect(wrongShape.status).toBe(400);
    expect(wrongShape.body).toMatchObject({ error: { code: 'invalid-argument' } });
    expect((await handleWebhook(deps, config, { ...post(body), path: '/whatsapp/a/b' })).status).toBe(404);
    expect((await handleWebhook(deps, config, { ...post(body), path: '/telegram/x' })).status).toBe(404);
    // A number no channel is connected to, and no fallback secret: nothing can vouch for the bytes.
    const stranger = whatsappText('5511900000000', 'wamid.3', 'oi', '999');
    expect((await handleWebhook(deps, { whatsapp: { appSecret: '', verifyToken: '' } }, post(stranger))).status).toBe(401);
  });
});

describe('users trigger', () => {
  it('keeps custom claims equal to the users document and signals the client', async () => {
    const ana = (await readStored(emu.db, 'users/ana')) as User;
    expect(await handleUserWritten(deps, 'ana', ana)).toBe('updated');
    expect(auth.claims.get('ana')).toEqual({ role: 'agent', sectorIds: ['suporte'], seesAllHistory: false });
    expect(auth.accounts.get('ana')).toEqual({ email: 'ana@atende.local', disabled: false });
    const signal = await readStored(emu.db, 'claims/ana');
    expect(signal).toMatchObject({ uid: 'ana', updatedAt: Timestamp.fromMillis(now) });
    // Presence changes do not touch the claims, nor wake the client.
    now += 1000;
    expect(await handleUserWritten(deps, 'ana', { ...ana, presence: 'paused' })).toBe('unchanged');
    expect((await readStored(emu.db, 'claims/ana'))?.updatedAt).toEqual(Timestamp.fromMillis(now - 1000));
    expect(await handleUserWritten(deps, 'ana', { ...ana, sectorIds: ['suporte', 'financeiro'] })).toBe('updated');
    expect(auth.claims.get('ana')).toMatchObject({ sectorIds: ['suporte', 'financeiro'] });
    expect((await readStored(emu.db, 'claims/ana'))).not.toHaveProperty('revokedAt');
    // Adding a sector ends nothing; removing one, or deactivating, revokes the refresh tokens (issue 10).
    expect(auth.revoked).toEqual([]);
    expect(await handleUserWritten(deps, 'ana', { ...ana, sectorIds: ['financeiro'] })).toBe('updated');
    expect(auth.revoked).toEqual(['ana']);
    // The rules compare the token's auth_time (seconds) with this timestamp of whole seconds: the old ID token stops reading now.
    expect((await readStored(emu.db, 'claims/ana'))).toMatchObject({ updatedAt: Timestamp.fromMillis(now), revokedAt: Timestamp.fromMillis(Math.floor(now / 1000) * 1000) });
    expect(await handleUserWritten(deps, 'ana', { ...ana, active: false })).toBe('updated');
    expect(auth.claims.get('ana')).toBeNull();
    expect(auth.revoked).toEqual(['ana', 'ana']);
    expect(auth.accounts.get('ana')?.disabled).toBe(true);
    await handleUserWritten(deps, 'ana', ana);
  });
});

describe('deliver trigger (a message is its own outbox entry)', () => {
  const messageAt = (m: Message) => ({ ticketId: m.ticketId, messageId: m.id });
  const stored = async (m: Message) => (await readStored<Message>(emu.db, `tickets/${m.ticketId}/messages/${m.id}`))!;

  it('a web-chat reply is written delivered by its own command: its trigger events find nothing to do and write nothing', async () => {
    const open = await emu.db.collection('tickets').where('assigneeId', '==', 'ana').where('status', '==', 'open').get();
    const ticket = open.docs.map((d) => d.data() as Ticket).find((t) => t.channelType === 'webchat')!;
    const { message } = (await command(staff('ana'), 'message.send', { ticketId: ticket.id, text: 'Já verifiquei.' })) as { message: Message };
    expect(message).toMatchObject({ status: 'delivered', delivery: { attempts: 1, dueAt: null, doneAt: now, lastError: null } });
    expect(await stored(message)).toEqual(message);
    // The creation event, and a repeated one (at-least-once triggers), start nothing: the reply is as its command wrote it.
    expect(await handleMessageWritten(deps, messageAt(message), null, message)).toBe('skipped');
    expect(await handleMessageWritten(deps, messageAt(message), null, message)).toBe('skipped');
    expect(await stored(message)).toEqual(message);
    // No outbox or processed-event document was written for it.
    expect((await emu.db.collection('outbox').get()).size).toBe(0);
    expect((await emu.db.collection('processedEvents').get()).size).toBe(0);
  });

  it('records why a channel without a sender could not deliver; sent again, a rate-limited send is retried on core policy, then sent', async () => {
    const waChannel = storedDocs<Ticket>(await emu.db.collection('tickets').where('channelType', '==', 'whatsapp').get());
    const pending = storedDocs<Message>(await emu.db.collectionGroup('messages').where('delivery.doneAt', '==', null).get())
      .filter((m) => m.delivery && waChannel.some((t) => t.id === m.ticketId));
    const entry = pending[0]!;
    expect(await handleMessageWritten(deps, messageAt(entry), null, entry)).toBe('done');
    const failed = await stored(entry);
    expect(failed).toMatchObject({ status: 'failed', deliveryFailure: { code: 'not-configured' }, delivery: { doneAt: now, attempts: 1, lastError: 'not-configured', dueAt: null } });

    const sent: string[] = [];
    let limited = true;
    const carriers = {
      whatsapp: async (job: DeliveryJob): Promise<CarryResult> => {
        if (limited) return { kind: 'retry', failure: { code: 'rate-limited', providerCode: 130429, detail: null } };
        sent.push(job.message.id);
        return { kind: 'sent', channelMessageId: `wamid.${job.message.id}` };
      },
    };
    // The failed message sent again (what message.retry writes): the trigger sees a done delivery become pending.
    const again: Message = { ...failed, status: 'pending', deliveryFailure: null, delivery: { attempts: 0, dueAt: now, doneAt: null, lastError: null } };
    await writeStored(emu.db, `tickets/${entry.ticketId}/messages/${entry.id}`, again);
    expect(await handleMessageWritten(deps, messageAt(entry), failed, again, carriers)).toBe('done');
    expect(await stored(entry)).toMatchObject({ status: 'pending', deliveryFailure: { code: 'rate-limited' }, delivery: { doneAt: null, attempts: 1, lastError: 'rate-limited', dueAt: now + backoffMs(1) } });
    // Not due yet: the scheduled job leaves it alone.
    limited = false;
    expect(await retryOutbox(deps, carriers)).toBe(0);
    now += backoffMs(1);
    expect(await retryOutbox(deps, carriers)).toBe(1);
    expect(sent).toEqual([entry.id]);
    expect(await stored(entry)).toMatchObject({ status: 'sent', channelMessageId: `wamid.${entry.id}`, deliveryFailure: null, delivery: { doneAt: now, attempts: 2, lastError: null, dueAt: null } });
    expect(await retryOutbox(deps, carriers)).toBe(0);
  });
});

describe('automationTick', () => {
  it('closes tickets where the team had the last word and the customer went quiet', async () => {
    expect(await handleAutomationTick(deps)).toMatchObject({ warned: 0, closed: 0, retried: 0, rolledUp: { months: [] } });
    await command(staff('admin'), 'settings.update', {
      autoClose: { enabled: true, afterMinutes: 60, closeAgentTickets: true, closeBotTickets: true, warningMinutes: 0, warningMessage: '', closingMessage: 'Encerrado por inatividade.' },
    });
    now += 3 * 60 * 60 * 1000;
    const result = await handleAutomationTick(deps);
    expect(result.closed).toBeGreaterThan(0);
    const stillOpen = await emu.db.collection('tickets').where('status', '==', 'open').get();
    // A customer waiting for an answer is never closed on.
    expect(stillOpen.docs.map((d) => (d.data() as Ticket).lastMessage?.direction)).toEqual(stillOpen.docs.map(() => 'in'));
    const closed = await emu.db.collection('tickets').where('status', '==', 'closed').get();
    expect(closed.docs.filter((d) => (d.data() as Ticket).closedBy === null)).toHaveLength(result.closed);
  });

  it('asks Firestore only for due tickets: abandoned in the bot stage close, Esperando stays when its switch is off', async () => {
    const inBot = await emu.db.collection('tickets').where('status', '==', 'bot').get();
    const waiting = (await emu.db.collection('tickets').where('status', '==', 'waiting').get()).size;
    expect(inBot.size).toBeGreaterThan(0);
    const settings = (await readStored(emu.db, 'settings/workspace')) as { autoClose: Record<string, unknown> };
    await command(staff('admin'), 'settings.update', { autoClose: { ...settings.autoClose, abandoned: { enabled: true, afterMinutes: 60, inBot: true, waiting: false, message: '' } } });
    expect((await handleAutomationTick(deps)).closed).toBe(inBot.size);
    expect((await emu.db.collection('tickets').where('status', '==', 'bot').get()).size).toBe(0);
    expect((await emu.db.collection('tickets').where('status', '==', 'waiting').get()).size).toBe(waiting);
  });
});

describe('upload.begin', () => {
  it('hands a signed URL for one file to whoever may send on the ticket, within the attachment policy', async () => {
    const signed: string[] = [];
    const withStorage: Deps = { ...deps, signUpload: async (path, type) => (signed.push(`${path} ${type}`), `https://storage.example/${path}?sig=1`) };
    const waiting = (await emu.db.collection('tickets').where('status', '==', 'waiting').where('sectorId', '==', 'suporte').get()).docs[0]!.data() as Ticket;
    const begin = (caller: CallerAuth, input: Record<string, unknown>, d: Deps = withStorage) => handleCommand(d, caller, { name: 'upload.begin', input }) as Promise<{ attachment: { id: string; kind: string }; url: string }>;
    const ok = await begin(staff('ana'), { ticketId: waiting.id, name: 'foto.png', mime: 'image/png', size: 2048 });
    expect(ok.attachment).toMatchObject({ name: 'foto.png', mime: 'image/png', size: 2048, kind: 'image' });
    expect(ok.url).toBe(`https://storage.example/files/${waiting.id}/${ok.attachment.id}?sig=1`);
    expect(signed).toEqual([`files/${waiting.id}/${ok.attachment.id} image/png`]);
    expect(await failure(begin(staff('ana'), { ticketId: waiting.id, name: 'big.mp4', mime: 'video/mp4', size: 200 * 1024 * 1024 }))).toMatchObject({ code: 'invalid-argument', details: { issues: [{ path: 'size' }] } });
    expect(await failure(begin(staff('ana'), { ticketId: waiting.id, name: 'x.exe', mime: 'application/x-msdownload', size: 10 }))).toMatchObject({ code: 'invalid-argument', details: { issues: [{ path: 'mime' }] } });
    expect(await failure(begin(staff('ana'), { ticketId: waiting.id, name: '', mime: 'nonsense', size: 0 }))).toMatchObject({ code: 'invalid-argument' });
    expect(await failure(begin(staff('bruno'), { ticketId: waiting.id, name: 'a.pdf', mime: 'application/pdf', size: 10 }))).toMatchObject({ code: 'permission-denied' });
    expect(await failure(begin(staff('ana'), { ticketId: 'missing', name: 'a.pdf', mime: 'application/pdf', size: 10 }))).toMatchObject({ code: 'not-found' });
    expect(await failure(begin(staff('ana'), { ticketId: waiting.id, name: 'a.pdf', mime: 'application/pdf', size: 10 }, deps))).toMatchObject({ code: 'failed-precondition' });
  });
});

describe('widget.session', () => {
  it('gives an anonymous visitor a contact and the customer claim, then lets them write only to their own conversation', async () => {
    const visitor: CallerAuth = { uid: 'anon-visitor', token: { firebase: { sign_in_provider: 'anonymous' } } };
    const session = (await handleCommand(deps, visitor, { name: 'widget.session', input: { channelId: 'site', name: 'Visitante', email: '' } })) as { contactId: string; channel: { name: string } };
    expect(session.channel.name).toBe('Chat do site');
    expect(auth.claims.get('anon-visitor')).toEqual({ customer: { contactId: session.contactId, channelId: 'site' } });
    // Again: the same contact.
    expect(await handleCommand(deps, visitor, { name: 'widget.session', input: { channelId: 'site', name: 'Visitante' } })).toMatchObject({ contactId: session.contactId });
    const customer: CallerAuth = { uid: 'anon-visitor', token: { customer: { contactId: session.contactId, channelId: 'site' } } };
    const sent = (await command(customer, 'inbound.receive', { channelId: 'site', externalId: 'anon-visitor', channelMessageId: 'w-1', text: 'Olá pelo site' })) as { ticketId: string };
    const ticket = (await readStored(emu.db, `tickets/${sent.ticketId}`)) as Ticket;
    expect(ticket).toMatchObject({ contactId: session.contactId, channelId: 'site', status: 'waiting' });
    expect(await failure(command(customer, 'inbound.receive', { channelId: 'whatsapp', externalId: '5511', channelMessageId: 'w-2', text: 'outro canal' }))).toMatchObject({ code: 'permission-denied' });
    expect(await failure(handleCommand(deps, undefined, { name: 'widget.session', input: { channelId: 'site', name: 'X' } }))).toMatchObject({ code: 'unauthenticated' });
    expect(await failure(handleCommand(deps, visitor, { name: 'widget.session', input: { channelId: 'whatsapp', name: 'X' } }))).toMatchObject({ code: 'not-found' });
    expect(await failure(handleCommand(deps, visitor, { name: 'widget.session', input: { channelId: 'site', name: '' } }))).toMatchObject({ code: 'invalid-argument', details: { issues: [{ path: 'name' }] } });
    expect(await failure(handleCommand(deps, { uid: 'ana', token: { role: 'agent' } }, { name: 'widget.session', input: { channelId: 'site', name: 'Ana' } }))).toMatchObject({ code: 'failed-precondition' });
  });
});

describe('files', () => {
  it('redirects whoever may read the ticket to a short-lived signed URL, and nobody else; a Bearer ID token in the header works too', async () => {
    const tokens: Record<string, CallerAuth> = { 'token-ana': staff('ana'), 'token-bruno': staff('bruno') };
    const withFiles: Deps = {
      ...deps,
      auth: Object.assign(Object.create(auth) as MemoryAuth, { verifyIdToken: async (t: string) => tokens[t] ?? null }),
      signDownload: async (path) => `https://storage.example/${path}?read=1`,
    };
    const waiting = (await emu.db.collection('tickets').where('status', '==', 'waiting').where('sectorId', '==', 'suporte').get()).docs[0]!.data() as Ticket;
    const keyOf = async (uid: string) => ((await handleCommand(withFiles, staff(uid), { name: 'files.key', input: {} })) as { fileKey: string }).fileKey;
    const [ana, bruno] = [await keyOf('ana'), await keyOf('bruno')];
    const get = (path: string, key?: string, d: Deps = withFiles) => handleFileRequest(d, { method: 'GET', path, query: key === undefined ? {} : { key } });
    expect(await get(`/files/${waiting.id}/att-1`, ana)).toEqual({ status: 302, body: '', location: `https://storage.example/files/${waiting.id}/att-1?read=1` });
    expect((await get(`/${waiting.id}/att-1`, ana)).status).toBe(302);
    expect((await get(`/files/${waiting.id}/att-1`, bruno)).status).toBe(404);
    expect((await get(`/files/${waiting.id}/att-1`, `${ana.slice(0, -2)}xx`)).status).toBe(401);
    expect((await get(`/files/${waiting.id}/att-1`, ana.replace('@ana~', '@bruno~'))).status).toBe(401);
    expect((await get(`/files/${waiting.id}/att-1`)).status).toBe(401);
    // An ID token in the query string is no credential any more (links must not carry long-lived tokens).
    expect((await handleFileRequest(withFiles, { method: 'GET', path: `/files/${waiting.id}/att-1`, query: { auth: 'token-ana' } })).status).toBe(401);
    const bearer = (token: string) => handleFileRequest(withFiles, { method: 'GET', path: `/files/${waiting.id}/att-1`, query: {}, headers: { authorization: `Bearer ${token}` } });
    expect((await bearer('token-ana')).status).toBe(302);
    expect((await bearer('forged')).status).toBe(401);
    expect((await get('/files/missing/att-1', ana)).status).toBe(404);
    expect((await get('/files/../../etc/passwd', ana)).status).toBe(404);
    expect((await handleFileRequest(withFiles, { method: 'POST', path: `/files/${waiting.id}/a`, query: {} })).status).toBe(405);
    expect((await get(`/files/${waiting.id}/att-1`, ana, { ...withFiles, signDownload: undefined })).status).toBe(409);
  });

  it('ends a key with its life (LIMITS.widget.fileLinkTtlMs) and with its holder\'s rights', async () => {
    const withFiles: Deps = { ...deps, signDownload: async (path) => `https://storage.example/${path}?read=1` };
    const waiting = (await emu.db.collection('tickets').where('status', '==', 'waiting').where('sectorId', '==', 'suporte').get()).docs[0]!.data() as Ticket;
    const { fileKey, fileKeyExpiresAt } = (await handleCommand(withFiles, staff('ana'), { name: 'files.key', input: {} })) as { fileKey: string; fileKeyExpiresAt: number };
    expect(fileKeyExpiresAt).toBe(now + LIMITS.widget.fileLinkTtlMs);
    const get = () => handleFileRequest(withFiles, { method: 'GET', path: `/files/${waiting.id}/att-1`, query: { key: fileKey } });
    expect((await get()).status).toBe(302);
    // Deactivated: the key she holds opens nothing, though it has not expired.
    await setActive('ana', false);
    expect((await get()).status).toBe(403);
    await setActive('ana', true);
    const saved = now;
    now = fileKeyExpiresAt;
    expect((await get()).status).toBe(401);
    now = saved;
    // The signing secret is the functions' own: no client may read it.
    expect((await emu.db.doc(FILE_LINK_SECRET_DOC).get()).get('key')).toMatch(/^[A-Za-z0-9_-]{40,}$/);
  });

  it("gives a web-chat visitor a key with their session, for their own tickets' files only", async () => {
    const withFiles: Deps = { ...deps, signDownload: async (path) => `https://storage.example/${path}?read=1` };
    const visitor: CallerAuth = { uid: 'anon-files-1', token: {} };
    const session = (await handleCommand(withFiles, visitor, { name: 'widget.session', input: { channelId: 'site', name: 'Fábio' } })) as { contactId: string; fileKey: string };
    const customer: CallerAuth = { uid: visitor.uid, token: { customer: { contactId: session.contactId, channelId: 'site' } } };
    const { ticketId } = (await handleCommand(withFiles, customer, { name: 'inbound.receive', input: { channelId: 'site', externalId: visitor.uid, channelMessageId: 'files-1', text: 'Oi' } })) as { ticketId: string };
    const get = (ticket: string, key: string) => handleFileRequest(withFiles, { method: 'GET', path: `/files/${ticket}/att-1`, query: { key } });
    expect((await get(ticketId, session.fileKey)).status).toBe(302);
    const renewed = ((await handleCommand(withFiles, customer, { name: 'files.key', input: {} })) as { fileKey: string }).fileKey;
    expect((await get(ticketId, renewed)).status).toBe(302);
    const waiting = (await emu.db.collection('tickets').where('status', '==', 'waiting').where('sectorId', '==', 'suporte').get()).docs[0]!.data() as Ticket;
    expect((await get(waiting.id, session.fileKey)).status).toBe(404);
  });
});

describe('checkUpload', () => {
  const png = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);
  const check = async (name: string, contentType: string, bytes: Uint8Array, size = bytes.length) => {
    let removed = false;
    const result = await handleUploadFinalized(deps, { name, contentType, size }, { read: async () => bytes, remove: async () => void (removed = true) });
    return { result, removed };
  };

  it('keeps a file whose bytes are what was declared, and removes the rest', async () => {
    expect(await check('files/t1/a1', 'image/png', png)).toEqual({ result: 'kept', removed: false });
    expect(await check('files/t1/a2', 'application/pdf', png)).toEqual({ result: 'removed', removed: true });
    const exe = Uint8Array.from([0x4d, 0x5a, 0x90, 0, 3, 0, 0, 0, 4, 0]);
    expect(await check('files/t1/a3', 'image/png', exe)).toEqual({ result: 'removed', removed: true });
    expect(await check('files/t1/a4', 'image/png', png, 500 * 1024 * 1024)).toEqual({ result: 'removed', removed: true });
    // Text cut in the middle of a character (ç is two bytes) is still text.
    const text = new TextEncoder().encode('Olá, segue a descrição');
    expect(await check('files/t1/a5', 'text/plain', text.subarray(0, 21), text.length)).toEqual({ result: 'kept', removed: false });
    expect(await check('other/place', 'image/png', png)).toEqual({ result: 'ignored', removed: false });
  });
});
