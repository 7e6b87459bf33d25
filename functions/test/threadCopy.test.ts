/**
 * The thread on the ticket (core/src/store/threadLayout.ts): on Firestore a ticket carries a bounded copy of its newest
 * lines, `recent`, written by the functions' store (functions/src/threadCopy.ts) in every commit that creates a line of
 * it, and every later write of a message is marked `revised`, which `messages.revisedOfTicket` answers. Against
 * @firestore-emulator/server, through the real `command` handler and the webhooks' runner, writes counted by the
 * bench's meter.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  addMessage,
  byTime,
  catalogueByName,
  commandRegistry,
  executeCommand,
  newMessage,
  QUEUE,
  queueEntryOf,
  RECENT_LINES,
  SYSTEM,
  type Message,
  type StaffActor,
  type Ticket,
} from '@atende/core';
import { handleCommand, storeOf, type Deps } from '../src/handlers.ts';
import { sendingReplies } from '../src/outbox.ts';
import { queryOf } from '../src/store.ts';
import { acceptingCarriers } from '../../bench/support/acceptingCarrier.ts';
import type { Emulator } from './support/emulator.ts';
import { seededEmulator } from './support/seeded.ts';
import { readStored, storedDocs } from './support/stored.ts';

let emu: Emulator;
let deps: Deps;
let meter: Awaited<ReturnType<typeof seededEmulator>>['meter'];
let now = Date.UTC(2026, 11, 4, 15);
let n = 0;
const carriers = acceptingCarriers();

beforeAll(async () => {
  ({ emu, deps, meter } = await seededEmulator(() => now));
});
afterAll(() => emu.stop());

const as = (uid: string, name: string, input: unknown) => {
  now += 1000;
  return handleCommand(deps, { uid, token: {} }, { name, input }, carriers) as Promise<Record<string, unknown>>;
};
/** A customer's WhatsApp message as the `webhooks` function runs it (the bot's replies sent right after the commit). */
const customer = (phone: string, text: string, channelId = 'whatsapp') => {
  now += 1000;
  return sendingReplies(deps, carriers, (runner) =>
    executeCommand(commandRegistry, runner, SYSTEM, 'inbound.receive', {
      channelId,
      externalId: phone,
      contact: { name: `Cliente ${phone}`, phone },
      channelMessageId: `wamid.thread.${++n}`,
      text,
    }),
  ) as Promise<{ ticketId: string }>;
};
const ticketOf = async (id: string) => (await readStored<Ticket>(emu.db, `tickets/${id}`))!;
/** The thread in its order (the Node emulator does not break createdAt's ties by id as Firestore does). */
const threadOf = async (id: string) => storedDocs<Message>(await emu.db.collection(`tickets/${id}/messages`).get()).sort(byTime);
const ids = (lines: readonly Pick<Message, 'id'>[] | undefined) => (lines ?? []).map((l) => l.id);
const supervisor: StaffActor = { kind: 'staff', uid: 'supervisor', role: 'supervisor', name: 'Supervisor', sectorIds: ['suporte', 'financeiro'], seesAllHistory: false };
/** `messages.revisedOfTicket` as the catalogue targets it, run with the admin SDK. */
const revisedOf = async (ticketId: string) => {
  const entry = catalogueByName.get('messages.revisedOfTicket')!;
  const target = entry.target(entry.params.parse({ ticketId }) as never, supervisor);
  if (target.kind !== 'query') throw new Error('messages.revisedOfTicket is a query');
  return storedDocs<Message>(await queryOf(emu.db, target.spec).get());
};

describe('the thread on the ticket (Ticket.recent)', () => {
  it("is the whole thread through the bench's life while it is served, gone at the close; its writes are the life's 52", async () => {
    meter.writesBy = {};
    meter.writes = 0;
    meter.on = true;
    const { ticketId } = await customer('5511955550001', 'Oi, boa tarde');
    let ticket = await ticketOf(ticketId);
    expect(ticket.status).toBe('bot');
    // The customer's line, the opening line and the bot's menu, as created (the menu's outcome came after: revised).
    expect(ticket.recent?.older).toBeNull();
    expect(ids(ticket.recent?.lines)).toEqual(ids(await threadOf(ticketId)));

    await customer('5511955550001', '1');
    // Waiting: the ticket carries the copy, its queue entry does not.
    ticket = await ticketOf(ticketId);
    expect(ticket.status).toBe('waiting');
    expect(ticket.recent?.lines.length).toBeGreaterThan(0);
    const entry = await readStored<Ticket>(emu.db, `${QUEUE}/${ticketId}`);
    expect(entry).toBeDefined();
    expect(entry).not.toHaveProperty('recent');
    expect(entry).toEqual(queueEntryOf(ticket));

    await as('ana', 'ticket.accept', { ticketId });
    for (let i = 1; i <= 5; i++) {
      await customer('5511955550001', `Mensagem ${i} do cliente`);
      await as('ana', 'message.send', { ticketId, text: `Resposta ${i} da Ana`, attachments: [], clientId: `thread-${i}` });
    }
    await as('ana', 'ticket.transfer', { ticketId, assigneeId: 'carla' });
    ticket = await ticketOf(ticketId);
    const thread = await threadOf(ticketId);
    expect(thread.length).toBeLessThanOrEqual(RECENT_LINES.max);
    expect(ticket.recent?.older).toBeNull();
    expect(ids(ticket.recent?.lines)).toEqual(ids(thread));
    // Every reply as it was created (pending); its outcome is heard apart: the thread's copy says sent and revised.
    const replies = thread.filter((m) => m.direction === 'out');
    expect(replies).toHaveLength(6);
    expect(replies.every((m) => m.status === 'sent' && m.revised === true)).toBe(true);
    expect(ticket.recent?.lines.filter((m) => m.direction === 'out').every((m) => m.status === 'pending' && m.revised === undefined)).toBe(true);

    // Its weight on every change of the ticket: within the bound, counted as the copy's JSON.
    expect(Buffer.byteLength(JSON.stringify(ticket.recent?.lines))).toBeLessThanOrEqual(RECENT_LINES.maxBytes);
    await as('carla', 'ticket.close', { ticketId, classificationId: 'duvida' });
    meter.on = false;
    expect((await ticketOf(ticketId)).status).toBe('closed');
    expect((await ticketOf(ticketId)).recent).toBeNull();
    // bench/firestore.ts's life, counted the same way: the copy rides on the ticket writes the life makes anyway.
    expect(meter.writesBy.tickets).toBe(15);
    expect(meter.writes).toBe(52);
  });

  it('an outcome marks the reply revised and messages.revisedOfTicket returns it; new lines are not revised', async () => {
    const { ticketId } = await customer('5511955550002', 'Preciso de ajuda', 'whatsapp-suporte');
    await as('ana', 'ticket.accept', { ticketId });
    expect(await revisedOf(ticketId)).toEqual([]);
    const { message } = (await as('ana', 'message.send', { ticketId, text: 'Olá!', attachments: [], clientId: 'rev-1' })) as { message: Message };
    const revised = await revisedOf(ticketId);
    expect(revised.map((m) => [m.id, m.status, m.revised])).toEqual([[message.id, 'sent', true]]);
    // A reaction of the customer to it changes it again (its ticket is not written): still that one line, as it is now.
    now += 1000;
    await executeCommand(commandRegistry, { store: storeOf(emu.db), clock: deps.clock, newId: deps.newId }, SYSTEM, 'inbound.react', {
      channelId: 'whatsapp-suporte',
      targetChannelMessageId: revised[0]!.channelMessageId!,
      emoji: '👍',
    });
    const after = await revisedOf(ticketId);
    expect(after.map((m) => [m.id, m.reactions?.[0]?.emoji])).toEqual([[message.id, '👍']]);
    expect((await threadOf(ticketId)).filter((m) => m.revised).map((m) => m.id)).toEqual([message.id]);
  });

  it('trims at the bound, oldest first, with older = createdAt of the newest line dropped', async () => {
    const { ticketId } = await customer('5511955550003', 'Vou escrever muito', 'whatsapp-suporte');
    const { contactId } = await ticketOf(ticketId);
    // A long thread at once (written around the commands: the store writes the ticket for the copy), then one more line by a command.
    await storeOf(emu.db).transaction(async (tx) => {
      for (let i = 0; i < RECENT_LINES.max; i++)
        addMessage(tx, newMessage({ id: `long-${String(i).padStart(2, '0')}`, ticketId, contactId, direction: 'in', createdAt: ++now, text: `linha ${i}` }));
    });
    await customer('5511955550003', 'e mais uma', 'whatsapp-suporte');
    const ticket = await ticketOf(ticketId);
    const thread = await threadOf(ticketId);
    const kept = thread.slice(-RECENT_LINES.max);
    expect(thread.length).toBeGreaterThan(RECENT_LINES.max);
    expect(ids(ticket.recent?.lines)).toEqual(ids(kept));
    expect(ticket.recent?.older).toBe(thread[thread.length - RECENT_LINES.max - 1]!.createdAt);
    // Stored as Firestore timestamps, like every time of the ticket.
    const raw = (await emu.db.doc(`tickets/${ticketId}`).get()).data()!;
    const rawRecent = raw.recent as { older: unknown; lines: { createdAt: unknown }[] };
    expect(rawRecent.older).toHaveProperty('toMillis');
    expect(rawRecent.lines[0]!.createdAt).toHaveProperty('toMillis');
  });

  it('lines created without their ticket being written still reach the copy, and move its updatedAt', async () => {
    const { ticketId } = await customer('5511955550004', 'Oi', 'whatsapp-suporte');
    const before = await ticketOf(ticketId);
    now += 1000;
    const line = newMessage({ id: `direct-${now}`, ticketId, contactId: before.contactId, direction: 'system', createdAt: now, text: 'escrita direta' });
    await storeOf(emu.db).transaction(async (tx) => addMessage(tx, line));
    const after = await ticketOf(ticketId);
    expect(ids(after.recent?.lines)).toEqual([...ids(before.recent?.lines), line.id]);
    expect(after.updatedAt).toBe(now);
    // A line of a ticket that does not exist writes no ticket.
    await storeOf(emu.db).transaction(async (tx) => addMessage(tx, { ...line, id: 'orphan', ticketId: 'no-such-ticket' }));
    expect(await readStored(emu.db, 'tickets/no-such-ticket')).toBeUndefined();
  });

  it('a ticket stored before the copy (or reopened after a close) starts one at its next line, older = its last write', async () => {
    const { ticketId } = await customer('5511955550005', 'Oi', 'whatsapp-suporte');
    await as('ana', 'ticket.accept', { ticketId });
    await as('ana', 'ticket.close', { ticketId, classificationId: 'duvida' });
    const closed = await ticketOf(ticketId);
    expect(closed.recent).toBeNull();
    await as('ana', 'ticket.reopen', { ticketId });
    const reopened = await ticketOf(ticketId);
    const last = (await threadOf(ticketId)).at(-1)!;
    expect(last.event?.kind).toBe('reopened');
    expect(reopened.recent).toEqual({ lines: [last], older: closed.updatedAt });
  });
});
