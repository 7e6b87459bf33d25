/**
 * (3) The official Firebase emulators, rules included: the rules tests
 * (@firebase/rules-unit-testing: every catalogue query and every cell of
 * DESIGN §5, allowed and denied, for each role) and the conformance suite
 * with real Firebase Auth, the Functions emulator running functions/lib and
 * Firestore enforcing firestore.rules.
 *
 * Run normally, this file starts `firebase emulators:exec` and runs itself
 * inside it; where the emulators cannot start (no firebase CLI, Java older
 * than 21, no emulator download) it prints one line saying why and skips.
 */
import { spawnSync } from 'node:child_process';
import { appendFileSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  catalogue,
  type AnyQuery,
  commandRegistry,
  createIdGenerator,
  executeCommand,
  policy,
  resolveSubscription,
  SYSTEM,
  DEMO_PASSWORD,
  CUSTOMER_TICKETS,
  customerTicketView,
  firestoreCollectionOf,
  inQueue,
  QUEUE,
  queueEntryOf,
  SECTOR_COUNTS_PREFIX,
  type Actor,
  type Reader,
  type Ticket,
  type User,
} from '@atende/core';
import { officialEmulatorsProblem, insideOfficialEmulators } from './support/official.ts';
import { paramSets, staffActor } from './support/catalogue-cases.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const PROJECT = 'demo-atende';
const LABEL = '[conformance 3: official Firebase emulators + rules tests]';

const inside = insideOfficialEmulators();
const problem = inside ? null : officialEmulatorsProblem();

if (problem) {
  console.log(`${LABEL} skipped: ${problem}`);
  describe('official Firebase emulators', () => {
    // Skipped at run time with the reason as its note, so the summary says why.
    it('pass the rules tests and the conformance suite under firebase emulators:exec', (ctx) => ctx.skip(`needs the official emulators: ${problem}`));
  });
} else if (!inside) {
  describe('official Firebase emulators', () => {
    it('pass the rules tests and the conformance suite under firebase emulators:exec', () => {
      const sh = (cmd: string, args: string[], env: NodeJS.ProcessEnv = {}) =>
        spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env }, timeout: 15 * 60_000 });
      expect(sh('npm', ['run', 'build', '-w', 'functions']).status).toBe(0);
      expect(sh('npm', ['--prefix', 'functions/lib', 'install', '--omit=dev', '--no-audit', '--no-fund']).status).toBe(0);
      // The Functions emulator reads secrets from here instead of Secret Manager: every secret index.ts declares.
      const secrets = `${root}functions/lib/.secret.local`;
      const held = existsSync(secrets) ? readFileSync(secrets, 'utf8') : '';
      const missing = ['WHATSAPP_APP_SECRET', 'WHATSAPP_VERIFY_TOKEN', 'ATENDE_AI_API_KEY'].filter((k) => !held.includes(`${k}=`));
      if (missing.length > 0) writeFileSync(secrets, `${held}${missing.map((k) => `${k}=emulator-${k.toLowerCase()}\n`).join('')}`);
      // The parameters (defineString): the emulator asks for any no .env file gives, which would hang this run. `.env.local`
      // is read by the emulator only; the defaults go there for those the team's functions/.env (copied by the build) lacks.
      const lib = `${root}functions/lib/`;
      const given = readdirSync(lib).filter((f) => f.startsWith('.env')).map((f) => readFileSync(lib + f, 'utf8')).join('\n');
      const defaults = ['ATENDE_REGION=southamerica-east1', 'ATENDE_AI_BASE_URL=', 'ATENDE_AI_MODEL='].filter((line) => !new RegExp(`^${line.split('=')[0]}=`, 'm').test(given));
      if (defaults.length > 0) appendFileSync(`${lib}.env.local`, `\n${defaults.join('\n')}\n`);
      const inner = 'npx vitest run --project functions test/official-emulators.test.ts';
      const run = sh('firebase', ['emulators:exec', '--project', PROJECT, '--only', 'auth,firestore,functions', inner], { ATENDE_OFFICIAL_EMULATORS: '1' });
      expect(run.status).toBe(0);
    }, 20 * 60_000);
  });
} else {
  await defineInside();
}

async function defineInside(): Promise<void> {
  const { initializeTestEnvironment, assertFails, assertSucceeds } = await import('@firebase/rules-unit-testing');
  const { initializeApp, deleteApp } = await import('firebase-admin/app');
  const { getFirestore, Timestamp } = await import('firebase-admin/firestore');
  const { getAuth } = await import('firebase-admin/auth');
  const web = await import('firebase/firestore');
  const { initializeApp: initializeWebApp, deleteApp: deleteWebApp } = await import('firebase/app');
  const { FirestoreStore, fromFirestore, toFirestore } = await import('../src/store.ts');
  const { claimsOf } = await import('../src/handlers.ts');
  const { revokedAtOf } = await import('../src/claims.ts');
  const { seedFirebaseDemo } = await import('../../scripts/seed-firebase.ts');
  const { createFirebaseBackend, firebaseAuthPort, callableCommand } = await import('../../web/src/backend/firebase.ts');
  const { webQueryOf } = await import('../../web/src/backend/firebaseData.ts');
  const { defineConformance } = await import('../../conformance/suite.ts');
  type RulesEnv = Awaited<ReturnType<typeof initializeTestEnvironment>>;

  const [host, port] = process.env.FIRESTORE_EMULATOR_HOST!.split(':') as [string, string];
  const adminApp = initializeApp({ projectId: PROJECT }, 'official-admin');
  const db = getFirestore(adminApp);
  db.settings({ ignoreUndefinedProperties: true });
  const store = new FirestoreStore(db);
  const clock = Date.now;
  const newId = createIdGenerator(clock);
  let rules: RulesEnv;
  let seeded: Promise<void> | null = null;
  const seed = () => (seeded ??= seedFirebaseDemo(db, getAuth(adminApp)).then(() => undefined));

  describe('firestore.rules', () => {
    const fixtures: Record<string, Ticket> = {};
    const people: Record<string, { actor: Actor; claims: Record<string, unknown> }> = {};

    beforeAll(async () => {
      rules = await initializeTestEnvironment({ projectId: PROJECT, firestore: { rules: readFileSync(`${root}firestore.rules`, 'utf8'), host, port: Number(port) } });
      await seed();
      for (const snap of (await db.collection('users').get()).docs) {
        const u = snap.data() as User;
        people[u.id] = { actor: { kind: 'staff', uid: u.id, name: u.name, role: u.role, sectorIds: u.sectorIds, seesAllHistory: u.seesAllHistory }, claims: claimsOf(u) };
      }
      // An agent of Suporte who may read every sector's history.
      people.historian = { actor: staffActor('historian', 'agent', ['suporte'], true), claims: { role: 'agent', sectorIds: ['suporte'], seesAllHistory: true } };
      // A supervisor of one sector only: Relatórios' other sectors (stats.range) and their tickets are not theirs.
      people['supervisor-suporte'] = { actor: staffActor('supervisor-suporte', 'supervisor', ['suporte'], false), claims: { role: 'supervisor', sectorIds: ['suporte'], seesAllHistory: false } };
      const base = fromFirestore<Ticket>('tickets', (await db.collection('tickets').where('status', '==', 'waiting').where('sectorId', '==', 'suporte').limit(1).get()).docs[0]!.data());
      const shape = (id: string, t: Partial<Ticket>): Ticket => ({ ...base, id, protocol: id, ...t });
      // One ticket per row of DESIGN §5.
      for (const t of [
        shape('rules-suporte-waiting', { status: 'waiting', sectorId: 'suporte', assigneeId: null }),
        shape('rules-financeiro-waiting', { status: 'waiting', sectorId: 'financeiro', assigneeId: null }),
        shape('rules-financeiro-ana', { status: 'open', sectorId: 'financeiro', assigneeId: 'ana' }),
        shape('rules-no-sector', { status: 'bot', sectorId: null, assigneeId: null }),
        shape('rules-financeiro-closed', { status: 'closed', sectorId: 'financeiro', assigneeId: 'bruno', closedAt: 1 }),
      ]) {
        fixtures[t.id] = t;
        // Stored as functions/src/store.ts stores them (times as timestamps).
        await db.doc(`tickets/${t.id}`).set(toFirestore('tickets', t));
        // What functions/src/store.ts writes with every web-chat ticket (written here whatever the channel: the rules read contact and channel only).
        await db.doc(`${CUSTOMER_TICKETS}/${t.id}`).set(toFirestore(CUSTOMER_TICKETS, customerTicketView(t)));
        // And Esperando's entry of a waiting ticket (functions/src/queueEntry.ts).
        if (inQueue(t)) await db.doc(`${QUEUE}/${t.id}`).set(toFirestore(QUEUE, queueEntryOf(t)));
        for (const direction of ['in', 'out', 'system'] as const)
          await db
            .doc(`tickets/${t.id}/messages/${t.id}-${direction}`)
            .set(
              toFirestore('messages', { id: `${t.id}-${direction}`, ticketId: t.id, contactId: t.contactId, direction, authorId: null, authorName: null, text: direction, attachments: [], status: 'delivered', createdAt: 1, channelMessageId: null, clientId: null, event: null, automated: false }),
            );
      }
      people.customer = { actor: { kind: 'customer', contactId: base.contactId, channelId: base.channelId }, claims: { customer: { contactId: base.contactId, channelId: base.channelId } } };
      people.stranger = { actor: { kind: 'customer', contactId: 'someone-else', channelId: base.channelId }, claims: { customer: { contactId: 'someone-else', channelId: base.channelId } } };
    });
    afterAll(async () => {
      await rules?.cleanup();
    });

    // The contexts' Firestore is typed as the compat API; at run time it is the modular one the SDK functions take.
    const firestoreAs = (who: string) =>
      rules.authenticatedContext(who === 'customer' || who === 'stranger' ? `anon-${who}` : who, people[who]!.claims).firestore() as unknown as import('firebase/firestore').Firestore;

    it('lets each role read exactly the tickets policy.canReadTicket allows, and their messages through one get()', async () => {
      for (const [who, { actor }] of Object.entries(people))
        for (const t of Object.values(fixtures)) {
          const fs = firestoreAs(who);
          const allowed = policy.canReadTicket(actor, t);
          const check = allowed ? assertSucceeds : assertFails;
          if (actor.kind === 'customer') {
            // Never the ticket itself (it carries internal fields): their own projection, and nobody else's.
            await assertFails(web.getDoc(web.doc(fs, `tickets/${t.id}`)));
            await check(web.getDoc(web.doc(fs, `${CUSTOMER_TICKETS}/${t.id}`)));
            if (inQueue(t)) await assertFails(web.getDoc(web.doc(fs, `${QUEUE}/${t.id}`)));
          } else {
            await check(web.getDoc(web.doc(fs, `tickets/${t.id}`)));
            await assertFails(web.getDoc(web.doc(fs, `${CUSTOMER_TICKETS}/${t.id}`)));
            // A queue entry is read exactly as its waiting ticket is.
            if (inQueue(t)) await check(web.getDoc(web.doc(fs, `${QUEUE}/${t.id}`)));
          }
          const thread = web.collection(fs, `tickets/${t.id}/messages`);
          if (actor.kind === 'customer') {
            // The customer's side of the conversation only: never the system lines.
            await check(web.getDocs(web.query(thread, web.where('direction', 'in', ['in', 'out']))));
            await assertFails(web.getDocs(thread));
            await assertFails(web.getDoc(web.doc(fs, `tickets/${t.id}/messages/${t.id}-system`)));
          } else {
            await check(web.getDocs(web.query(thread, web.orderBy('createdAt', 'asc'))));
          }
        }
      await assertFails(web.getDoc(web.doc(rules.unauthenticatedContext().firestore() as unknown as import('firebase/firestore').Firestore, 'tickets/rules-suporte-waiting')));
    });

    it('allows every catalogue query the core allows, and refuses what the core refuses', async () => {
      const reader: Reader = {
        get: async (ref) => {
          const data = (await db.doc(ref.collection === 'messages' ? `tickets/${ref.parentId}/messages/${ref.id}` : `${ref.collection}/${ref.id}`).get()).data();
          return (data ? fromFirestore(ref.collection, data) : null) as never;
        },
      };
      const checked: string[] = [];
      for (const [who, { actor }] of Object.entries(people))
        for (const ticket of Object.values(fixtures)) {
          const cases = paramSets({ ticketId: ticket.id, contactId: ticket.contactId });
          for (const q of catalogue as readonly AnyQuery[])
            for (const params of cases[q.name] ?? [{}]) {
              const fs = firestoreAs(who);
              const label = `${q.name} ${JSON.stringify(params)} as ${who}`;
              const target = await resolveSubscription(actor, q.name, params, reader).catch((e: { code?: string }) => e);
              // A customer reads tickets through their projection, as the widget's Firebase driver does; staff read
              // Esperando from the queue's entries, as the console's driver does (firestoreCollectionOf).
              const onSide = (c: string) => (actor.kind === 'customer' && c === 'tickets' ? CUSTOMER_TICKETS : c);
              const run = (t: ReturnType<typeof q.target>): Promise<unknown> =>
                t.kind === 'doc'
                  ? web.getDoc(web.doc(fs, `${onSide(t.ref.collection)}/${t.ref.id}`))
                  : web.getDocs(webQueryOf(fs, t.spec, t.spec.collection === 'tickets' ? (actor.kind === 'customer' ? CUSTOMER_TICKETS : firestoreCollectionOf(q.name, t.spec)) : t.spec.collection));
              if ('kind' in target) {
                await assertSucceeds(run(target)).catch((e: Error) => {
                  throw new Error(`${label} is allowed by the core but refused by the rules: ${e.message}`);
                });
                checked.push(label);
              } else if ((target as { code?: string }).code === 'permission-denied') {
                // Rules are a superset for admins (they read everything) and for staff on the widget's queries.
                if (actor.kind === 'staff' && (actor.role === 'admin' || q.name.startsWith('customer.'))) continue;
                const parsed = q.params.safeParse(params);
                if (!parsed.success) continue;
                let refused: Promise<unknown>;
                try {
                  refused = run(q.target(parsed.data, actor));
                } catch {
                  continue; // not even expressible for this actor (a staff-only query has no uid for a customer)
                }
                await assertFails(refused).catch((e: Error) => {
                  throw new Error(`${label} is refused by the core but allowed by the rules: ${e.message}`);
                });
                checked.push(`${label} (denied)`);
              }
            }
        }
      expect(checked.length).toBeGreaterThan(100);
    });

    it('reads configuration as DESIGN §5 says and lets no client write anything', async () => {
      for (const [who, { actor }] of Object.entries(people)) {
        const fs = firestoreAs(who);
        const staff = actor.kind === 'staff';
        // templates: WhatsApp's, for the picker; counters include the copilot's token usage (copilot.tokens.*, sharded).
        for (const path of ['users/ana', 'sectors/suporte', 'tags/vip', 'classifications/duvida', 'quickReplies/ola', 'settings/workspace', 'counters/tickets.waiting.sector.suporte', 'pauseReasons/almoco', 'meta/config', 'templates/boas_vindas', 'counters/copilot.tokens.prompt~0'])
          await (staff ? assertSucceeds : assertFails)(web.getDoc(web.doc(fs, path)));
        // Every sector's counts, its agents' open counts included (the listener behind an agent's total): staff, as before.
        await (staff ? assertSucceeds : assertFails)(web.getDocs(web.query(web.collection(fs, 'counters'), web.where('id', '>=', SECTOR_COUNTS_PREFIX), web.where('id', '<', `${SECTOR_COUNTS_PREFIX}\uf8ff`))));
        // The configuration's version: that one document, not the collection or another one in it.
        await assertFails(web.getDocs(web.collection(fs, 'meta')));
        await assertFails(web.getDoc(web.doc(fs, 'meta/other')));
        await (staff ? assertSucceeds : actor.kind === 'customer' && actor.channelId === 'site' ? assertSucceeds : assertFails)(web.getDoc(web.doc(fs, 'channels/site')));
        // This wave's functions-only collections (report facts, presence history, copilot examples, channel secrets) too.
        for (const path of ['outbox/x', 'receipts/x', 'processedEvents/x', 'facts/x', 'presenceEvents/x', 'copilotExamples/x', 'channelSecrets/whatsapp', 'sipSecrets/ana', 'secrets/fileLinks', 'quotas/x~messages', 'meta/queue'])
          await assertFails(web.getDoc(web.doc(fs, path)));
        for (const path of ['tickets/rules-suporte-waiting', 'tickets/new', `${CUSTOMER_TICKETS}/rules-suporte-waiting`, `${CUSTOMER_TICKETS}/new`, 'users/ana', `users/${staff ? actor.uid : 'x'}`, 'counters/x', 'settings/workspace', 'tickets/rules-suporte-waiting/messages/new', 'outbox/x', 'stats/x', 'facts/x', 'presenceEvents/x', 'pauseReasons/x', 'channelSecrets/whatsapp', 'copilotExamples/x', 'meta/config', `${QUEUE}/rules-suporte-waiting`, `${QUEUE}/new`])
          await assertFails(web.setDoc(web.doc(fs, path), { id: 'x' }));
        await assertFails(web.deleteDoc(web.doc(fs, 'tickets/rules-suporte-waiting')));
        // Esperando's entries are the functions' alone: no client adds, edits or removes one.
        await assertFails(web.deleteDoc(web.doc(fs, `${QUEUE}/rules-suporte-waiting`)));
      }
      await assertSucceeds(web.getDoc(web.doc(firestoreAs('ana'), 'claims/ana')));
      await assertFails(web.getDoc(web.doc(firestoreAs('ana'), 'claims/bruno')));
    });

    it("reads Relatórios' aggregates (stats) as core's canReadStats: admins every row, a supervisor their sectors' rows, agents and customers none", async () => {
      for (const sectorId of ['suporte', 'financeiro'])
        await db.doc(`stats/rules-${sectorId}~0`).set({ id: `rules-${sectorId}~0`, period: 'day', key: '2026-11-02', sectorId, shard: 0 });
      for (const [who, { actor }] of Object.entries(people)) {
        const fs = firestoreAs(who);
        for (const sectorId of ['suporte', 'financeiro']) {
          const allowed = actor.kind === 'staff' && (actor.role === 'admin' || (actor.role === 'supervisor' && actor.sectorIds.includes(sectorId)));
          await (allowed ? assertSucceeds : assertFails)(web.getDoc(web.doc(fs, `stats/rules-${sectorId}~0`)));
        }
      }
    });

    it('lets a console write only its own heartbeat, stamped with the server\'s time, and nobody read one', async () => {
      const beat = (who: string, uid: string, data: Record<string, unknown>) => web.setDoc(web.doc(firestoreAs(who), `presenceBeats/${uid}`), data);
      await assertSucceeds(beat('ana', 'ana', { at: web.serverTimestamp() }));
      // Every 30 s: the same document again.
      await assertSucceeds(beat('ana', 'ana', { at: web.serverTimestamp() }));
      await assertFails(beat('ana', 'bruno', { at: web.serverTimestamp() }));
      // The browser's own clock is not the server's: an offline console cannot claim to be online.
      await assertFails(beat('ana', 'ana', { at: web.Timestamp.fromMillis(Date.now() + 3_600_000) }));
      await assertFails(beat('ana', 'ana', { at: web.serverTimestamp(), presence: 'online' }));
      await assertFails(beat('customer', 'anon-customer', { at: web.serverTimestamp() }));
      for (const who of ['ana', 'admin', 'customer']) await assertFails(web.getDoc(web.doc(firestoreAs(who), 'presenceBeats/ana')));
      await assertFails(web.deleteDoc(web.doc(firestoreAs('ana'), 'presenceBeats/ana')));
    });

    it('stops a session whose rights were taken away at once: a token from before claims/{uid}.revokedAt reads nothing, a later sign-in reads', async () => {
      const now = Date.now();
      const revokedAt = Math.floor(now / 1000);
      const claims = { role: 'agent', sectorIds: ['suporte'], seesAllHistory: false };
      const at = (authTime: number) => rules.authenticatedContext('revoked-agent', { ...claims, auth_time: authTime }).firestore() as unknown as import('firebase/firestore').Firestore;
      // As syncClaims stamps it (a timestamp of whole seconds), and as it was stamped before times were timestamps (seconds, a number).
      for (const stamp of [revokedAtOf(now), revokedAt]) {
        await db.doc('claims/revoked-agent').set({ uid: 'revoked-agent', updatedAt: Timestamp.fromMillis(now), role: 'agent', revokedAt: stamp });
        for (const path of ['tickets/rules-suporte-waiting', 'users/ana', 'sectors/suporte'])
          await assertFails(web.getDoc(web.doc(at(revokedAt - 60), path)));
        await assertFails(web.getDocs(web.query(web.collection(at(revokedAt), 'tickets'), web.where('status', '==', 'waiting'), web.where('sectorId', '==', 'suporte'))));
        for (const path of ['tickets/rules-suporte-waiting', 'users/ana', 'sectors/suporte'])
          await assertSucceeds(web.getDoc(web.doc(at(revokedAt + 1), path)));
      }
    });
  });

  defineConformance('official Firebase emulators (Auth, Functions, Firestore with rules)', async () => {
    await seed();
    const apps: ReturnType<typeof initializeWebApp>[] = [];
    const backends: { signOut(): Promise<void> }[] = [];
    let n = 0;
    return {
      async signIn(email) {
        const app = initializeWebApp({ projectId: PROJECT, apiKey: 'demo-key' }, `official-${++n}`);
        apps.push(app);
        const fs = web.getFirestore(app);
        web.connectFirestoreEmulator(fs, host, Number(port));
        const backend = createFirebaseBackend({
          app,
          db: fs,
          auth: await firebaseAuthPort(app, { emulatorUrl: `http://${process.env.FIREBASE_AUTH_EMULATOR_HOST}` }),
          call: callableCommand(app, { region: process.env.ATENDE_REGION ?? 'southamerica-east1', emulator: { host: '127.0.0.1', port: 5001 } }),
        });
        await backend.signIn(email, DEMO_PASSWORD);
        backends.push(backend);
        return backend;
      },
      async inbound({ channelId, externalId, name, text }) {
        return (await executeCommand(commandRegistry, { store, clock, newId }, SYSTEM, 'inbound.receive', { channelId, externalId, contact: { name }, channelMessageId: `${externalId}-${newId()}`, text })) as { ticketId: string; protocol?: string };
      },
      async close() {
        await Promise.allSettled(backends.map((b) => b.signOut()));
        await Promise.allSettled(apps.map((a) => deleteWebApp(a)));
        await deleteApp(adminApp).catch(() => undefined);
      },
    };
  });
}
