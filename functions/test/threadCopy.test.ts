/**
 * The thread on the ticket (core/src/store/threadLayout.ts): on Firestore a ticket carries a bounded copy of its newest
 * lines, `recent`, written by the functions' store (functions/src/threadCopy.ts) in every commit that creates a line of
 * it. The kinds `livesInCopy` names (system lines) live there alone until a later commit drops them and writes their
 * document; every later write of a message document is marked `revised`, which `messages.revisedOfTicket` answers.
 * Against @firestore-emulator/server, through the real `command` handler and the webhooks' runner, writes counted by
 * the bench's meter.
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
  type QuerySpec,
  type StaffActor,
  type Ticket,
} from '@atende/core';
import { handleCommand, storeOf, type Deps } from '../src/handlers.ts';
import { sendingReplies } from '../src/outbox.ts';
import { queryOf, toFirestore } from '../src/store.ts';
import { acceptingCarriers } from '../../bench/support/acceptingCarrier.ts';
import type { Emulator } from './support/emulator.ts';
import { seededEmulator } from './support/seeded.ts';
import { readStored, storedDocs, writeStored } from './support/stored.ts';

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
/** The thread's documents in their order (the Node emulator does not break createdAt's ties by id as Firestore does). */
const docsOf = async (id: string) => storedDocs<Message>(await emu.db.collection(`tickets/${id}/messages`).get()).sort(byTime);
/** A catalogue query's spec, as the supervisor's. */
const specOf = (name: string, params: Record<string, unknown>) => {
  const entry = catalogueByName.get(name)!;
  const target = entry.target(entry.params.parse(params) as never, supervisor);
  if (target.kind !== 'query') throw new Error(`${name} is a query`);
  return target.spec as QuerySpec<'messages'>;
};
/** The whole thread as the functions' store reads it (`messages.ofTicket`): documents and the lines the copy holds alone. */
const threadOf = async (id: string) => (await storeOf(emu.db).transaction((tx) => tx.query(specOf('messages.ofTicket', { ticketId: id, limit: 500 })))).sort(byTime);
const ids = (lines: readonly Pick<Message, 'id'>[] | undefined) => (lines ?? []).map((l) => l.id);
const supervisor: StaffActor = { kind: 'staff', uid: 'supervisor', role: 'supervisor', name: 'Supervisor', sectorIds: ['suporte', 'financeiro'], seesAllHistory: false };
/** `messages.revisedOfTicket` as the catalogue targets it, run with the admin SDK. */
const revisedOf = async (ticketId: string) => storedDocs<Message>(await queryOf(emu.db, specOf('messages.revisedOfTicket', { ticketId })).get());
const system = (id: string, ticketId: string, contactId: string, text = '') => newMessage({ id, ticketId, contactId, direction: 'system', createdAt: ++now, text });

describe('the thread on the ticket (Ticket.recent)', () => {
  it("holds the bench's life whole, system and customer lines alone, and keeps it at the close; the life writes 40 (52 with those lines as documents)", async () => {
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
    // System and customer lines (WhatsApp) have no document; the replies have theirs. The copy names the customer lines' keys.
    expect(ids(await docsOf(ticketId))).toEqual(ids(thread.filter((m) => m.direction === 'out')));
    expect(ticket.recent?.stored).toEqual(ids(thread.filter((m) => m.direction === 'out')));
    expect(ticket.recentKeys).toEqual(thread.filter((m) => m.direction === 'in').flatMap((m) => m.providerKeys ?? []));
    expect(ticket.recentKeys).toHaveLength(7);
    // Every reply as it was created (pending); its outcome is heard apart: the thread's document says sent and revised.
    const replies = thread.filter((m) => m.direction === 'out');
    expect(replies).toHaveLength(6);
    expect(replies.every((m) => m.status === 'sent' && m.revised === true)).toBe(true);
    expect(ticket.recent?.lines.filter((m) => m.direction === 'out').every((m) => m.status === 'pending' && m.revised === undefined)).toBe(true);

    // Its weight on every change of the ticket: within the bound, counted as the copy's JSON.
    expect(Buffer.byteLength(JSON.stringify(ticket.recent?.lines))).toBeLessThanOrEqual(RECENT_LINES.maxBytes);
    await as('carla', 'ticket.close', { ticketId, classificationId: 'duvida' });
    meter.on = false;
    const closed = await ticketOf(ticketId);
    expect(closed.status).toBe('closed');
    // A closed ticket keeps its copy, and its thread reads back whole and in order: the close line last.
    const whole = await threadOf(ticketId);
    expect(ids(closed.recent?.lines)).toEqual(ids(whole));
    expect(whole.at(-1)?.event?.kind).toBe('closed');
    expect(whole.length).toBe(18);
    expect(whole.filter((m) => m.direction === 'system').length).toBe(5);
    expect(whole.filter((m) => m.direction === 'in').length).toBe(7);
    expect([...whole].sort(byTime)).toEqual(whole);
    // bench/firestore.ts's life, counted the same way: the copy rides on the ticket writes the life makes anyway.
    expect(meter.writesBy.tickets).toBe(15);
    expect(meter.writesBy.messages).toBe(12);
    expect(meter.writes).toBe(40);
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
    expect((await docsOf(ticketId)).filter((m) => m.revised).map((m) => m.id)).toEqual([message.id]);
  });

  it('trims at the bound, oldest first, with older = createdAt of the newest line dropped; a dropped system line is written as its document then', async () => {
    const { ticketId } = await customer('5511955550003', 'Vou escrever muito', 'whatsapp-suporte');
    const { contactId } = await ticketOf(ticketId);
    // A long thread at once (written around the commands: the store writes the ticket for the copy), then one more line by a command.
    await storeOf(emu.db).transaction(async (tx) => {
      for (let i = 0; i < RECENT_LINES.max; i++) addMessage(tx, system(`long-${String(i).padStart(2, '0')}`, ticketId, contactId, `linha ${i}`));
    });
    // All in the copy, none a document yet; the copy held the first lines, which had documents: nothing of them is written again.
    expect(ids(await docsOf(ticketId)).filter((id) => id.startsWith('long-'))).toEqual([]);
    await customer('5511955550003', 'e mais uma', 'whatsapp-suporte');
    const ticket = await ticketOf(ticketId);
    const thread = await threadOf(ticketId);
    const kept = thread.slice(-RECENT_LINES.max);
    expect(thread.length).toBeGreaterThan(RECENT_LINES.max);
    expect(ids(ticket.recent?.lines)).toEqual(ids(kept));
    expect(ticket.recent?.older).toBe(thread[thread.length - RECENT_LINES.max - 1]!.createdAt);
    // The documents hold every line at or before `older`, the dropped system line included, as it was.
    const docs = await docsOf(ticketId);
    expect(ids(docs.filter((m) => m.createdAt <= ticket.recent!.older!))).toEqual(ids(thread.slice(0, thread.length - RECENT_LINES.max)));
    expect(docs.find((m) => m.id === 'long-00')).toMatchObject({ text: 'linha 0', direction: 'system' });
    expect(docs.some((m) => m.id === 'long-05')).toBe(false);
    // Stored as Firestore timestamps, like every time of the ticket.
    const raw = (await emu.db.doc(`tickets/${ticketId}`).get()).data()!;
    const rawRecent = raw.recent as { older: unknown; lines: { createdAt: unknown }[] };
    expect(rawRecent.older).toHaveProperty('toMillis');
    expect(rawRecent.lines[0]!.createdAt).toHaveProperty('toMillis');
  });

  it('a later write of a line that lives in the copy rewrites it there: one ticket write, no document, read back by the store', async () => {
    const { ticketId } = await customer('5511955550006', 'Oi', 'whatsapp-suporte');
    const { contactId } = await ticketOf(ticketId);
    const line = system(`edit-${now}`, ticketId, contactId, 'antes');
    await storeOf(emu.db).transaction(async (tx) => addMessage(tx, line));
    const ref = { collection: 'messages' as const, id: line.id, parentId: ticketId };
    // Read (the ticket not read first: the document is missing, then the copy) and updated.
    meter.writesBy = {};
    meter.writes = 0;
    meter.on = true;
    await storeOf(emu.db).transaction(async (tx) => {
      expect(await tx.get(ref)).toEqual(line);
      tx.update(ref, { text: 'depois' });
    });
    // Updated without a read, the ticket read first: the same.
    await storeOf(emu.db).transaction(async (tx) => {
      await tx.get({ collection: 'tickets', id: ticketId });
      expect((await tx.get(ref))?.text).toBe('depois');
      tx.update(ref, { reactions: [{ emoji: '👍', by: 'customer', at: now }] });
    });
    // Updated blind (neither read nor created here): first committed to its document, which fails, then to the copy.
    await storeOf(emu.db).transaction(async (tx) => tx.update(ref, { deletedAt: now }));
    meter.on = false;
    // (The meter counts the failed commit's message too; Firestore bills none.)
    expect(meter.writesBy.tickets).toBe(3);
    expect(await readStored(emu.db, `tickets/${ticketId}/messages/${line.id}`)).toBeUndefined();
    const held = (await ticketOf(ticketId)).recent?.lines.find((l) => l.id === line.id);
    expect(held).toMatchObject({ text: 'depois', reactions: [{ emoji: '👍' }], deletedAt: now });
    expect(held?.revised).toBeUndefined();
    expect((await threadOf(ticketId)).find((l) => l.id === line.id)).toEqual(held);
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
    // A line of a ticket that does not exist writes no ticket: it is a document, as it was.
    await storeOf(emu.db).transaction(async (tx) => addMessage(tx, { ...line, id: 'orphan', ticketId: 'no-such-ticket' }));
    expect(await readStored(emu.db, 'tickets/no-such-ticket')).toBeUndefined();
    expect(await readStored(emu.db, 'tickets/no-such-ticket/messages/orphan')).toMatchObject({ text: 'escrita direta' });
  });

  it('a ticket stored before: its lines in documents and in the copy read once; without a copy it starts one at its next line', async () => {
    const { ticketId } = await customer('5511955550005', 'Oi', 'whatsapp-suporte');
    await as('ana', 'ticket.accept', { ticketId });
    const { contactId, updatedAt } = await ticketOf(ticketId);
    // As a ticket of before: every line of its copy also a document, no `stored`.
    const legacy = [system('legacy-1', ticketId, contactId, 'velha'), system('legacy-2', ticketId, contactId, 'velha')];
    const copy = { lines: [...(await threadOf(ticketId)), ...legacy], older: null };
    for (const l of copy.lines) await writeStored(emu.db, `tickets/${ticketId}/messages/${l.id}`, l);
    await emu.db.doc(`tickets/${ticketId}`).update({ recent: toFirestore('tickets', { recent: copy }).recent });
    const thread = await threadOf(ticketId);
    expect(ids(thread)).toEqual(ids(copy.lines));
    // Its next line lives in the copy alone; the old ones are named stored, so a read finds their documents.
    await as('ana', 'ticket.close', { ticketId, classificationId: 'duvida' });
    const closed = await ticketOf(ticketId);
    expect(closed.recent?.stored).toEqual(ids(copy.lines));
    expect(ids(await threadOf(ticketId))).toEqual([...ids(copy.lines), closed.recent!.lines.at(-1)!.id]);
    expect(closed.recent!.lines.at(-1)?.event?.kind).toBe('closed');
    // Without a copy (closed before closed tickets kept it): the next line starts one, older = its last write.
    await emu.db.doc(`tickets/${ticketId}`).update({ recent: null });
    await as('ana', 'ticket.reopen', { ticketId });
    const reopened = await ticketOf(ticketId);
    const whole = await threadOf(ticketId);
    const last = whole.at(-1)!;
    expect(last.event?.kind).toBe('reopened');
    expect(reopened.recent).toEqual({ lines: [last], older: closed.updatedAt, stored: [] });
    expect(updatedAt).toBeLessThan(closed.updatedAt);
    // The close line lived in the copy that was taken away: gone with it (a hand edit); everything else reads once.
    expect(new Set(ids(whole)).size).toBe(whole.length);
  });
});
