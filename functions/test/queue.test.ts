/**
 * Esperando's entries on Firestore (`queue/{ticketId}`, core/src/store/queueLayout.ts): a waiting ticket's entry is
 * the ticket as stored, written by the ticket's own transaction while it waits and deleted by the one in which it stops
 * waiting — a deleted document costs the consoles' listeners no read, one that changed out of their query does.
 * Against @firestore-emulator/server, through the real `command` handler; deletes counted by the bench's meter.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commandRegistry, executeCommand, QUEUE, queueEntryOf, refs, SYSTEM, type Ticket } from '@atende/core';
import { handleAutomationTick, handleCommand, storeOf, type Deps } from '../src/handlers.ts';
import { backfillQueue, forgetQueueMark, QUEUE_MARK } from '../src/queueBackfill.ts';
import type { Emulator } from './support/emulator.ts';
import { seededEmulator } from './support/seeded.ts';
import { readStored } from './support/stored.ts';

let emu: Emulator;
let deps: Deps;
let meter: Awaited<ReturnType<typeof seededEmulator>>['meter'];
let now = Date.UTC(2026, 11, 4, 14);
let n = 0;

beforeAll(async () => {
  ({ emu, deps, meter } = await seededEmulator(() => now));
});
afterAll(() => emu.stop());

const as = (uid: string, name: string, input: unknown) => handleCommand(deps, { uid, token: {} }, { name, input }) as Promise<Record<string, unknown>>;
/** A customer's WhatsApp message (the `whatsapp` number has the bot's menu; `whatsapp-suporte` queues in Suporte). */
const customer = (phone: string, text: string, channelId = 'whatsapp-suporte') => {
  now += 1000;
  return executeCommand(commandRegistry, { store: storeOf(emu.db), clock: deps.clock, newId: deps.newId }, SYSTEM, 'inbound.receive', {
    channelId,
    externalId: phone,
    contact: { name: `Cliente ${phone}`, phone },
    channelMessageId: `wamid.queue.${++n}`,
    text,
  }) as Promise<{ ticketId: string }>;
};
const ticketOf = async (id: string) => (await readStored<Ticket>(emu.db, `tickets/${id}`))!;
/** What a waiting ticket's entry holds: the ticket without its copy of the thread (core's queueEntryOf). */
const entryFor = async (id: string) => queueEntryOf(await ticketOf(id));
const entryOf = (id: string) => readStored<Ticket>(emu.db, `${QUEUE}/${id}`);
/** The queue's deletes while `step` runs. */
const deletesOf = async (step: () => Promise<unknown>): Promise<number> => {
  meter.on = true;
  const before = meter.deletesBy[QUEUE] ?? 0;
  try {
    await step();
  } finally {
    meter.on = false;
  }
  return (meter.deletesBy[QUEUE] ?? 0) - before;
};

describe('queue entries (queue/{ticketId})', () => {
  it('are the ticket while it waits: none at the bot, written when routed to the queue, rewritten by each change', async () => {
    const { ticketId } = await customer('5511900000101', 'Oi', 'whatsapp');
    expect((await ticketOf(ticketId)).status).toBe('bot');
    expect(await entryOf(ticketId)).toBeUndefined();

    await customer('5511900000101', '1', 'whatsapp');
    expect((await ticketOf(ticketId)).status).toBe('waiting');
    expect(await entryOf(ticketId)).toEqual(await entryFor(ticketId));

    await customer('5511900000101', 'Ainda estou esperando', 'whatsapp');
    const entry = await entryOf(ticketId);
    expect(entry?.lastMessage?.text).toBe('Ainda estou esperando');
    expect(entry).toEqual(await entryFor(ticketId));
  });

  it('is deleted, once, by the transaction in which the ticket is accepted; closing it later deletes nothing', async () => {
    const { ticketId } = await customer('5511900000102', 'Preciso de ajuda');
    expect(await entryOf(ticketId)).toBeDefined();
    expect(await deletesOf(() => as('ana', 'ticket.accept', { ticketId }))).toBe(1);
    expect(await entryOf(ticketId)).toBeUndefined();
    // No longer waiting before: no delete of nothing (Firestore bills those too).
    expect(await deletesOf(() => as('ana', 'message.send', { ticketId, text: 'Olá!', attachments: [], clientId: 'q-1' }))).toBe(0);
    expect(await deletesOf(() => as('ana', 'ticket.close', { ticketId, classificationId: 'duvida' }))).toBe(0);
  });

  it('is deleted when a waiting ticket is closed or transferred to an agent, and comes back when it returns to the queue', async () => {
    const closed = await customer('5511900000103', 'Vou desistir');
    expect(await deletesOf(() => as('supervisor', 'ticket.close', { ticketId: closed.ticketId, classificationId: 'duvida' }))).toBe(1);
    expect(await entryOf(closed.ticketId)).toBeUndefined();

    const toCarla = await customer('5511900000104', 'Quero falar com a Carla');
    expect(await deletesOf(() => as('ana', 'ticket.transfer', { ticketId: toCarla.ticketId, assigneeId: 'carla' }))).toBe(1);
    expect(await ticketOf(toCarla.ticketId)).toMatchObject({ status: 'open', assigneeId: 'carla' });
    expect(await entryOf(toCarla.ticketId)).toBeUndefined();

    now += 1000;
    await as('carla', 'ticket.returnToQueue', { ticketId: toCarla.ticketId });
    expect(await entryOf(toCarla.ticketId)).toEqual(await entryFor(toCarla.ticketId));
  });

  it("moves with a waiting ticket transferred to another sector's queue (one entry, the new sector's)", async () => {
    const { ticketId } = await customer('5511900000105', 'É sobre a minha fatura');
    expect((await entryOf(ticketId))?.sectorId).toBe('suporte');
    now += 1000;
    expect(await deletesOf(() => as('ana', 'ticket.transfer', { ticketId, sectorId: 'financeiro' }))).toBe(0);
    const entry = await entryOf(ticketId);
    expect(entry).toMatchObject({ status: 'waiting', sectorId: 'financeiro' });
    expect(entry).toEqual(await entryFor(ticketId));
  });

  it('follows a ticket written without being read in its transaction, and goes with a deleted waiting ticket', async () => {
    const { ticketId } = await customer('5511900000106', 'Oi de novo');
    await storeOf(emu.db).transaction(async (tx) => tx.update(refs.ticket(ticketId), { lastMessageAt: now + 5, updatedAt: now + 5 }));
    expect((await entryOf(ticketId))?.lastMessageAt).toBe(now + 5);
    await storeOf(emu.db).transaction(async (tx) => tx.delete(refs.ticket(ticketId)));
    expect(await entryOf(ticketId)).toBeUndefined();
  });

  it('a stale entry (the ticket edited by hand in the console) breaks nothing: accepting it is refused in words', async () => {
    const { ticketId } = await customer('5511900000107', 'Alguém edita meu ticket à mão');
    await emu.db.doc(`tickets/${ticketId}`).update({ status: 'open', assigneeId: 'carla', assigneeName: 'Carla' });
    expect((await entryOf(ticketId))?.status).toBe('waiting');
    await expect(as('ana', 'ticket.accept', { ticketId })).rejects.toMatchObject({ code: 'failed-precondition' });
    // Its next write leaves the entry where it is (the ticket was not waiting as read): docs/firebase.md says to delete it by hand.
    await as('carla', 'ticket.close', { ticketId, classificationId: 'duvida' });
    expect(await entryOf(ticketId)).toBeDefined();
  });
});

describe('the upgrade: waiting tickets stored before the entries', () => {
  it('gets their entries from the scheduled tick, once, and the mark; a later tick reads only the mark', async () => {
    const a = await customer('5511900000201', 'Esperando desde antes');
    const b = await customer('5511900000202', 'Eu também');
    const served = await customer('5511900000203', 'Eu já fui atendido');
    await as('ana', 'ticket.accept', { ticketId: served.ticketId });
    // As a project deployed before the entries: waiting tickets without one, no mark.
    const waiting = (await emu.db.collection('tickets').where('status', '==', 'waiting').get()).docs.map((d) => d.id);
    await Promise.all(waiting.map((id) => emu.db.doc(`${QUEUE}/${id}`).delete()));
    await emu.db.doc(QUEUE_MARK).delete();
    forgetQueueMark();

    const first = await handleAutomationTick(deps);
    expect(first.queueBackfilled).toBe(waiting.length);
    for (const id of [a.ticketId, b.ticketId]) expect(await entryOf(id)).toEqual(await entryFor(id));
    expect(await entryOf(served.ticketId)).toBeUndefined();
    expect((await emu.db.doc(QUEUE_MARK).get()).data()).toMatchObject({ entries: waiting.length });

    // Done: another instance reads the mark and stops there; this one does not even read it.
    forgetQueueMark();
    await emu.db.doc(`${QUEUE}/${a.ticketId}`).delete();
    expect(await backfillQueue(emu.db)).toBeNull();
    expect(await entryOf(a.ticketId)).toBeUndefined();
    expect((await handleAutomationTick(deps)).queueBackfilled).toBeUndefined();
  });

  it('writes only the entries missing, a chunk at a time, and none for a ticket that stopped waiting', async () => {
    const ids = [];
    for (let i = 0; i < 5; i++) ids.push((await customer(`551190000030${i}`, `Cliente ${i}`)).ticketId);
    const kept = (await emu.db.doc(`${QUEUE}/${ids[0]}`).get()).updateTime!;
    for (const id of ids.slice(1)) await emu.db.doc(`${QUEUE}/${id}`).delete();
    await emu.db.doc(QUEUE_MARK).delete();
    forgetQueueMark();
    const waiting = (await emu.db.collection('tickets').where('status', '==', 'waiting').get()).docs.map((d) => d.id);
    const missing = (await Promise.all(waiting.map((id) => emu.db.doc(`${QUEUE}/${id}`).get()))).filter((s) => !s.exists).length;
    // Four of these and any other waiting ticket left without one above.
    expect(missing).toBeGreaterThanOrEqual(4);
    expect(await backfillQueue(emu.db, 2)).toBe(missing);
    for (const id of ids) expect(await entryOf(id)).toEqual(await entryFor(id));
    expect((await emu.db.doc(`${QUEUE}/${ids[0]}`).get()).updateTime!.isEqual(kept)).toBe(true);
  });
});
