/**
 * The widget's abuse controls on Firebase (issue 10): per-session quotas
 * from LIMITS.widget (the same numbers the embedded server enforces),
 * core's new-ticket rule, and optional App Check. Through the real `command`
 * handler, against @firestore-emulator/server.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Timestamp } from 'firebase-admin/firestore';
import { configureLimits, createIdGenerator, resetLimits, seedDemo } from '@atende/core';
import { failureOf, handleCommand, QUOTAS, storeOf, type CallerAuth, type Deps } from '../src/handlers.ts';
import { MemoryAuth } from '../../conformance/firestore.ts';
import { startEmulator, type Emulator } from './support/emulator.ts';

let emu: Emulator;
let deps: Deps;
let auth: MemoryAuth;
let now = Date.UTC(2026, 11, 3, 0);
let visitors = 0;
let messages = 0;

const failure = async (p: Promise<unknown>) => {
  try {
    await p;
  } catch (e) {
    return failureOf(e);
  }
  throw new Error('expected a failure');
};

/** A visitor with a session: their caller (with the customer claim) and a way to send a message. */
const visitor = async (d: Deps = deps, appCheck?: boolean) => {
  const uid = `anon-quota-${++visitors}`;
  const bare: CallerAuth = { uid, token: {}, appCheck };
  const { contactId } = (await handleCommand(d, bare, { name: 'widget.session', input: { channelId: 'site', name: `Visitante ${visitors}` } })) as { contactId: string };
  const caller: CallerAuth = { uid, token: { customer: { contactId, channelId: 'site' } }, appCheck };
  const send = (text = 'Oi') =>
    handleCommand(d, caller, { name: 'inbound.receive', input: { channelId: 'site', externalId: uid, channelMessageId: `quota-${++messages}`, text } }) as Promise<{ ticketId: string }>;
  return { uid, caller, send };
};

beforeAll(async () => {
  emu = await startEmulator();
  auth = new MemoryAuth();
  deps = { db: emu.db, auth, clock: () => now, newId: createIdGenerator(() => now), signUpload: async (path) => `https://storage.example/${path}` };
  await seedDemo({ store: storeOf(emu.db), clock: deps.clock, newId: deps.newId });
  configureLimits({ widget: { messagesPerSessionPerMinute: 3, ticketsPerSessionPerHour: 2, uploadsPerSessionPerHour: 2 } });
});
afterAll(async () => {
  resetLimits();
  await emu.stop();
});

describe('widget quotas on Firebase (LIMITS.widget)', () => {
  it('lets a session send messagesPerSessionPerMinute, refuses the next with resource-exhausted and the wait, then lets it go on', async () => {
    const v = await visitor();
    for (let i = 0; i < 3; i++) await v.send(`mensagem ${i}`);
    const refused = await failure(v.send('uma a mais'));
    expect(refused).toMatchObject({ code: 'resource-exhausted', details: { issues: [{ path: '(request)', message: 'messages: at most 3 per 60 s' }], reason: 'limit.requests' } });
    expect(refused.message).toMatch(/aguarde 60 s/);
    // Another visitor is not slowed by this one.
    await (await visitor()).send('Oi');
    now += 60_000;
    await v.send('depois de um minuto');
    const counter = (await emu.db.doc(`${QUOTAS}/${v.uid}~messages`).get()).data();
    expect(counter).toMatchObject({ count: 1, windowStart: Timestamp.fromMillis(now) });
  });

  it('lets a session open ticketsPerSessionPerHour new conversations an hour; messages to a live one always go', async () => {
    const v = await visitor();
    for (let i = 0; i < 2; i++) {
      const { ticketId } = await v.send(`conversa ${i}`);
      now += 1000;
      await handleCommand(deps, { uid: 'admin', token: {} }, { name: 'ticket.close', input: { ticketId } });
    }
    expect(await failure(v.send('terceira conversa'))).toMatchObject({ code: 'resource-exhausted', details: { reason: 'limit.newConversations' } });
    now += 60 * 60 * 1000;
    const { ticketId } = await v.send('uma hora depois');
    now += 61_000;
    // With a live ticket the message continues it, whatever the hour's count.
    expect((await v.send('continua')).ticketId).toBe(ticketId);
  });

  it('limits upload.begin to uploadsPerSessionPerHour', async () => {
    const v = await visitor();
    const { ticketId } = await v.send('vou mandar arquivos');
    const begin = () => handleCommand(deps, v.caller, { name: 'upload.begin', input: { ticketId, name: 'a.pdf', mime: 'application/pdf', size: 10 } });
    await begin();
    await begin();
    expect(await failure(begin())).toMatchObject({ code: 'resource-exhausted', details: { issues: [{ message: 'uploads: at most 2 per 3600 s' }] } });
  });

  it('with App Check enforced, refuses visitors whose calls carry no valid App Check token, and leaves staff alone', async () => {
    const enforced: Deps = { ...deps, enforceWidgetAppCheck: true };
    expect(await failure(visitor(enforced))).toMatchObject({ code: 'unauthenticated', details: { reason: 'widget.appCheck' } });
    const v = await visitor(enforced, true);
    await v.send('com App Check');
    expect(await failure(handleCommand(enforced, { ...v.caller, appCheck: false }, { name: 'files.key', input: {} }))).toMatchObject({ code: 'unauthenticated' });
    expect(await handleCommand(enforced, { uid: 'ana', token: {} }, { name: 'files.key', input: {} })).toMatchObject({ fileKey: expect.stringMatching(/^@ana~/) });
  });
});
