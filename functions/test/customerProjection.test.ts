/**
 * The customer's projection of a web-chat ticket on Firebase (issue 10):
 * `customerTickets/{id}`, core's customerTicketView, written by the
 * FirestoreStore in the ticket's own transaction, so the rules can let the
 * customer read that and never the ticket with its internal fields. Against
 * @firestore-emulator/server, through the real `command` handler.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commandRegistry, createIdGenerator, CUSTOMER_TICKETS, customerTicketView, executeCommand, refs, seedDemo, SYSTEM, type Ticket } from '@atende/core';
import { handleCommand, storeOf, type Deps } from '../src/handlers.ts';
import { MemoryAuth } from '../../conformance/firestore.ts';
import { startEmulator, type Emulator } from './support/emulator.ts';
import { readStored } from './support/stored.ts';
import { fromFirestore } from '../src/store.ts';
import type { DocumentSnapshot } from 'firebase-admin/firestore';

let emu: Emulator;
let deps: Deps;
let now = Date.UTC(2026, 11, 2, 14);
let n = 0;

// `recent`: the ticket's copy of its thread (core/src/store/threadLayout.ts), staff lines included.
const INTERNAL = ['assigneeId', 'sectorId', 'tagIds', 'classificationId', 'closedBy', 'unread', 'queuedAt', 'acceptedAt', 'recent'];

const asStaff = (uid: string, name: string, input: unknown) => handleCommand(deps, { uid, token: {} }, { name, input }) as Promise<Record<string, unknown>>;
const inbound = (channelId: string, externalId: string, text: string) =>
  executeCommand(commandRegistry, { store: storeOf(deps.db), clock: deps.clock, newId: deps.newId }, SYSTEM, 'inbound.receive', {
    channelId,
    externalId,
    contact: { name: `Visitante ${externalId}` },
    channelMessageId: `${externalId}-${++n}`,
    text,
  }) as Promise<{ ticketId: string }>;
const ticketOf = async (id: string) => (await readStored<Ticket>(emu.db, `tickets/${id}`))!;
/** A projection as the widget reads it (times in ms). */
const viewOf = (snap: DocumentSnapshot) => fromFirestore(CUSTOMER_TICKETS, snap.data()!);
const projectionOf = (id: string) => emu.db.doc(`${CUSTOMER_TICKETS}/${id}`).get();

beforeAll(async () => {
  emu = await startEmulator();
  deps = { db: emu.db, auth: new MemoryAuth(), clock: () => now, newId: createIdGenerator(() => now) };
  await seedDemo({ store: storeOf(emu.db), clock: deps.clock, newId: deps.newId });
});
afterAll(() => emu.stop());

describe('customer projection of web-chat tickets (customerTickets/{id})', () => {
  it('is written with the ticket, equals core customerTicketView, and carries nothing internal through its life', async () => {
    const { ticketId } = await inbound('site', 'visitor-proj-1', 'Olá, preciso de ajuda');
    const check = async () => {
      const [ticket, projection] = await Promise.all([ticketOf(ticketId), projectionOf(ticketId)]);
      expect(projection.exists).toBe(true);
      expect(viewOf(projection)).toEqual(customerTicketView(ticket));
      for (const field of INTERNAL) expect(projection.data()).not.toHaveProperty(field);
      return { ticket, projection: viewOf(projection) };
    };
    expect((await check()).projection).toMatchObject({ id: ticketId, channelId: 'site', channelType: 'webchat' });

    // Into a sector and accepted by Ana: the customer sees the status and her name, not her id nor the sector.
    if ((await ticketOf(ticketId)).status === 'bot') await asStaff('ana', 'ticket.transfer', { ticketId, sectorId: 'suporte' });
    now += 1000;
    await asStaff('ana', 'ticket.accept', { ticketId });
    const served = await check();
    expect(served.projection).toMatchObject({ status: 'open', assigneeName: expect.stringMatching(/^Ana/) });
    // The ticket Ana serves carries its thread's copy; the customer's projection never does.
    expect(served.ticket.recent?.lines.length).toBeGreaterThan(0);

    // Tagging is internal: the projection is not rewritten at all.
    const before = (await projectionOf(ticketId)).updateTime!;
    now += 1000;
    await asStaff('ana', 'ticket.setTags', { ticketId, tagIds: ['vip'] });
    expect((await ticketOf(ticketId)).tagIds).toEqual(['vip']);
    expect((await projectionOf(ticketId)).updateTime!.isEqual(before)).toBe(true);

    now += 1000;
    await asStaff('ana', 'ticket.close', { ticketId, classificationId: 'duvida' });
    const closed = await check();
    expect(closed.ticket).toMatchObject({ status: 'closed', closedBy: 'ana', classificationId: 'duvida' });
    expect(closed.projection).toMatchObject({ status: 'closed', closedAt: now });
  });

  it('is not written for tickets of channels whose customers have no account (WhatsApp)', async () => {
    const { ticketId } = await inbound('whatsapp', '5511999990001', 'Oi pelo WhatsApp');
    expect((await ticketOf(ticketId)).channelType).toBe('whatsapp');
    expect((await projectionOf(ticketId)).exists).toBe(false);
  });

  it('follows a patch of a ticket the transaction did not read, and goes with a deleted ticket', async () => {
    const { ticketId } = await inbound('site', 'visitor-proj-2', 'Outra conversa');
    await storeOf(emu.db).transaction(async (tx) => tx.update(refs.ticket(ticketId), { lastMessageAt: now + 5, updatedAt: now + 5 }));
    expect(viewOf(await projectionOf(ticketId))).toMatchObject({ lastMessageAt: now + 5, contactId: (await ticketOf(ticketId)).contactId });
    await storeOf(emu.db).transaction(async (tx) => tx.delete(refs.ticket(ticketId)));
    expect((await projectionOf(ticketId)).exists).toBe(false);
  });
  it('is written when its customer comes back for a ticket from before projections existed (an upgrade), and only the missing ones', async () => {
    const visitor = { uid: 'anon-upgrade', token: { firebase: { sign_in_provider: 'anonymous' } } };
    const resume = () => handleCommand(deps, visitor, { name: 'widget.session', input: { channelId: 'site', name: 'Visitante antigo' } }) as Promise<{ contactId: string }>;
    const { contactId } = await resume();
    const { ticketId } = await inbound('site', 'anon-upgrade', 'Conversa de antes da atualização');
    expect((await ticketOf(ticketId)).contactId).toBe(contactId);
    // Someone else's ticket without its projection stays as it is: a visitor writes only their own.
    const other = await inbound('site', 'visitor-proj-3', 'Outra pessoa');
    await emu.db.doc(`${CUSTOMER_TICKETS}/${ticketId}`).delete();
    await emu.db.doc(`${CUSTOMER_TICKETS}/${other.ticketId}`).delete();

    await resume();
    const restored = await projectionOf(ticketId);
    expect(restored.exists).toBe(true);
    expect(viewOf(restored)).toEqual(customerTicketView(await ticketOf(ticketId)));
    expect((await projectionOf(other.ticketId)).exists).toBe(false);

    // Coming back again rewrites nothing.
    await resume();
    expect((await projectionOf(ticketId)).updateTime!.isEqual(restored.updateTime!)).toBe(true);
  });
});
