import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createIdGenerator, seedDemo, transferSummary } from '@atende/core';
import { handleCommand } from '../src/command.ts';
import { handleCopilot, handleTicketClosed } from '../src/copilot.ts';
import { storeOf, type CallerAuth, type Deps } from '../src/deps.ts';
import { failureOf } from '../src/handlers.ts';
import { MemoryAuth } from '../../conformance/firestore.ts';
import { startEmulator, type Emulator } from './support/emulator.ts';

let emu: Emulator;
let deps: Deps;
const now = Date.UTC(2026, 10, 21, 14);
const staff = (uid: string): CallerAuth => ({ uid, token: {} });

beforeAll(async () => {
  emu = await startEmulator();
  deps = { db: emu.db, auth: new MemoryAuth(), clock: () => now, newId: createIdGenerator(() => now) };
  await seedDemo({ store: storeOf(emu.db), clock: deps.clock, newId: deps.newId });
});
afterAll(() => emu.stop());

describe('copilot callable (Firestore), the same core code as /api/copilot/:action', () => {
  it("suggests to the ticket's sector and refuses an agent of another sector", async () => {
    const waiting = await emu.db.collection('tickets').where('status', '==', 'waiting').where('sectorId', '==', 'suporte').get();
    const ticketId = waiting.docs[0]!.id;
    const r = (await handleCopilot(deps, null, staff('ana'), { action: 'suggest', input: { ticketId } })) as { replies: unknown[]; generated: unknown };
    expect(Array.isArray(r.replies)).toBe(true);
    expect(r.generated).toBeNull();
    const denied = await handleCopilot(deps, null, staff('bruno'), { action: 'suggest', input: { ticketId } }).catch((e: unknown) => failureOf(e));
    expect(denied).toMatchObject({ code: 'permission-denied' });
    expect(await handleCopilot(deps, null, undefined, { action: 'status', input: {} }).catch((e: unknown) => failureOf(e))).toMatchObject({ code: 'unauthenticated' });
  });

  it('a closed ticket becomes an example the next suggestion uses', async () => {
    const closed = await emu.db.collection('tickets').where('status', '==', 'closed').get();
    const ticket = closed.docs[0]!;
    expect(await handleTicketClosed(deps, ticket.id, { status: 'open' }, { status: 'closed' })).toBe(true);
    expect(await handleTicketClosed(deps, ticket.id, { status: 'closed' }, { status: 'closed' })).toBe(false);
    expect((await emu.db.doc(`copilotExamples/${ticket.id}`).get()).exists).toBe(true);
    const status = (await handleCopilot(deps, null, staff('bruno'), { action: 'status', input: {} })) as { provider: { configured: boolean } };
    expect(status.provider.configured).toBe(false);
  });

  it('a transfer on Firestore reads nothing of the thread for its summary: the thread it leaves gives the receiving agent theirs', async () => {
    const waiting = await emu.db.collection('tickets').where('status', '==', 'waiting').where('sectorId', '==', 'suporte').get();
    const ticketId = waiting.docs.at(-1)!.id;
    await handleCommand(deps, staff('carla'), { name: 'ticket.transfer', input: { ticketId, sectorId: 'financeiro' } });
    // The thread as the functions read it: its documents and the lines its ticket's copy holds alone (the transfer's line).
    const thread = await storeOf(emu.db).transaction((tx) => tx.query({ collection: 'messages', parentId: ticketId, where: [], orderBy: [['createdAt', 'asc']] }));
    expect(thread.some((m) => m.event?.kind === 'summary')).toBe(false);
    expect(transferSummary(thread)?.text).toMatch(/^O cliente disse: “/);
  });
});
