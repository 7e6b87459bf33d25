import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Ticket } from '@atende/core';
import { Timestamp } from 'firebase-admin/firestore';
import { Live } from '../../conformance/suite.ts';
import { firestoreHarness, type FirestoreHarness } from '../../conformance/firestore.ts';
import { handleFileRequest } from '../src/handlers.ts';
import type { Backend } from '../../web/src/backend/types.ts';
import { followCatalogues } from '../../web/src/live/catalogues.ts';
import { VERSIONED_CATALOGUES } from '../../web/src/live/consolePlan.ts';

/** What only the Firebase driver does: claims refresh, the outbox trigger's effect seen live, sign-out. */
let h: FirestoreHarness;
let admin: Backend;
let bruno: Backend;
const stops: (() => void)[] = [];
beforeAll(async () => {
  h = await firestoreHarness();
  admin = await h.signIn('admin@atende.local');
  bruno = await h.signIn('bruno@atende.local');
});
afterAll(async () => {
  for (const stop of stops) stop();
  await h.close();
});

describe('Firebase driver', () => {
  it("reads the signed-in user's document over Firestore's REST API with the ID token (the first screen does not wait for the Firestore SDK)", async () => {
    const reads = h.firestoreRest.requests.filter((r) => r.method === 'GET' && r.path.endsWith('/documents/users/carla'));
    expect(reads).toEqual([]);
    const carla = await h.signIn('carla@atende.local');
    const now = h.firestoreRest.requests.filter((r) => r.method === 'GET' && r.path.endsWith('/documents/users/carla'));
    expect(now).toHaveLength(1);
    // An ID token whose subject is Carla (what Firestore's rules check).
    const payload = JSON.parse(Buffer.from(now[0]!.token!.split('.')[1]!, 'base64url').toString()) as { sub: string; role?: string };
    expect(payload).toMatchObject({ sub: 'carla', role: 'agent' });
    // The listeners (on the SDK, loaded meanwhile) work as before.
    const mine = new Live(carla, 'tickets.mine', {});
    await mine.ready();
    expect(mine.error).toBeNull();
    mine.stop();
    await carla.signOut();
  });

  it('after a claims change refreshes the token and reads with the new rights; when rights are taken away the session ends', async () => {
    const financeiro = new Live(bruno, 'tickets.waiting', { sectorIds: ['financeiro'] });
    await financeiro.ready();
    expect(financeiro.error).toBeNull();
    const queueOf = async (sectorId: string) => {
      const live = new Live(bruno, 'tickets.waiting', { sectorIds: [sectorId] });
      await live.ready();
      live.stop();
      return live.error;
    };
    expect((await queueOf('suporte'))?.code).toBe('permission-denied');
    // Bruno gains Suporte: the users trigger changes his claims and writes claims/bruno; the driver refreshes its token.
    const save = (sectorIds: string[]) => admin.run('user.save', { id: 'bruno', name: 'Bruno Lima', email: 'bruno@atende.local', role: 'agent', sectorIds, seesAllHistory: false, active: true });
    await save(['financeiro', 'suporte']);
    await vi.waitFor(async () => expect(await queueOf('suporte')).toBeNull(), { timeout: 5000 });
    expect(financeiro.error).toBeNull();
    expect(h.auth.revoked).not.toContain('bruno');
    // Financeiro is taken away: his sessions are revoked, the refresh is refused and every listener ends as signed out.
    await save(['suporte']);
    await financeiro.until('the listener to end', (l) => l.error !== null);
    expect(financeiro.error?.code).toBe('unauthenticated');
    expect(h.auth.revoked).toContain('bruno');
    // Signed in again, he reads Suporte and no longer Financeiro.
    bruno = await h.signIn('bruno@atende.local');
    expect(await queueOf('suporte')).toBeNull();
    expect((await queueOf('financeiro'))?.code).toBe('permission-denied');
  });

  it("after a claims change that adds a sector re-opens only the queue (its target changed); the other listeners keep theirs and are not read again", async () => {
    const dora = { id: 'dora', name: 'Dora Reis', email: 'dora@atende.local', role: 'agent' as const, seesAllHistory: false, active: true };
    await admin.run('user.save', { ...dora, sectorIds: ['financeiro'] });
    await h.settled();
    const inSuporte = await h.inbound({ channelId: 'site', externalId: 'claims-suporte', name: 'Sol', text: 'Oi' });
    const inFinanceiro = await h.inbound({ channelId: 'site', externalId: 'claims-financeiro', name: 'Fred', text: 'Oi' });
    await admin.run('ticket.transfer', { ticketId: inFinanceiro.ticketId, sectorId: 'financeiro' });
    const reads: Record<string, number> = {};
    const backend = await h.signIn(dora.email, undefined, { meter: (query, n) => (reads[query] = (reads[query] ?? 0) + n) });
    // The console's queue asks for the sectors Dora may see (web/src/live/consolePlan.ts queueScope), resolved by the driver.
    const queue = new Live(backend, 'tickets.waiting', { sectorIds: 'visible', limit: 100 });
    const mine = new Live(backend, 'tickets.mine', {});
    const sectors = new Live(backend, 'sectors.all', {});
    const ticket = new Live(backend, 'ticket', { id: inFinanceiro.ticketId });
    await Promise.all([queue.ready(), mine.ready(), sectors.ready(), ticket.ready()]);
    expect(queue.docs.has(inFinanceiro.ticketId)).toBe(true);
    expect(queue.docs.has(inSuporte.ticketId)).toBe(false);
    const events = { mine: mine.events.length, sectors: sectors.events.length, ticket: ticket.events.length };
    const before = { ...reads };

    await admin.run('user.save', { ...dora, sectorIds: ['financeiro', 'suporte'] });
    // The queue's target now names both sectors: a new listener, a fresh snapshot with Suporte's ticket.
    await queue.until("Suporte's ticket in Dora's queue", (l) => l.docs.has(inSuporte.ticketId), 10_000);
    expect(queue.events.filter((e) => e.type === 'snapshot')).toHaveLength(2);
    expect(queue.docs.has(inFinanceiro.ticketId)).toBe(true);
    // A witness opened after the claims change answers after every listener the change would have re-opened.
    const witness = new Live(backend, 'sectors.all', {});
    await witness.ready();
    expect({ mine: mine.events.length, sectors: sectors.events.length, ticket: ticket.events.length }).toEqual(events);
    expect([mine.error, sectors.error, ticket.error, queue.error]).toEqual([null, null, null, null]);
    // Billed reads since the change: the new queue's documents and the witness's, nothing for the listeners kept.
    expect(reads['tickets.mine']).toBe(before['tickets.mine']);
    expect(reads.ticket).toBe(before.ticket);
    expect(reads['sectors.all']! - before['sectors.all']!).toBe(witness.docs.size);
    expect(reads['tickets.waiting']! - before['tickets.waiting']!).toBe(queue.docs.size);
    for (const l of [queue, mine, sectors, ticket, witness]) l.stop();
    await backend.signOut();
  });

  it("hears a waiting ticket leave Esperando when another agent accepts it: its queue entry removed because it was deleted (no billed read)", async () => {
    const reads: Record<string, number> = {};
    const removed: string[] = [];
    const carla = await h.signIn('carla@atende.local', undefined, {
      meter: (query, n, gone = []) => {
        reads[query] = (reads[query] ?? 0) + n;
        removed.push(...gone);
      },
    });
    const queue = new Live(carla, 'tickets.waiting', { sectorIds: 'visible', limit: 100 });
    await queue.ready();
    const { ticketId } = await h.inbound({ channelId: 'site', externalId: 'queue-removed', name: 'Rui', text: 'Oi, alguém aí?' });
    await queue.until("the new ticket in Carla's Esperando", (l) => l.docs.has(ticketId), 10_000);
    // The entry reads as the ticket (times in milliseconds).
    const stored = await h.deps.db.doc(`tickets/${ticketId}`).get();
    expect(queue.docs.get(ticketId)).toMatchObject({ id: ticketId, status: 'waiting', sectorId: 'suporte', queuedAt: stored.data()!.queuedAt.toMillis() });
    const ana = await h.signIn('ana@atende.local');
    await ana.run('ticket.accept', { ticketId });
    await queue.until("the ticket gone from Carla's Esperando", (l) => !l.docs.has(ticketId), 10_000);
    expect(queue.changes.filter((c) => c.doc.id === ticketId).map((c) => c.type)).toEqual(['added', 'removed']);
    // The driver names the document that left; the writer deleted it, so Firestore bills no read for it.
    expect(removed).toEqual([`queue/${ticketId}`]);
    expect((await h.deps.db.doc(`queue/${ticketId}`).get()).exists).toBe(false);
    expect(queue.error).toBeNull();
    queue.stop();
    await Promise.all([carla.signOut(), ana.signOut()]);
  });

  it("reads agents' open counts from every sector's document through one listener, however many `counters` subscriptions ask (Supervisão's slices)", async () => {
    const reads: Record<string, number> = {};
    const supervisor = await h.signIn('supervisor@atende.local', undefined, { meter: (query, n) => (reads[query] = (reads[query] ?? 0) + n) });
    const [anaId, carlaId, brunoId, waitingId] = ['tickets.open.assignee.ana', 'tickets.open.assignee.carla', 'tickets.open.assignee.bruno', 'tickets.waiting.sector.suporte'];
    const first = new Live(supervisor, 'counters', { ids: [anaId, carlaId] });
    const second = new Live(supervisor, 'counters', { ids: [brunoId, waitingId] });
    await Promise.all([first.ready(), second.ready()]);
    // A slice of sectors' counts only (an admin's many sectors), opened while the listener of every sector runs.
    const openId = 'tickets.open.sector.suporte';
    const third = new Live(supervisor, 'counters', { ids: [openId] });
    await third.ready();
    const value = (l: Live, id: string) => Number(l.docs.get(id)?.value ?? 0);
    const [ana0, waiting0, open0] = [value(first, anaId), value(second, waitingId), value(third, openId)];
    const { ticketId } = await h.inbound({ channelId: 'site', externalId: 'counts-shared', name: 'Lia', text: 'Oi' });
    await second.until('one more waiting', (l) => value(l, waitingId) === waiting0 + 1, 10_000);
    const before = reads.counters ?? 0;
    const ana = await h.signIn('ana@atende.local');
    await ana.run('ticket.accept', { ticketId });
    await first.until("Ana's count up", (l) => value(l, anaId) === ana0 + 1, 10_000);
    await second.until('one fewer waiting', (l) => value(l, waitingId) === waiting0, 10_000);
    await third.until('one more in service', (l) => value(l, openId) === open0 + 1, 10_000);
    // The accept wrote one shard of Suporte's document: heard once by this console, not once per subscription.
    expect((reads.counters ?? 0) - before).toBe(1);
    expect([first.error, second.error, third.error]).toEqual([null, null, null]);
    for (const l of [first, second, third]) l.stop();
    await Promise.all([supervisor.signOut(), ana.signOut()]);
  });

  it('loads the catalogues once and reloads only the one whose version an edit moved (meta/config), instead of keeping them live', async () => {
    const reads: Record<string, number> = {};
    const backend = await h.signIn('carla@atende.local', undefined, { meter: (query, n) => (reads[query] = (reads[query] ?? 0) + n) });
    const snapshots: Record<string, Record<string, unknown>[][]> = {};
    const others: string[] = [];
    const loaded = new Promise<void>((resolve) => {
      const stop = followCatalogues(backend, VERSIONED_CATALOGUES, (query, e) => {
        if (e.type !== 'snapshot') return others.push(`${query}: ${e.type}`);
        (snapshots[query] ??= []).push(e.docs as Record<string, unknown>[]);
        if (VERSIONED_CATALOGUES.every((q) => snapshots[q])) resolve();
      });
      stops.push(stop);
    });
    await loaded;
    const before = { ...reads };
    expect(before['meta/config']).toBe(1);
    for (const q of VERSIONED_CATALOGUES) expect(before[q], q).toBe(Math.max(1, snapshots[q]![0]!.length));
    // A hand edit in the console bumps no version: not seen (nothing is live) ...
    await h.deps.db.doc('sectors/hand-made').set({ id: 'hand-made', name: 'Feito à mão', updatedAt: Timestamp.now() });
    // ... an edit through a command is: its collection's version moves, and only that catalogue is read again, whole.
    await admin.run('tag.save', { name: 'Versão nova', color: '#1d4ed8' });
    await vi.waitFor(() => expect(snapshots['tags.all']).toHaveLength(2), { timeout: 10_000 });
    expect(snapshots['tags.all']![1]!.map((t) => t.name)).toContain('Versão nova');
    const since = Object.fromEntries(Object.entries(reads).map(([q, n]) => [q, n - (before[q] ?? 0)]).filter(([, n]) => n !== 0));
    expect(since).toEqual({ 'meta/config': 1, 'tags.all': snapshots['tags.all']![1]!.length });
    expect(VERSIONED_CATALOGUES.filter((q) => snapshots[q]!.length > 1)).toEqual(['tags.all']);
    expect(snapshots['sectors.all']!.flat().map((s) => s.id)).not.toContain('hand-made');
    expect(others).toEqual([]);
    await h.deps.db.doc('sectors/hand-made').delete();
    await backend.signOut();
  });

  it('shows a web-chat reply delivered once the outbox trigger ran', async () => {
    const { ticketId } = await h.inbound({ channelId: 'site', externalId: 'driver-visitor', name: 'Vera', text: 'Oi' });
    await admin.run('ticket.accept', { ticketId });
    const thread = new Live(admin, 'messages.ofTicket', { ticketId });
    await thread.ready();
    const { message } = await admin.run('message.send', { ticketId, text: 'Olá, Vera!' });
    await thread.until('the reply delivered', (l) => l.docs.get(message.id)?.status === 'delivered');
    thread.stop();
  });

  it('builds file links with a short-lived key from files.key, never the ID token, and the files function honours it for whoever may read the ticket', async () => {
    const { ticketId } = await h.inbound({ channelId: 'site', externalId: 'driver-files', name: 'Fia', text: 'Oi' });
    const link = new URL(admin.fileUrl(ticketId, 'att-1'), 'https://acme.web.app');
    expect(link.pathname).toBe(`/files/${ticketId}/att-1`);
    expect([...link.searchParams.keys()]).toEqual(['key']);
    expect(link.searchParams.get('key')).toMatch(/^@admin~\d+~/);
    const open = (key: string | null) => handleFileRequest(h.deps, { method: 'GET', path: link.pathname, query: { key } });
    expect(await open(link.searchParams.get('key'))).toMatchObject({ status: 302 });
    // Bruno's key opens it exactly when core's policy lets him read the ticket; moved out of its sector, no more.
    const brunos = new URL(bruno.fileUrl(ticketId, 'att-1'), 'https://acme.web.app').searchParams.get('key');
    expect(brunos).toMatch(/^@bruno~/);
    await admin.run('ticket.transfer', { ticketId, sectorId: 'financeiro' });
    await admin.run('user.save', { id: 'bruno', name: 'Bruno Lima', email: 'bruno@atende.local', role: 'agent', sectorIds: ['financeiro'], seesAllHistory: false, active: true });
    expect((await open(brunos)).status).toBe(302);
    await admin.run('user.save', { id: 'bruno', name: 'Bruno Lima', email: 'bruno@atende.local', role: 'agent', sectorIds: ['suporte'], seesAllHistory: false, active: true });
    expect((await open(brunos)).status).toBe(404);
  });

  it("ends only the listener the rules refuse (a ticket moved out of my sectors), and keeps the others", async () => {
    const carla = await h.signIn('carla@atende.local');
    const { ticketId } = await h.inbound({ channelId: 'site', externalId: 'revoked-visitor', name: 'Rui', text: 'Oi' });
    const one = new Live(carla, 'ticket', { id: ticketId });
    const queue = new Live(carla, 'tickets.waiting', { sectorIds: ['suporte'] });
    await Promise.all([one.ready(), queue.ready()]);
    expect(one.docs.has(ticketId)).toBe(true);
    // From now on the rules refuse this ticket: every listen target on it ends, including one the SDK opens again
    // (the authorization's one-shot read may still be closing) — as Firestore does, until the listener gives up.
    const theTicket = (watched: string) => watched.endsWith(`/documents/tickets/${ticketId}`);
    await vi.waitFor(
      () => {
        h.emulator.revoke(theTicket);
        expect(one.error).not.toBeNull();
      },
      { timeout: 10_000, interval: 50 },
    );
    expect(one.error?.code).toBe('permission-denied');
    const next = await h.inbound({ channelId: 'site', externalId: 'after-revoke', name: 'Lia', text: 'Oi' });
    await queue.until('the queue to keep going', (l) => l.docs.has(next.ticketId));
    expect(queue.error).toBeNull();
    queue.stop();
  });

  it('ends every listener when signing out', async () => {
    const queue = new Live(admin, 'tickets.open', {});
    await queue.ready();
    expect(queue.error).toBeNull();
    await admin.signOut();
    expect(queue.error?.code).toBe('unauthenticated');
    const eventsBefore = queue.events.length;
    // A witness still signed in follows the same kind of list: once it sees the new ticket, so would the ended listener have.
    const carla = await h.signIn('carla@atende.local');
    const witness = new Live(carla, 'tickets.waiting', { sectorIds: ['suporte'] });
    await witness.ready();
    const { ticketId } = await h.inbound({ channelId: 'site', externalId: 'after-signout', name: 'Zé', text: 'Oi' });
    await witness.until('the witness to see the new ticket', (l) => l.docs.has(ticketId));
    witness.stop();
    expect(queue.events.length).toBe(eventsBefore);
    await expect(admin.run('ticket.accept', { ticketId })).rejects.toMatchObject({ code: expect.any(String) });
    const late = new Live(admin, 'tickets.open', {});
    await late.ready();
    expect(late.error?.code).toBe('unauthenticated');
    expect((await h.deps.db.doc(`tickets/${ticketId}`).get()).data() as Ticket).toMatchObject({ status: 'waiting' });
  });
});
