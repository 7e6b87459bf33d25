// @vitest-environment node
/**
 * Issue 15, H2 (console editing) on the console's side: the catalogue store on the Firebase driver, against the
 * in-process Firestore emulator with the real functions (conformance/firestore.ts). A quick reply and a sector
 * broken by hand (as in the Firebase console: a number where a string was, a deleted required field) are left
 * out with a notice naming the document and the field; the good ones stay; a fix clears the notice. Settings broken
 * by hand: the last good ones stay.
 */
import { FieldValue } from 'firebase-admin/firestore';
import { createPinia, setActivePinia } from 'pinia';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { firestoreHarness, type FirestoreHarness } from '../../conformance/firestore.ts';
import { useBackend, type Backend } from '@/backend';
import { useCatalogStore } from '@/stores/catalog';

let h: FirestoreHarness;
let admin: Backend;

beforeAll(async () => {
  h = await firestoreHarness();
  admin = await h.signIn('admin@atende.local');
});
afterAll(async () => {
  await h?.close();
});

describe('the catalogue store on Firestore', () => {
  it('leaves out a quick reply and a sector broken by hand, names them, keeps the good ones', async () => {
    const db = h.emulator.db;
    const goodReplies = (await db.collection('quickReplies').get()).docs;
    const reply = goodReplies[0]!.data();
    await db.doc('quickReplies/quebrada').set({ ...reply, id: 'quebrada', shortcut: 42 });
    // (A sector without its name would not even be listed: the catalogue orders by name, and Firestore leaves out documents without the field.)
    const { color: _color, ...sector } = (await db.doc('sectors/suporte').get()).data()!;
    await db.doc('sectors/sem-cor').set({ ...sector, id: 'sem-cor', name: 'Sem cor' });

    setActivePinia(createPinia());
    useBackend(admin);
    const catalog = useCatalogStore();
    catalog.start();
    await vi.waitFor(() => expect(catalog.malformed.size).toBe(2), { timeout: 10_000 });
    await vi.waitFor(() => expect([...catalog.sectors.keys()].sort()).toEqual(['financeiro', 'suporte']));
    expect([...catalog.quickReplies.keys()].sort()).toEqual(goodReplies.map((d) => d.id).sort());
    expect(catalog.malformed.get('quickReplies/quebrada')?.message).toBe(
      'O documento quickReplies/quebrada está malformado (shortcut: deve ser string, e é number); corrija-o no console do Firebase.',
    );
    expect(catalog.malformed.get('sectors/sem-cor')?.message).toBe(
      'O documento sectors/sem-cor está malformado (color: campo ausente (deve ser string)); corrija-o no console do Firebase.',
    );
    await vi.waitFor(() => expect(catalog.settings?.name).toBeTruthy());

    // Fixed by hand, then the version moved (as the functions' edits move it): the reply is back, its notice gone.
    await db.doc('quickReplies/quebrada').set({ ...reply, id: 'quebrada', shortcut: 'consertada' });
    await db.doc('meta/config').set({ quickReplies: FieldValue.increment(1) }, { merge: true });
    await vi.waitFor(() => expect(catalog.quickReplies.get('quebrada')?.shortcut).toBe('consertada'), { timeout: 10_000 });
    expect([...catalog.malformed.keys()]).toEqual(['sectors/sem-cor']);

    // The team is followed live: a person broken by hand leaves the list at once, with the notice; the others stay.
    await db.doc('users/carla').update({ role: 7 });
    await vi.waitFor(() => expect(catalog.users.has('carla')).toBe(false), { timeout: 10_000 });
    expect(catalog.users.has('ana')).toBe(true);
    expect(catalog.malformed.get('users/carla')?.message).toContain('role: deve ser um destes valores');

    // The settings broken by hand (a string where a number was): the console keeps the last good ones it had, and says why.
    const { autoClose } = (await db.doc('settings/workspace').get()).data()!;
    await db.doc('settings/workspace').update({ autoClose: { ...autoClose, afterMinutes: '30' } });
    await db.doc('meta/config').set({ settings: FieldValue.increment(1) }, { merge: true });
    await vi.waitFor(() => expect(catalog.malformed.get('settings/workspace')?.message).toContain('autoClose.afterMinutes: deve ser number, e é string'), { timeout: 10_000 });
    expect(catalog.settings?.autoClose.afterMinutes).toBe(autoClose.afterMinutes);
    catalog.stop();
  });
});
