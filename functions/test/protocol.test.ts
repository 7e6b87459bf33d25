/**
 * Protocol numbers on Firestore (core/src/ids.ts): many new tickets at the
 * same moment, as on a busy Monday morning, all get a number, every number
 * is unique, and the day's counter writes are spread over the shards instead
 * of one hot document. Run on the Node Firestore emulator, whose commits
 * check preconditions (test support), so racing transactions really retry.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commandRegistry, createIdGenerator, executeCommand, PROTOCOL_SHARDS, protocolFor, seedDemo, SYSTEM } from '@atende/core';
import { storeOf } from '../src/handlers.ts';
import { startEmulator, type Emulator } from './support/emulator.ts';

let emu: Emulator;
const now = Date.UTC(2026, 11, 2, 13);
const runner = () => ({ store: storeOf(emu.db), clock: () => now, newId: createIdGenerator(() => now) });

beforeAll(async () => {
  emu = await startEmulator();
  await seedDemo(runner());
});
afterAll(() => emu.stop());

const open = (phone: string) =>
  executeCommand(commandRegistry, runner(), SYSTEM, 'inbound.receive', {
    channelId: 'whatsapp',
    externalId: phone,
    contact: { name: `Cliente ${phone}`, phone },
    channelMessageId: `wamid.${phone}`,
    text: 'Bom dia, preciso de ajuda',
  }) as Promise<{ ticketId: string; protocol: string; duplicate: boolean }>;

describe('protocol numbers without a hot document', () => {
  it('30 tickets opened at once all get unique, dictatable numbers, from several day counters', async () => {
    const phones = Array.from({ length: 30 }, (_, i) => `55119${String(70000000 + i)}`);
    const results = await Promise.all(phones.map(open));
    const protocols = results.map((r) => r.protocol);
    expect(new Set(protocols).size).toBe(30);
    for (const p of protocols) expect(p).toMatch(/^20261202-\d{5}$/);
    // Each number is its shard digit and its shard's sequence: the contact decides the shard.
    for (const [i, p] of protocols.entries()) expect(p.slice(9, 10)).toBe(String(protocolFor.shard(`whatsapp:${phones[i]}`)));

    const counters = await emu.db.collection('counters').where('id', '>=', 'protocol.20261202.').where('id', '<', 'protocol.20261202/').get();
    expect(counters.size).toBeGreaterThan(3);
    expect(counters.size).toBeLessThanOrEqual(PROTOCOL_SHARDS);
    // Every counter holds exactly how many numbers its shard gave out that day (the demo seed's tickets too), and those are 1..n.
    const all = (await emu.db.collection('tickets').get()).docs.map((d) => String(d.get('protocol'))).filter((p) => p.startsWith('20261202-'));
    expect(new Set(all).size).toBe(all.length);
    for (const c of counters.docs) {
      const shard = c.id.split('.').pop()!;
      const mine = all.filter((p) => p.slice(9, 10) === shard).map((p) => Number(p.slice(10))).sort((a, b) => a - b);
      expect(c.get('value')).toBe(mine.length);
      expect(mine).toEqual(Array.from({ length: mine.length }, (_, i) => i + 1));
    }
    const stored = await Promise.all(results.map((r) => emu.db.doc(`tickets/${r.ticketId}`).get()));
    expect(stored.map((s) => s.get('protocol'))).toEqual(protocols);
  });
});
