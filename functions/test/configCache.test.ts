/**
 * Configuration cached in the function instance (functions/src/configCache.ts):
 * an admin's edit is seen by the next command on the instance that made it,
 * by every other instance once its version check is due, and a hand edit in
 * the Firebase console (which bumps no version) once the cached copy is old.
 * A stale copy never overwrites what it missed.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { commandRegistry, createIdGenerator, executeCommand, refs, seedDemo, SYSTEM, type Actor, type Channel } from '@atende/core';
import { FirestoreStore } from '../src/store.ts';
import { CONFIG_VERSION_PATH } from '../src/configCache.ts';
import { startEmulator, type Emulator } from './support/emulator.ts';

let emu: Emulator;
let seq = 0;
const admin: Actor = { kind: 'staff', uid: 'admin', name: 'Admin', role: 'admin', sectorIds: [], seesAllHistory: true };
const newId = createIdGenerator();
const run = (store: FirestoreStore, actor: Actor, name: string, input: unknown) => executeCommand(commandRegistry, { store, clock: Date.now, newId }, actor, name as never, input as never);
/** A web-chat customer's message on the demo's `site` channel: refused once the channel is inactive. */
const inbound = (store: FirestoreStore) => run(store, SYSTEM, 'inbound.receive', { channelId: 'site', externalId: `visitor-${++seq}`, contact: { name: 'Maria' }, channelMessageId: `m${seq}`, text: 'Oi' });
const channel = async () => (await emu.db.doc('channels/site').get()).data() as Channel;
const setActive = (store: FirestoreStore, active: boolean) => channel().then(({ updatedAt: _u, ...c }) => run(store, admin, 'channel.save', { ...c, active }));

/** An instance whose cache clock the test moves. */
const instance = (freshMs = 10_000, maxAgeMs = 60_000) => {
  const clock = { now: 0 };
  return { clock, store: new FirestoreStore(emu.db, { configCache: { freshMs, maxAgeMs, now: () => clock.now } }) };
};

beforeAll(async () => {
  emu = await startEmulator();
  await seedDemo({ store: new FirestoreStore(emu.db), clock: Date.now, newId });
});
afterAll(() => emu.stop());
beforeEach(async () => {
  const active = (await channel()).active;
  if (!active) await setActive(new FirestoreStore(emu.db, { configCache: false }), true);
});

describe('configuration cached in the function instance', () => {
  it('an admin edit is seen by the very next command of the same instance', async () => {
    const { store } = instance();
    await expect(inbound(store)).resolves.toMatchObject({ duplicate: false });
    await setActive(store, false);
    await expect(inbound(store)).rejects.toMatchObject({ code: 'not-found' });
    await setActive(store, true);
    await expect(inbound(store)).resolves.toMatchObject({ duplicate: false });
  });

  it('another instance sees it at its next version check, not before', async () => {
    const a = instance(10_000);
    const b = instance(10_000);
    await expect(inbound(a.store)).resolves.toMatchObject({ duplicate: false });
    const before = Number((await emu.db.doc(CONFIG_VERSION_PATH).get()).data()?.version ?? 0);
    await setActive(b.store, false);
    expect((await emu.db.doc(CONFIG_VERSION_PATH).get()).data()?.version).toBe(before + 1);
    // Within its freshness window, instance a still serves the channel it read.
    a.clock.now = 9_000;
    await expect(inbound(a.store)).resolves.toMatchObject({ duplicate: false });
    // Past it, one read of meta/config tells it the configuration changed.
    a.clock.now = 10_001;
    await expect(inbound(a.store)).rejects.toMatchObject({ code: 'not-found' });
  });

  it('a hand edit in the console (no version bump) is seen once the cached copy is old, or at once with a bump', async () => {
    const a = instance(0, 60_000);
    await expect(inbound(a.store)).resolves.toMatchObject({ duplicate: false });
    await emu.db.doc('channels/site').update({ active: false });
    await expect(inbound(a.store)).resolves.toMatchObject({ duplicate: false });
    a.clock.now = 60_000;
    await expect(inbound(a.store)).rejects.toMatchObject({ code: 'not-found' });

    const b = instance(0, 60_000);
    await emu.db.doc('channels/site').update({ active: true });
    await expect(inbound(b.store)).resolves.toMatchObject({ duplicate: false });
    await emu.db.doc('channels/site').update({ active: false });
    await emu.db.doc(CONFIG_VERSION_PATH).set({ version: Date.now() }, { merge: true });
    await expect(inbound(b.store)).rejects.toMatchObject({ code: 'not-found' });
  });

  it("the security gate's users document: a change of rights in Atende is seen like configuration, presence bumps nothing, a hand edit within maxAgeMs", async () => {
    const carla: Actor = { kind: 'staff', uid: 'carla', name: 'Carla', role: 'agent', sectorIds: ['suporte', 'financeiro'], seesAllHistory: false };
    const gate = instance(10_000, 60_000);
    const other = instance();
    const read = () => gate.store.configCache!.user(emu.db, 'carla');
    const meta = async () => (await emu.db.doc(CONFIG_VERSION_PATH).get()).data() ?? {};
    expect(await read()).toMatchObject({ active: true });
    // Presence is written all day and leaves the rights alone: no version moves, every cache stays warm.
    const before = await meta();
    await run(other.store, carla, 'presence.set', { presence: 'online' });
    expect(await meta()).toEqual(before);
    // An admin deactivates her: the version (and its `users` field) moves with the edit.
    const user = async () => (await emu.db.doc('users/carla').get()).data() as Record<string, unknown>;
    const save = async (active: boolean) => {
      const { id, name, email, role, sectorIds, seesAllHistory } = await user();
      await run(other.store, admin, 'user.save', { id, name, email, role, sectorIds, seesAllHistory, active });
    };
    await save(false);
    expect(await meta()).toMatchObject({ version: Number(before.version ?? 0) + 1, users: Number(before.users ?? 0) + 1 });
    // Another instance trusts its version for freshMs, then sees it.
    gate.clock.now = 9_000;
    expect(await read()).toMatchObject({ active: true });
    gate.clock.now = 10_001;
    expect(await read()).toMatchObject({ active: false });
    // A hand edit in the console bumps nothing: seen once the copy is maxAgeMs old.
    await emu.db.doc('users/carla').update({ active: true });
    gate.clock.now = 60_000;
    expect(await read()).toMatchObject({ active: false });
    gate.clock.now = 70_002;
    expect(await read()).toMatchObject({ active: true });
  });

  it('a stale cached copy never overwrites what it missed: the write is retried on the fresh document', async () => {
    const a = instance(60_000, 600_000);
    await a.store.transaction((tx) => tx.get(refs.channel('site')));
    await emu.db.doc('channels/site').update({ name: 'Chat do site (editado)' });
    // Read from memory (stale), written with the update time it was read at: the commit is refused, the cache emptied, the retry reads afresh.
    await a.store.transaction(async (tx) => {
      const c = (await tx.get(refs.channel('site')))!;
      tx.set(refs.channel('site'), { ...c, bot: { ...c.bot, greeting: 'Olá de novo' } });
    });
    const after = await channel();
    expect(after.name).toBe('Chat do site (editado)');
    expect(after.bot.greeting).toBe('Olá de novo');
  });
});
