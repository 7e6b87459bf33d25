import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createIdGenerator, DEMO_INSTAGRAM, refs, seedDemo, type CarryResult, type DeliveryJob, type Message, type Ticket } from '@atende/core';
import { handleMessageWritten, storeOf, type Deps } from '../src/handlers.ts';
import { handleInstagramWebhook } from '../src/instagram.ts';
import { MemoryAuth } from '../../conformance/firestore.ts';
import { startEmulator, type Emulator } from './support/emulator.ts';
import { readStored, storedDocs, storedThread } from './support/stored.ts';

let emu: Emulator;
let deps: Deps;
const now = Date.UTC(2026, 10, 21, 14);
const CUSTOMER = '1784140000000999';

const dm = (message: Record<string, unknown>) =>
  JSON.stringify({ object: 'instagram', entry: [{ id: DEMO_INSTAGRAM.accountId, time: now, messaging: [{ sender: { id: CUSTOMER }, recipient: { id: DEMO_INSTAGRAM.accountId }, timestamp: now, message }] }] });
const post = (body: string, secret: string = DEMO_INSTAGRAM.secrets.appSecret) => ({
  method: 'POST',
  path: '/',
  query: {},
  headers: { 'x-hub-signature-256': `sha256=${createHmac('sha256', secret).update(body).digest('hex')}` },
  rawBody: Buffer.from(body),
});

beforeAll(async () => {
  emu = await startEmulator();
  deps = { db: emu.db, auth: new MemoryAuth(), clock: () => now, newId: createIdGenerator(() => now) };
  await seedDemo({ store: storeOf(emu.db), clock: deps.clock, newId: deps.newId });
});
afterAll(() => emu?.stop());

describe('instagramWebhook (Firebase)', () => {
  it('answers the handshake with the channel verify token only', async () => {
    const get = (token: string) => handleInstagramWebhook(deps, { method: 'GET', path: '/', query: { 'hub.mode': 'subscribe', 'hub.verify_token': token, 'hub.challenge': '7' }, headers: {}, rawBody: Buffer.alloc(0) });
    expect(await get(DEMO_INSTAGRAM.secrets.verifyToken)).toEqual({ status: 200, body: '7' });
    expect((await get('wrong')).status).toBe(403);
  });

  it('a signed DM becomes a waiting ticket once; a wrong signature writes nothing; an unsent DM is marked deleted', async () => {
    const body = dm({ mid: 'ig-mid-1', text: 'Vocês abrem sábado?' });
    expect((await handleInstagramWebhook(deps, post(body, 'not-the-secret'))).status).toBe(401);
    expect((await emu.db.collection('tickets').where('channelId', '==', DEMO_INSTAGRAM.channelId).get()).size).toBe(0);
    expect(await handleInstagramWebhook(deps, post(body))).toMatchObject({ status: 200, body: { received: 1 } });
    expect((await handleInstagramWebhook(deps, post(body))).status).toBe(200);
    const tickets = await emu.db.collection('tickets').where('channelId', '==', DEMO_INSTAGRAM.channelId).get();
    expect(tickets.size).toBe(1);
    const ticket = storedDocs<Ticket>(tickets)[0]!;
    expect(ticket).toMatchObject({ status: 'waiting', channelType: 'instagram', sectorId: 'suporte' });
    expect(await handleInstagramWebhook(deps, post(dm({ mid: 'ig-mid-1', is_deleted: true })))).toMatchObject({ status: 200 });
    const messages = (await storedThread(emu.db, ticket.id)).filter((m) => m.direction === 'in');
    expect(messages.map((m) => [m.text, typeof m.deletedAt])).toEqual([['Vocês abrem sábado?', 'number']]);
  });
});

describe("the Instagram bot's reply", () => {
  it('is sent by the webhook function right after the commit (no lease write); the trigger leaves it', async () => {
    await storeOf(emu.db).transaction(async (tx) => {
      const channel = (await tx.get(refs.channel(DEMO_INSTAGRAM.channelId)))!;
      tx.update(refs.channel(channel.id), { bot: { ...channel.bot, enabled: true } });
    });
    const jobs: DeliveryJob[] = [];
    const carriers = { instagram: async (job: DeliveryJob): Promise<CarryResult> => (jobs.push(job), { kind: 'sent', channelMessageId: 'ig-out-menu' }) };
    const other = '1784140000000777';
    const body = JSON.stringify({ object: 'instagram', entry: [{ id: DEMO_INSTAGRAM.accountId, time: now, messaging: [{ sender: { id: other }, recipient: { id: DEMO_INSTAGRAM.accountId }, timestamp: now, message: { mid: 'ig-mid-bot', text: 'Oi' } }] }] });
    expect(await handleInstagramWebhook(deps, post(body), undefined, carriers)).toMatchObject({ status: 200 });
    expect(jobs.map((j) => [j.to, j.message.automated, j.message.menu?.length])).toEqual([[other, true, 2]]);
    const menu = (await readStored<Message>(emu.db, `tickets/${jobs[0]!.message.ticketId}/messages/${jobs[0]!.message.id}`))!;
    // Created already leased by the function (attempts 0 → 1 in one outcome write), never queued for the trigger.
    expect(menu).toMatchObject({ status: 'sent', channelMessageId: 'ig-out-menu', delivery: { attempts: 1, dueAt: null } });
    expect(jobs[0]!.message.delivery).toMatchObject({ inline: true, attempts: 0 });
    expect(await handleMessageWritten(deps, { ticketId: menu.ticketId, messageId: menu.id }, null, jobs[0]!.message, carriers)).toBe('skipped');
  });
});
