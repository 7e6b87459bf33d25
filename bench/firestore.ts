/**
 * `firestore_reads_per_ticket` / `firestore_writes_per_ticket`: what one
 * standard ticket's life costs on Firestore while 40 agents of its sector
 * have the console open. Runs in-process on @firestore-emulator/server (the
 * functions' test support) with the real pieces: the Store port and the
 * `command` handler (functions/), the SPA's Firebase driver on the web SDK
 * (one app per agent), the delivery trigger's handler (on every message write),
 * and a WhatsApp carrier that accepts every reply (checked at the end). No
 * presence beats: they cost 2 writes a minute per console, not per ticket.
 *
 * How reads and writes are counted (the emulator bills nothing itself):
 * - server side, by wrapping the emulator's gRPC handlers: every document a
 *   `BatchGetDocuments` asks for is one read, every `RunQuery` costs the
 *   documents it returns (at least one), every write of a `Commit` is one
 *   write. The functions' transactions read and write this way.
 * - client side, in the web SDK's snapshots (the driver's `meter` hook):
 *   a listener's first snapshot costs its documents (at least one), every
 *   later snapshot costs its `docChanges()` (added, modified, removed), as
 *   Firestore bills listeners — but a document removed because it was
 *   DELETED is free (Firestore's pricing: "when a document is deleted, you
 *   are not charged for a read"): the server side knows which documents the
 *   commits deleted (`deleted(path)`) and those removals are not counted.
 *   (The Node emulator re-sends whole result sets on every write; the SDK's
 *   own diff is what real Firestore would send.)
 * - deletes apart from writes (`deletes`), as Firestore bills them.
 *
 * The life: a WhatsApp message opens the ticket at the bot, the customer
 * picks the menu option (it lands in Suporte's queue), Ana accepts and opens
 * the conversation, 5 customer and 5 agent messages alternate, Ana transfers
 * it to Carla, who opens it and closes it. Only what happens from the first
 * message until every listener has gone quiet is counted: setting up the 40
 * consoles is not.
 *
 * `BENCH_TRACE=1 npx tsx bench/firestore.ts` prints every counted commit's
 * documents, to see which step writes what.
 */
import { performance } from 'node:perf_hooks';
import { initializeApp, deleteApp, type FirebaseApp } from 'firebase/app';
import { connectFirestoreEmulator, getFirestore, terminate } from 'firebase/firestore';
import { commandRegistry, createIdGenerator, executeCommand, refs, seedDemo, SYSTEM, type Ticket, type User } from '@atende/core';
import { createFirebaseBackend, type AuthSession } from '../web/src/backend/firebase.ts';
import type { Backend, LiveEvent } from '../web/src/backend/types.ts';
import { followTicket } from '../web/src/live/ticketFollow.ts';
import { followThread, withCopyHeld } from '../web/src/live/threadFollow.ts';
import { consoleSubscriptions, VERSIONED_CATALOGUES } from '../web/src/live/consolePlan.ts';
import { followCatalogues } from '../web/src/live/catalogues.ts';
import { handleCommand, handleMessageWritten, sendingReplies, storeOf, type Deps } from '../functions/src/handlers.ts';
import { onMessageWritten } from '../conformance/messageTrigger.ts';
import { MemoryAuth } from '../conformance/firestore.ts';
import { PROJECT_ID, startEmulator } from '../functions/test/support/emulator.ts';
import { meterServer } from './support/firestoreMeter.ts';
import { acceptingCarriers, expectRepliesSent } from './support/acceptingCarrier.ts';

export interface FirestoreCost {
  agents: number;
  /** Consoles really connected; the others are counted as exact copies of an identical extra agent (see below). */
  simulated: number;
  /** Listener reads of one extra agent of the sector (identical for each: checked on two of them). */
  perExtraAgent: number;
  reads: number;
  /** Documents set, updated or created (Firestore's "document writes"). */
  writes: number;
  /** Documents deleted (Firestore's "document deletes", billed apart; a delete of nothing included). */
  deletes: number;
  serverReads: number;
  listenerReads: number;
  /** Listener reads by catalogue query. */
  byQuery: Record<string, number>;
  /** The functions' reads by collection (`query x` for queries) and writes by collection. */
  serverReadsBy: Record<string, number>;
  writesBy: Record<string, number>;
  deletesBy: Record<string, number>;
  durationMs: number;
}

const SETTLE_MS = Number(process.env.BENCH_SETTLE_MS ?? 1500);
const WARM_UP_MS = 5000;

/**
 * `agents` consoles of the sector, `connected` of them really (Ana, Carla
 * and identical extra agents). The Node emulator re-runs and re-sends every
 * listener target on every write, so 40 real consoles take many minutes; but
 * every extra agent has the same live queries and sees the same changes, so
 * each costs exactly the same reads: the bench connects a few, checks that
 * two extra agents cost the same, and counts the rest as copies of one.
 */
export const firestoreTicketCost = async ({ agents = 40, connected = 4 }: { agents?: number; connected?: number } = {}): Promise<FirestoreCost> => {
  const emulator = await startEmulator();
  const server = meterServer(emulator.server);
  const auth = new MemoryAuth();
  const deps: Deps = { db: emulator.db, auth, clock: Date.now, newId: createIdGenerator() };
  const carriers = acceptingCarriers();
  await seedDemo({ store: storeOf(emulator.db), clock: deps.clock, newId: deps.newId });
  // The sector's team: Ana and Carla from the demo, and more agents of Suporte up to `agents`.
  const team: User[] = [];
  await storeOf(emulator.db).transaction(async (tx) => {
    const ana = (await tx.get(refs.user('ana')))!;
    const carla = (await tx.get(refs.user('carla')))!;
    team.push(ana, carla);
    for (let i = team.length; i < Math.min(agents, Math.max(4, connected)); i++) {
      const u: User = { ...ana, id: `agente${i}`, name: `Agente ${i}`, email: `agente${i}@atende.local` };
      tx.set(refs.user(u.id), u);
      team.push(u);
    }
  });

  const listener = { on: false, reads: 0, byQuery: {} as Record<string, number>, byUser: {} as Record<string, number> };
  const apps: FirebaseApp[] = [];
  const backends = new Map<string, Backend>();
  const stops: (() => void)[] = [];
  const pending = new Set<Promise<unknown>>();
  let lastActivity = performance.now();
  try {
    for (const user of team) {
      const app = initializeApp({ projectId: PROJECT_ID, apiKey: 'bench' }, `bench-${user.id}`);
      apps.push(app);
      const db = getFirestore(app);
      connectFirestoreEmulator(db, '127.0.0.1', emulator.port);
      const claims = { role: user.role, sectorIds: user.sectorIds, seesAllHistory: user.seesAllHistory };
      const session: AuthSession = { uid: user.id, claims };
      const backend = createFirebaseBackend({
        app,
        db,
        auth: { current: async () => session, signIn: async () => session, signOut: async () => undefined, refresh: async () => session },
        // As the deployed `command` does, with the channels' carriers: replies go out right after the commit.
        call: (name, input) => handleCommand(deps, { uid: user.id, token: claims }, { name, input }, carriers),
        writeBeat: async () => undefined,
        meter: (query, changes, removed = []) => {
          lastActivity = performance.now();
          if (!listener.on) return;
          // A document that left the results because it was deleted is not billed; one that changed out of them is.
          const reads = changes - removed.filter((path) => server.deleted(path)).length;
          listener.reads += reads;
          listener.byQuery[query] = (listener.byQuery[query] ?? 0) + reads;
          listener.byUser[user.id] = (listener.byUser[user.id] ?? 0) + reads;
        },
      });
      await backend.signIn(user.email, 'x');
      backends.set(user.id, backend);
    }
    // Em atendimento's members per agent, and every ticket as the agent's listeners last told it (the tickets store: the
    // newer copy wins). An open conversation follows its ticket on its own only when that list does not carry it, and
    // follows its thread from the ticket's copy when it carries one.
    const mine = new Map<string, Set<string>>();
    const heard = new Map<string, Map<string, Ticket>>();
    const mineWatchers = new Set<() => void>();
    const hear = (uid: string, t: Ticket) => {
      const known = heard.get(uid) ?? new Map<string, Ticket>();
      heard.set(uid, known);
      if ((known.get(t.id)?.updatedAt ?? -Infinity) <= t.updatedAt) known.set(t.id, t);
    };
    // The tickets store takes the ticket a command answers with at once, with the copy it holds (web/src/live/threadFollow.ts
    // `withCopyHeld`); an open ticket known only from an answer is not one to choose the thread's source from.
    const answered = (uid: string, t: Ticket) => {
      const { ticket, known } = withCopyHeld(t, heard.get(uid)?.get(t.id));
      if (!known) return;
      hear(uid, ticket);
      for (const w of mineWatchers) w();
    };
    const trackMine = (uid: string, e: LiveEvent<Ticket>) => {
      const set = mine.get(uid) ?? new Set<string>();
      mine.set(uid, set);
      if (e.type === 'snapshot') {
        set.clear();
        for (const d of e.docs) {
          set.add(d.id);
          hear(uid, d);
        }
      } else if (e.type === 'changes')
        for (const c of e.changes) {
          if (c.type === 'removed') set.delete(c.doc.id);
          else set.add(c.doc.id);
          hear(uid, c.doc);
        }
      for (const w of mineWatchers) w();
    };
    // Every agent's console, as the SPA opens it (web/src/live/consolePlan.ts): its live queries, and the catalogues loaded
    // once and again when their version (meta/config) moves.
    for (const user of team) stops.push(followCatalogues(backends.get(user.id)!, VERSIONED_CATALOGUES, () => undefined));
    let ready = 0;
    const total = team.reduce((n, u) => n + consoleSubscriptions(u).length, 0);
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`only ${ready} of ${total} console subscriptions answered`)), 120_000);
      for (const user of team)
        for (const { query, params } of consoleSubscriptions(user)) {
          let first = true;
          stops.push(
            backends.get(user.id)!.subscribe(query, params as never, (e) => {
              if (e.type === 'error') console.error(`[bench firestore] ${user.id} ${query}: ${e.error.message}`);
              if (query === 'tickets.mine') trackMine(user.id, e as LiveEvent<Ticket>);
              if (first && ++ready === total) {
                clearTimeout(timer);
                resolve();
              }
              first = false;
            }),
          );
        }
    });
    // The delivery trigger (functions/src/index.ts `deliver`): every write of a message, as onDocumentWritten.
    stops.push(
      onMessageWritten(emulator.db, (at, before, after) => {
        const p = handleMessageWritten(deps, at, before, after, carriers).catch((e: unknown) => console.error('[bench firestore] delivery', e));
        pending.add(p);
        void p.finally(() => pending.delete(p));
      }),
    );
    // The Node emulator answers listeners late (it re-runs every target on every write): a step is over once
    // no listener has heard anything for SETTLE_MS since the step (a command that took longer than that is not quiet).
    const quiet = async (ms = SETTLE_MS) => {
      const from = performance.now();
      while (pending.size > 0 || performance.now() - Math.max(lastActivity, from) < ms) {
        await Promise.allSettled([...pending]);
        await new Promise((r) => setTimeout(r, 100));
      }
    };
    await quiet();
    await new Promise((r) => setTimeout(r, WARM_UP_MS)); // the web SDK's watch streams settle after the first snapshots
    await quiet();

    server.on = true;
    listener.on = true;
    const t0 = performance.now();
    const phone = '5511987650001';
    let n = 0;
    // The command the `webhooks` function runs for a customer's message, on its runner (the bot's replies leave right after the commit).
    const customer = (text: string) =>
      sendingReplies(deps, carriers, (runner) =>
        executeCommand(commandRegistry, runner, SYSTEM, 'inbound.receive', {
          channelId: 'whatsapp',
          externalId: phone,
          contact: { name: 'Cliente Bench', phone },
          channelMessageId: `wamid.bench.${++n}`,
          text,
        }),
      ) as Promise<{ ticketId: string }>;
    const ana = backends.get('ana')!;
    const carla = backends.get('carla')!;
    // Opening a conversation, as the conversation store does (web/src/stores/conversationLive.ts): the thread as
    // web/src/live/threadFollow.ts chooses from the ticket as the agent's listeners told it (its copy of the newest lines
    // and the revised ones, else the thread's own listener), and the ticket on its own only while the agent's Em
    // atendimento list does not carry it (web/src/live/ticketFollow.ts).
    const open = async (uid: string, ticketId: string) => {
      const b = backends.get(uid)!;
      let answer!: () => void;
      const answered = new Promise<void>((r) => (answer = r));
      const thread = followThread(ticketId, true, ({ query, params }) =>
        b.subscribe(query, params, (e) => {
          if (e.type === 'error') console.error(`[bench firestore] ${uid} ${query}: ${e.error.message}`);
          answer();
        }),
      );
      const follower = followTicket(() =>
        b.subscribe('ticket', { id: ticketId }, (e) => {
          if (e.type === 'error') console.error(`[bench firestore] ${uid} ticket: ${e.error.message}`);
          if (e.type === 'snapshot') e.docs.forEach((t) => hear(uid, t));
          if (e.type === 'changes') e.changes.forEach((c) => hear(uid, c.doc));
          thread.ticket(heard.get(uid)?.get(ticketId));
        }),
      );
      const watch = () => {
        follower.listed(mine.get(uid)?.has(ticketId) ?? false);
        thread.ticket(heard.get(uid)?.get(ticketId));
      };
      mineWatchers.add(watch);
      watch();
      await answered;
      return () => {
        mineWatchers.delete(watch);
        follower.stop();
        thread.stop();
      };
    };

    const { ticketId } = await customer('Oi, boa tarde');
    await quiet();
    await customer('1');
    await quiet();
    answered('ana', (await ana.run('ticket.accept', { ticketId })).ticket);
    // The tickets store puts the ticket a command answers with in Em atendimento at once (web/src/stores/tickets.ts).
    mine.get('ana')?.add(ticketId);
    const closeAna = await open('ana', ticketId);
    await quiet();
    for (let i = 1; i <= 5; i++) {
      await customer(`Mensagem ${i} do cliente`);
      await quiet();
      await ana.run('message.send', { ticketId, text: `Resposta ${i} da Ana`, attachments: [], clientId: `bench-${i}` });
      await quiet();
    }
    answered('ana', (await ana.run('ticket.transfer', { ticketId, assigneeId: 'carla' })).ticket);
    closeAna();
    // Carla opens it from her Em atendimento list, once it shows there.
    await new Promise<void>((resolve) => {
      const shown = () => {
        if (!mine.get('carla')?.has(ticketId)) return;
        mineWatchers.delete(shown);
        resolve();
      };
      mineWatchers.add(shown);
      shown();
    });
    const closeCarla = await open('carla', ticketId);
    await quiet();
    const { ticket: closed } = await carla.run('ticket.close', { ticketId, classificationId: 'duvida' });
    answered('carla', closed);
    await quiet();
    closeCarla();
    server.on = false;
    listener.on = false;
    await expectRepliesSent(emulator.db, ticketId, 6); // the bot's menu and Ana's 5
    const extras = team.slice(2).map((u) => listener.byUser[u.id] ?? 0);
    const perExtraAgent = extras[0] ?? 0;
    if (extras.some((n) => n !== perExtraAgent)) throw new Error(`identical agents cost different reads (${extras.join(', ')}): the extrapolation does not hold`);
    const copies = agents - team.length;
    const listenerReads = listener.reads + copies * perExtraAgent;
    return {
      agents,
      simulated: copies,
      perExtraAgent,
      reads: server.reads + listenerReads,
      writes: server.writes,
      deletes: server.deletes,
      serverReads: server.reads,
      listenerReads,
      byQuery: { ...listener.byQuery },
      serverReadsBy: server.readsBy,
      writesBy: server.writesBy,
      deletesBy: server.deletesBy,
      durationMs: performance.now() - t0,
    };
  } finally {
    for (const stop of stops) stop();
    await Promise.allSettled([...backends.values()].map((b) => b.signOut()));
    await Promise.allSettled(apps.map(async (a) => {
      await terminate(getFirestore(a));
      await deleteApp(a);
    }));
    await emulator.stop();
  }
};

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop()!)) {
  const r = await firestoreTicketCost({ agents: Number(process.env.BENCH_AGENTS ?? 40), connected: Number(process.env.BENCH_CONNECTED ?? 4) });
  console.log(JSON.stringify(r, null, 2));
  process.exit(0);
}
