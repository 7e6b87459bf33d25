/**
 * The tab counts on Firestore (core/src/store/counterLayout.ts): a sector's counts and its agents' open counts are
 * fields of the sector's (sharded) document, so every move of a ticket inside a sector writes one counter document.
 * Against @firestore-emulator/server, through the real `command` handler, writes counted by the bench's meter; totals
 * read as the console's driver reads them (web/src/backend/firebaseCounters.ts: the counters' own documents and every
 * sector's).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commandRegistry, counterDocIds, counterIds, executeCommand, refs, SECTOR_COUNTS_PREFIX, SYSTEM, writeTicket, type Ticket } from '@atende/core';
import { handleCommand, storeOf, type Deps } from '../src/handlers.ts';
import { sumCounterShards } from '../src/store.ts';
import type { Emulator } from './support/emulator.ts';
import { seededEmulator } from './support/seeded.ts';
import { readStored } from './support/stored.ts';

let emu: Emulator;
let deps: Deps;
let meter: Awaited<ReturnType<typeof seededEmulator>>['meter'];
let now = Date.UTC(2026, 11, 4, 15);
let n = 0;

beforeAll(async () => {
  ({ emu, deps, meter } = await seededEmulator(() => now));
});
afterAll(() => emu.stop());

/** The counter documents one step writes (shards included). */
const counterWrites = async (step: () => Promise<unknown>): Promise<number> => {
  meter.writesBy = {};
  meter.on = true;
  try {
    await step();
  } finally {
    meter.on = false;
  }
  return meter.writesBy.counters ?? 0;
};
const as = (uid: string, name: string, input: unknown) => {
  now += 1000;
  return handleCommand(deps, { uid, token: {} }, { name, input }) as Promise<Record<string, unknown>>;
};
const customer = (phone: string) => {
  now += 1000;
  return executeCommand(commandRegistry, { ...deps, store: storeOf(deps.db) }, SYSTEM, 'inbound.receive', {
    channelId: 'whatsapp-suporte',
    externalId: phone,
    contact: { name: `Cliente ${phone}`, phone },
    channelMessageId: `wamid.counters.${++n}`,
    text: 'Oi',
  }) as Promise<{ ticketId: string }>;
};
/** Counters as the console's driver reads them: their own and their group's documents, and every sector's for an agent's total. */
const totals = async (ids: string[]): Promise<Record<string, number>> => {
  const own = await emu.db.collection('counters').where('id', 'in', counterDocIds(ids)).get();
  const sectors = await emu.db.collection('counters').where('id', '>=', SECTOR_COUNTS_PREFIX).where('id', '<', `${SECTOR_COUNTS_PREFIX}\uf8ff`).get();
  const docs = [...own.docs, ...sectors.docs.filter((d) => !own.docs.some((o) => o.ref.path === d.ref.path))].map((d) => d.data());
  return Object.fromEntries(ids.map((id) => [id, sumCounterShards(docs, [id])[0]?.value ?? 0]));
};
const [ANA, CARLA] = [counterIds.byAssignee('open', 'ana'), counterIds.byAssignee('open', 'carla')];

describe("agents' open counts in their sector's document", () => {
  it('accept, a transfer to a colleague of the sector and close write one counter document each; a move between sectors two', async () => {
    const before = await totals([ANA, CARLA]);
    const { ticketId } = await customer('5511966660001');
    expect((await readStored<Ticket>(emu.db, `tickets/${ticketId}`))?.status).toBe('waiting');
    expect(await counterWrites(() => as('ana', 'ticket.accept', { ticketId }))).toBe(1);
    expect(await totals([ANA, CARLA])).toEqual({ [ANA]: before[ANA]! + 1, [CARLA]: before[CARLA] });
    expect(await counterWrites(() => as('ana', 'ticket.transfer', { ticketId, assigneeId: 'carla' }))).toBe(1);
    expect(await totals([ANA, CARLA])).toEqual({ [ANA]: before[ANA], [CARLA]: before[CARLA]! + 1 });
    // Suporte's document and Financeiro's: Carla's count moves with the ticket, her total stays.
    expect(await counterWrites(() => as('carla', 'ticket.transfer', { ticketId, sectorId: 'financeiro', assigneeId: 'carla' }))).toBe(2);
    expect(await totals([ANA, CARLA, counterIds.bySector('open', 'financeiro')])).toMatchObject({ [CARLA]: before[CARLA]! + 1, [counterIds.bySector('open', 'financeiro')]: 1 });
    expect(await counterWrites(() => as('carla', 'ticket.close', { ticketId }))).toBe(1);
    expect(await totals([ANA, CARLA])).toEqual(before);
  });

  it("counts a ticket with no sector in the `none` document and adds the frozen documents of older layouts (an upgraded project)", async () => {
    // Written before this layout and never again: Bruno's count in its own document, then in session 5's per-agent one.
    await emu.db.doc('counters/tickets.open.assignee.bruno~0').set({ id: 'tickets.open.assignee.bruno', value: 2 });
    await emu.db.doc('counters/tickets.assignee.bruno~5').set({ id: 'tickets.assignee.bruno', open: 1 });
    const BRUNO = counterIds.byAssignee('open', 'bruno');
    expect(await totals([BRUNO])).toEqual({ [BRUNO]: 3 });
    // Closing one of those older tickets (served in Financeiro) now takes it from the sector's document: the sum stays true.
    const old: Ticket = { ...(await readStored<Ticket>(emu.db, `tickets/${(await customer('5511966660002')).ticketId}`))!, status: 'open', sectorId: 'financeiro', assigneeId: 'bruno', assigneeName: 'Bruno Lima' };
    await storeOf(emu.db).transaction(async (tx) => writeTicket(tx, old, { ...old, status: 'closed' }));
    expect(await totals([BRUNO])).toEqual({ [BRUNO]: 3 - 1 });
    // A served ticket with no sector.
    const loose: Ticket = { ...old, id: 'loose', status: 'waiting', sectorId: null, assigneeId: null, assigneeName: null };
    await storeOf(emu.db).transaction(async (tx) => writeTicket(tx, null, loose));
    expect(await counterWrites(() => storeOf(emu.db).transaction(async (tx) => writeTicket(tx, (await tx.get(refs.ticket('loose')))!, { ...loose, status: 'open', assigneeId: 'bruno', assigneeName: 'Bruno Lima' })))).toBe(1);
    expect((await emu.db.collection('counters').where('id', '==', 'tickets.sector.none').get()).docs.map((d) => d.data().open_bruno)).toContain(1);
    expect(await totals([BRUNO])).toEqual({ [BRUNO]: 3 });
  });
});
