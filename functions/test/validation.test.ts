/**
 * A bad hand edit in the Firebase console (issue 15, H2): configuration
 * documents are validated on read with the core schemas. A command that needs
 * a malformed one refuses with a message naming the document and the field
 * (and the store reports it once); the automation tick does not throw every
 * minute; fixing the document makes everything work again.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commandRegistry, createIdGenerator, executeCommand, refs, seedDemo, SYSTEM, type MalformedDocument } from '@atende/core';
import { FirestoreStore } from '../src/store.ts';
import { handleAutomationTick, type Deps } from '../src/handlers.ts';
import { MemoryAuth } from '../../conformance/firestore.ts';
import { startEmulator, type Emulator } from './support/emulator.ts';

let emu: Emulator;
let store: FirestoreStore;
const reports: MalformedDocument[] = [];
const now = Date.UTC(2026, 11, 2, 14);
const runner = () => ({ store, clock: () => now, newId: createIdGenerator(() => now) });
const inbound = (n: number) =>
  executeCommand(commandRegistry, runner(), SYSTEM, 'inbound.receive', { channelId: 'site', externalId: `v${n}`, contact: { name: 'Maria' }, channelMessageId: `m${n}`, text: 'Oi' });

beforeAll(async () => {
  emu = await startEmulator();
  // Every read goes to Firestore here: when a hand edit reaches an instance that cached the document is
  // configCache.test.ts's subject (within CONFIG maxAgeMs, or at once with a meta/config bump).
  store = new FirestoreStore(emu.db, { onMalformed: (r) => reports.push(r), configCache: false });
  await seedDemo(runner());
});
afterAll(() => emu.stop());

describe('configuration documents validated on read', () => {
  it('a deleted settings.autoClose: commands refuse naming the document and field, the tick goes on', async () => {
    // The whole document written back without the field (as the console's delete-field does).
    const { autoClose: _gone, ...withoutAutoClose } = (await emu.db.doc('settings/workspace').get()).data()!;
    // (The Node emulator keeps fields a set() leaves out: delete, then write.)
    await emu.db.doc('settings/workspace').delete();
    await emu.db.doc('settings/workspace').set(withoutAutoClose);
    const refused = await inbound(1).then(
      () => null,
      (e: unknown) => e as { code: string; message: string; issues: { path: string }[] },
    );
    expect(refused?.code).toBe('failed-precondition');
    expect(refused?.message).toContain('settings/workspace');
    expect(refused?.message).toContain('autoClose');
    expect(refused?.issues.map((i) => i.path)).toContain('settings/workspace.autoClose');
    expect(reports.at(-1)?.path).toBe('settings/workspace');
    expect(reports.at(-1)?.issues.map((i) => i.path)).toContain('settings/workspace.autoClose');

    const deps: Deps = { db: emu.db, auth: new MemoryAuth(), clock: () => now, newId: createIdGenerator(() => now) };
    const tick = await handleAutomationTick(deps);
    expect(tick).toMatchObject({ warned: 0, closed: 0, retried: 0 });
    expect(tick.skipped).toContain('autoClose');
  });

  it('a string where a number was, in a channel: named by its path; fixed, it works again', async () => {
    await emu.db.doc('channels/site').update({ name: 42 });
    const refused = await inbound(2).then(
      () => null,
      (e: unknown) => e as { code: string; message: string },
    );
    expect(refused?.code).toBe('failed-precondition');
    expect(refused?.message).toContain('channels/site');
    expect(refused?.message).toContain('name');

    await emu.db.doc('channels/site').update({ name: 'Chat do site' });
    const { defaultSettings } = await import('@atende/core');
    await emu.db.doc('settings/workspace').update({ autoClose: defaultSettings(now).autoClose });
    await expect(inbound(3)).resolves.toMatchObject({ duplicate: false });
  });

  it('a document written by a newer version is refused, not misread', async () => {
    await emu.db.doc('sectors/suporte').update({ schemaVersion: 99 });
    const refused = await store.transaction((tx) => tx.get(refs.sector('suporte'))).catch((e: unknown) => e as { code: string; message: string });
    expect(refused).toMatchObject({ code: 'failed-precondition' });
    expect((refused as { message: string }).message).toContain('sectors/suporte');
    const { schemaVersion: _v, ...current } = (await emu.db.doc('sectors/suporte').get()).data()!;
    await emu.db.doc('sectors/suporte').delete();
    await emu.db.doc('sectors/suporte').set(current);
    await expect(store.transaction((tx) => tx.get(refs.sector('suporte')))).resolves.toMatchObject({ id: 'suporte' });
  });
});
