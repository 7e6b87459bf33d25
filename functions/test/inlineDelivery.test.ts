/**
 * A reply an agent sends through the `command` callable is sent by that same
 * invocation right after the commit (functions/src/command.ts with the
 * carriers, core `sendingAfterCommit`): the creating transaction is its
 * lease, so the message is written twice in all — created, then its outcome
 * — and the `deliver` trigger, fired by both writes, sends nothing. The
 * same for the bot's replies to a WhatsApp webhook.
 */
import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_WHATSAPP, commandRegistry, executeCommand, outboxPolicy, sendingAfterCommit, SYSTEM, type CarryResult, type DeliveryJob, type Message } from '@atende/core';
import { handleCommand, handleMessageWritten, handleWebhook, retryOutbox, storeOf, type Deps } from '../src/handlers.ts';
import type { Emulator } from './support/emulator.ts';
import { seededEmulator } from './support/seeded.ts';
import { readStored } from './support/stored.ts';

let emu: Emulator;
let deps: Deps;
let meter: Awaited<ReturnType<typeof seededEmulator>>['meter'];
let now = Date.UTC(2026, 11, 3, 14);

beforeAll(async () => {
  ({ emu, deps, meter } = await seededEmulator(() => now));
});
afterAll(() => emu.stop());

/** A WhatsApp ticket Ana serves. */
const servedTicket = async (phone: string): Promise<string> => {
  const { ticketId } = (await executeCommand(commandRegistry, { store: storeOf(emu.db), clock: deps.clock, newId: deps.newId }, SYSTEM, 'inbound.receive', {
    channelId: 'whatsapp-suporte',
    externalId: phone,
    contact: { name: 'Rita', phone },
    channelMessageId: `wamid.${phone}`,
    text: 'Oi',
  })) as { ticketId: string };
  await handleCommand(deps, { uid: 'ana', token: {} }, { name: 'ticket.accept', input: { ticketId } });
  return ticketId;
};

const stored = async (m: Pick<Message, 'ticketId' | 'id'>) => (await readStored<Message>(emu.db, `tickets/${m.ticketId}/messages/${m.id}`))!;

describe('a reply sent by the callable that created it', () => {
  it('reaches the provider once, with two writes of the message; the trigger on either write sends nothing', async () => {
    const ticketId = await servedTicket('5511966660001');
    const jobs: DeliveryJob[] = [];
    const carriers = { whatsapp: async (job: DeliveryJob): Promise<CarryResult> => (jobs.push(job), { kind: 'sent', channelMessageId: 'wamid.out.1' }) };
    meter.writesBy = {};
    meter.readsBy = {};
    meter.on = true;
    const { message } = (await handleCommand(deps, { uid: 'ana', token: {} }, { name: 'message.send', input: { ticketId, text: 'Olá, Rita!' } }, carriers)) as { message: Message };
    meter.on = false;
    expect(jobs.map((j) => [j.message.id, j.to])).toEqual([[message.id, '5511966660001']]);
    // The command reads its ticket; sending reads neither the reply, nor the ticket again, nor the contact (the address is on the ticket).
    expect([meter.readsBy.tickets, meter.readsBy.messages, meter.readsBy.contacts]).toEqual([1, undefined, undefined]);
    // The ticket (its card), the new message, then only the message's outcome: no lease write.
    expect(meter.writesBy.messages).toBe(2);
    const sent = await stored(message);
    expect(sent).toMatchObject({ status: 'sent', channelMessageId: 'wamid.out.1', delivery: { attempts: 1, dueAt: null, doneAt: now } });
    // The trigger hears the creation and the outcome (at least once each): neither starts a delivery.
    expect(await handleMessageWritten(deps, { ticketId, messageId: message.id }, null, message, carriers)).toBe('skipped');
    expect(await handleMessageWritten(deps, { ticketId, messageId: message.id }, message, sent, carriers)).toBe('skipped');
    expect(jobs).toHaveLength(1);
  });

  it('a send that fails in the invocation is retried by the scheduled retries on core policy, once', async () => {
    const ticketId = await servedTicket('5511966660002');
    const failing = { whatsapp: async (): Promise<CarryResult> => Promise.reject(new Error('the instance went away')) };
    // The invocation's carrier throws: a retryable failure, recorded, and the ordinary retries take over.
    const { message } = (await handleCommand(deps, { uid: 'ana', token: {} }, { name: 'message.send', input: { ticketId, text: 'Tudo certo?' } }, failing)) as { message: Message };
    expect(await stored(message)).toMatchObject({ status: 'pending', delivery: { attempts: 1, lastError: 'provider-unavailable' } });
    now += 5_000;
    const jobs: string[] = [];
    const carriers = { whatsapp: async (job: DeliveryJob): Promise<CarryResult> => (jobs.push(job.message.id), { kind: 'sent', channelMessageId: 'wamid.out.2' }) };
    await retryOutbox(deps, carriers);
    await retryOutbox(deps, carriers);
    expect(jobs.filter((id) => id === message.id)).toHaveLength(1);
    expect(await stored(message)).toMatchObject({ status: 'sent', delivery: { attempts: 2, doneAt: now } });
  });

  it('a reply whose invocation died before sending it is sent by the scheduled retries once the lease has run out, once', async () => {
    const ticketId = await servedTicket('5511966660004');
    // The command commits under a runner that would send after the commit, and the instance dies there.
    const sending = sendingAfterCommit(storeOf(emu.db));
    await executeCommand(commandRegistry, { store: sending.store, clock: deps.clock, newId: deps.newId }, { kind: 'staff', uid: 'ana', name: 'Ana', role: 'agent', sectorIds: ['suporte'], seesAllHistory: false }, 'message.send', {
      ticketId,
      text: 'Alô?',
    });
    const [at] = sending.created();
    const jobs: string[] = [];
    const carriers = { whatsapp: async (job: DeliveryJob): Promise<CarryResult> => (jobs.push(job.message.id), { kind: 'sent', channelMessageId: 'wamid.out.3' }) };
    now += outboxPolicy.leaseMs - 1;
    await retryOutbox(deps, carriers);
    expect(jobs).not.toContain(at!.messageId);
    now += 1;
    await retryOutbox(deps, carriers);
    await retryOutbox(deps, carriers);
    expect(jobs.filter((id) => id === at!.messageId)).toHaveLength(1);
    expect(await stored({ ticketId, id: at!.messageId })).toMatchObject({ status: 'sent', delivery: { attempts: 1, doneAt: now } });
  });

  it('without carriers (the embedded harnesses) the callable leaves the reply pending for the trigger', async () => {
    const ticketId = await servedTicket('5511966660003');
    const { message } = (await handleCommand(deps, { uid: 'ana', token: {} }, { name: 'message.send', input: { ticketId, text: 'Oi' } })) as { message: Message };
    expect(message.delivery).toEqual({ attempts: 0, dueAt: now, doneAt: null, lastError: null });
  });
});

describe("the bot's reply to a webhook", () => {
  it('is sent by the webhook function right after the commit, with two writes of it', async () => {
    const phone = '5511966660005';
    const body = JSON.stringify({
      object: 'whatsapp_business_account',
      entry: [{ id: 'waba', changes: [{ field: 'messages', value: { messaging_product: 'whatsapp', metadata: { display_phone_number: '551140000001', phone_number_id: DEMO_WHATSAPP.numbers[0].phoneNumberId }, contacts: [{ wa_id: phone, profile: { name: 'Rita' } }], messages: [{ from: phone, id: 'wamid.bot.1', timestamp: '1764700000', type: 'text', text: { body: 'Oi' } }] } }] }],
    });
    const signature = `sha256=${createHmac('sha256', DEMO_WHATSAPP.secrets.appSecret).update(body).digest('hex')}`;
    const jobs: DeliveryJob[] = [];
    const carriers = { whatsapp: async (job: DeliveryJob): Promise<CarryResult> => (jobs.push(job), { kind: 'sent', channelMessageId: 'wamid.menu.1' }) };
    meter.writesBy = {};
    meter.on = true;
    const answer = await handleWebhook(deps, { whatsapp: { appSecret: '', verifyToken: '' } }, { method: 'POST', path: '/whatsapp', query: {}, headers: { 'x-hub-signature-256': signature }, rawBody: Buffer.from(body) }, undefined, carriers);
    meter.on = false;
    expect(answer.status).toBe(200);
    // The menu, then the menu's outcome (the customer's line and the "opened" line live in the ticket's copy alone).
    expect(jobs.map((j) => [j.to, j.message.automated, j.message.menu?.length])).toEqual([[phone, true, 2]]);
    expect(meter.writesBy.messages).toBe(2);
    const menu = await stored(jobs[0]!.message);
    expect(menu).toMatchObject({ status: 'sent', delivery: { attempts: 1, dueAt: null } });
    expect(await handleMessageWritten(deps, { ticketId: menu.ticketId, messageId: menu.id }, null, jobs[0]!.message, carriers)).toBe('skipped');
    expect(jobs).toHaveLength(1);
  });
});
