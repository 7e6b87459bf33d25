import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Auth } from 'firebase-admin/auth';
import { counterDocIds, DEMO_PASSWORD, type Ticket } from '@atende/core';
import { seedFirebaseAdmin, seedFirebaseDemo } from '../../scripts/seed-firebase.ts';
import { startEmulator, type Emulator } from './support/emulator.ts';
import { sumCounterShards } from '../src/store.ts';

/** Firebase Auth's admin API, in memory: the one part of Google the seed talks to besides Firestore. */
const memoryAuth = () => {
  const users = new Map<string, { email: string; password: string; disabled: boolean; claims?: object }>();
  const api = {
    users,
    async updateUser(uid: string, f: { email: string; password: string; disabled: boolean }) {
      const u = users.get(uid);
      if (!u) throw Object.assign(new Error('no user'), { code: 'auth/user-not-found' });
      Object.assign(u, f);
    },
    async createUser(f: { uid: string; email: string; password: string; disabled: boolean }) {
      users.set(f.uid, { email: f.email, password: f.password, disabled: f.disabled });
    },
    async setCustomUserClaims(uid: string, claims: object) {
      users.get(uid)!.claims = claims;
    },
  };
  return api;
};

let emu: Emulator;
beforeAll(async () => {
  emu = await startEmulator();
});
afterAll(() => emu.stop());

describe('seed-firebase', () => {
  it('creates the demo workspace with sign-in accounts and claims', async () => {
    const auth = memoryAuth();
    const logins = await seedFirebaseDemo(emu.db, auth as unknown as Auth);
    expect(logins.map((l) => l.email)).toContain('ana@atende.local');
    expect(auth.users.get('ana')).toMatchObject({ email: 'ana@atende.local', password: DEMO_PASSWORD, disabled: false, claims: { role: 'agent', sectorIds: ['suporte'], seesAllHistory: false } });
    expect(auth.users.get('admin')?.claims).toMatchObject({ role: 'admin' });
    const waiting = await emu.db.collection('tickets').where('status', '==', 'waiting').get();
    expect(waiting.docs.map((d) => (d.data() as Ticket).sectorId).sort()).toEqual(['financeiro', 'suporte', 'suporte', 'suporte']);
    const shards = await emu.db.collection('counters').where('id', 'in', counterDocIds(['tickets.waiting.sector.suporte'])).get();
    expect(sumCounterShards(shards.docs.map((d) => d.data()), ['tickets.waiting.sector.suporte'])).toEqual([{ id: 'tickets.waiting.sector.suporte', value: 3 }]);
    expect((await emu.db.doc('claims/ana').get()).exists).toBe(true);
  });

  it('creates or updates the first admin of an empty workspace', async () => {
    const auth = memoryAuth();
    const login = await seedFirebaseAdmin(emu.db, auth as unknown as Auth, { email: ' Boss@Example.com ', name: 'Boss', password: 'long-enough' });
    expect(login).toMatchObject({ email: 'boss@example.com', role: 'admin', uid: 'admin' });
    expect(auth.users.get('admin')).toMatchObject({ email: 'boss@example.com', password: 'long-enough', claims: { role: 'admin', seesAllHistory: true } });
  });
});
