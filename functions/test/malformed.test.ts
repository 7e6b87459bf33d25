/**
 * A bad hand edit in the Firebase console, seen from every function that runs
 * by itself (issue 15's "no crash loop"): the scheduled ones (`presenceSweep`,
 * `emailPoll`, `automationTick` with a reply due for retry) skip their run with
 * one readable line instead of throwing every minute, a webhook answers the
 * readable refusal instead of a 500, and a staff member whose own `users`
 * document was broken by hand is told which document and field, in Portuguese,
 * instead of "Something went wrong". validation.test.ts has the commands' side.
 */
import { createHmac } from 'node:crypto';
import { Timestamp } from 'firebase-admin/firestore';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { commandRegistry, createIdGenerator, DEMO_WHATSAPP, executeCommand, seedDemo, SYSTEM, type MalformedDocument } from '@atende/core';
import { FirestoreStore } from '../src/store.ts';
import { handleAutomationTick, handleCommand, handleUserDocument, handleWebhook, storeOf, type Deps } from '../src/handlers.ts';
import { handlePresenceSweep } from '../src/presence.ts';
import { handleEmailPoll } from '../src/email.ts';
import { answeringMalformed } from '../src/malformed.ts';
import { MemoryAuth } from '../../conformance/firestore.ts';
import { startEmulator, type Emulator } from './support/emulator.ts';

let emu: Emulator;
let deps: Deps;
/** Reports what it finds malformed into `reports`, reads everything from Firestore. */
let store: FirestoreStore;
const reports: MalformedDocument[] = [];
const now = Date.UTC(2026, 11, 2, 14);

/** A hand edit: the document written back with `fields` changed (the Node emulator keeps what a set() leaves out: delete first). */
const edit = async (path: string, fields: Record<string, unknown>) => {
  const current = (await emu.db.doc(path).get()).data()!;
  await emu.db.doc(path).delete();
  await emu.db.doc(path).set({ ...current, ...fields });
  // The functions' own store keeps configuration in memory for up to a minute: a test does not wait for that bound.
  storeOf(emu.db).configCache?.clear();
  return async () => {
    await emu.db.doc(path).delete();
    await emu.db.doc(path).set(current);
    storeOf(emu.db).configCache?.clear();
  };
};
let undo: (() => Promise<void>) | null = null;

beforeAll(async () => {
  emu = await startEmulator();
  // No cache: every read goes to Firestore (configCache.test.ts has when a hand edit reaches a cached copy).
  store = new FirestoreStore(emu.db, { onMalformed: (r) => reports.push(r), configCache: false });
  deps = { db: emu.db, auth: new MemoryAuth(), clock: () => now, newId: createIdGenerator(() => now) };
  await seedDemo({ store, clock: () => now, newId: createIdGenerator(() => now) });
});
afterAll(() => emu.stop());
beforeEach(async () => {
  await undo?.();
  undo = null;
});

describe('a malformed configuration document and the functions that run by themselves', () => {
  it('presenceSweep skips its run naming settings/workspace and the field, instead of throwing every minute', async () => {
    undo = await edit('settings/workspace', { presence: { graceMinutes: 'dez' } });
    const said: string[] = [];
    expect(await handlePresenceSweep(deps, (m) => said.push(m))).toBe(0);
    expect(said).toHaveLength(1);
    expect(said[0]).toContain('settings/workspace');
    expect(said[0]).toContain('presence');
    expect(said[0]).toContain('está malformado');
  });

  it('emailPoll skips its run naming the e-mail channel and the field', async () => {
    undo = await edit('channels/email', { active: 'sim' });
    const result = await handleEmailPoll(deps);
    expect(result).toMatchObject({ mailboxes: 0, skipped: expect.stringContaining('channels/email') });
    expect(result.skipped).toContain('active');
  });

  it('automationTick with a reply due for retry on a malformed channel: the run ends with one line, the reply waits for the fix', async () => {
    // A reply to a WhatsApp customer whose delivery failed once and is due again.
    const onWhatsApp = new Set((await emu.db.collection('tickets').where('channelId', '==', 'whatsapp').get()).docs.map((d) => d.id));
    const outbound = (await emu.db.collectionGroup('messages').where('direction', '==', 'out').get()).docs.find((d) => onWhatsApp.has(d.get('ticketId') as string))!;
    await outbound.ref.update({ status: 'pending', delivery: { attempts: 1, dueAt: Timestamp.fromMillis(now - 60_000), doneAt: null, lastError: 'rate-limited' } });
    undo = await edit('channels/whatsapp', { name: 42 });
    const tick = await handleAutomationTick(deps);
    expect(tick.skipped).toContain('channels/whatsapp');
    expect(tick.skipped).toContain('name');
    // Still due: once the channel is fixed, the next run sends it.
    expect((await outbound.ref.get()).get('delivery.attempts')).toBe(1);
  });

  it("one person's broken document leaves them out of the team's queries: customers' messages are still routed, the others' presence still swept", async () => {
    // Ana is online in Suporte, which overflows to Financeiro: routing asks whether anyone of Suporte is online.
    undo = await edit('users/ana', { name: 42, presence: 'online' });
    const routed = await executeCommand(commandRegistry, { store, clock: () => now, newId: createIdGenerator(() => now) }, SYSTEM, 'inbound.receive', {
      channelId: DEMO_WHATSAPP.numbers[1].channelId,
      externalId: '5511987650077',
      contact: { name: 'Caio' },
      channelMessageId: 'wamid.left-out-1',
      text: 'Oi',
    });
    expect(routed).toMatchObject({ duplicate: false });
    const said: string[] = [];
    await handlePresenceSweep(deps, (m) => said.push(m));
    expect(said).toEqual([]);
    expect(reports.some((r) => r.path === 'users/ana')).toBe(true);
  });

  it('a catalogue entry broken by hand (a classification without its name): the close that picks it is refused naming it', async () => {
    const ticket = (await emu.db.collection('tickets').where('status', '==', 'waiting').limit(1).get()).docs[0]!;
    undo = await edit('classifications/duvida', { name: null });
    const refused = await handleCommand(deps, { uid: 'admin', token: { role: 'admin' } }, { name: 'ticket.close', input: { ticketId: ticket.id, classificationId: 'duvida' } }).catch((e: unknown) => e as { code: string; message: string });
    expect(refused).toMatchObject({ code: 'failed-precondition', message: expect.stringContaining('O documento classifications/duvida está malformado (name: deve ser string, e é null)') });
    // Nothing was written: the ticket still waits.
    expect((await ticket.ref.get()).get('status')).toBe('waiting');
  });

  it('a WhatsApp webhook for a malformed number answers the readable refusal (Meta retries it), never a crash', async () => {
    undo = await edit(`channels/${DEMO_WHATSAPP.numbers[0].channelId}`, { name: 42 });
    const body = Buffer.from(
      JSON.stringify({
        object: 'whatsapp_business_account',
        entry: [
          {
            id: DEMO_WHATSAPP.wabaId,
            changes: [
              {
                field: 'messages',
                value: {
                  messaging_product: 'whatsapp',
                  metadata: { display_phone_number: '551140000001', phone_number_id: DEMO_WHATSAPP.numbers[0].phoneNumberId },
                  contacts: [{ profile: { name: 'Lia' }, wa_id: '5511987650009' }],
                  messages: [{ from: '5511987650009', id: 'wamid.malformed-1', timestamp: String(Math.floor(now / 1000)), type: 'text', text: { body: 'Oi' } }],
                },
              },
            ],
          },
        ],
      }),
    );
    const signature = `sha256=${createHmac('sha256', DEMO_WHATSAPP.secrets.appSecret).update(body).digest('hex')}`;
    // As index.ts runs it (the `webhooks`, `instagramWebhook` and `emailInbound` functions alike).
    const post = () =>
      answeringMalformed(() =>
        handleWebhook(deps, { whatsapp: { appSecret: '', verifyToken: '' } }, { method: 'POST', path: '/whatsapp', query: {}, headers: { 'x-hub-signature-256': signature }, rawBody: body }),
      );
    const answer = await post();
    // 503: Meta delivers it again later, and it arrives once the document is fixed.
    expect(answer.status).toBe(503);
    expect(answer.body).toMatchObject({ error: { code: 'failed-precondition', message: expect.stringContaining(`channels/${DEMO_WHATSAPP.numbers[0].channelId} está malformado (name: deve ser string, e é number)`) } });
    await undo!();
    undo = null;
    expect((await post()).status).toBe(200);
  });

  it("a staff member whose users document was broken by hand is told which document and field, not 'Something went wrong'; their claims stay", async () => {
    undo = await edit('users/ana', { role: 'chefe' });
    const refused = await handleCommand(deps, { uid: 'ana', token: { role: 'agent' } }, { name: 'presence.set', input: { presence: 'online' } }).catch((e: unknown) => e as { code: string; message: string });
    expect(refused).toMatchObject({ code: 'failed-precondition' });
    expect((refused as { message: string }).message).toContain('O documento users/ana está malformado (role: deve ser um destes valores: "agent", "supervisor", "admin")');
    await undo!();
    undo = await edit('users/ana', { sectorIds: 'suporte' });
    const again = await handleCommand(deps, { uid: 'ana', token: { role: 'agent' } }, { name: 'presence.set', input: { presence: 'online' } }).catch((e: unknown) => e as { message: string });
    expect((again as { message: string }).message).toContain('sectorIds: deve ser array, e é string');
    // syncClaims on that write: the claims stay as they were (a typo hands out and takes away nothing), said once.
    const auth = deps.auth as MemoryAuth;
    auth.claims.set('ana', { role: 'agent', sectorIds: ['suporte'], seesAllHistory: false });
    const said: string[] = [];
    expect(await handleUserDocument(deps, 'ana', (await emu.db.doc('users/ana').get()).data()!, (m) => said.push(m))).toBe('skipped');
    expect(auth.claims.get('ana')).toEqual({ role: 'agent', sectorIds: ['suporte'], seesAllHistory: false });
    expect(said).toEqual([expect.stringContaining('users/ana está malformado (sectorIds: deve ser array, e é string)')]);
    await undo!();
    undo = null;
    expect(await handleUserDocument(deps, 'ana', (await emu.db.doc('users/ana').get()).data()!)).toBe('unchanged');
  });
});
