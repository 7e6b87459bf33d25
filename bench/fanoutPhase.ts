import { LIMITS } from '../core/src/limits.ts';
import { fanout, type FanoutResult } from './fanout.ts';
import { figure, type Figure } from './report.ts';
import type { HttpClient } from './support/http.ts';
import type { LiveClient } from './support/live.ts';
import { memoryOf } from './support/memory.ts';
import { mapPool, sleep } from './support/pool.ts';
import type { ServerProcess } from './support/server.ts';
import { round } from './support/stats.ts';

export interface FanoutPhaseInput {
  server: ServerProcess;
  /** A fresh staff login (the run keeps it to close it). */
  session: (uid: string) => Promise<HttpClient>;
  /** A live socket of that login (the run keeps it to close it). */
  socket: (c: HttpClient) => Promise<LiveClient>;
  /** Every socket the run opened so far: the memory figure counts the open ones. */
  sockets: readonly LiveClient[];
  /** Ana, who serves `ticketId` once the phase accepts it and sends the messages. */
  ana: HttpClient;
  ticketId: string;
  sizes: readonly number[];
  messages: number;
  stored: number;
  /** Messages that came in through HTTP before the restart (null: not counted, e.g. a copied data dir). */
  throughHttp: number | null;
  queueTickets: number;
  /** RSS of the process that took the ingestion before the restart, when there was one. */
  residualRss: number | null;
  log: (...args: unknown[]) => void;
}

const ms = (x: number) => `${round(x, 1)} ms`;

/**
 * `fanout_p99_ms_500` and `rss_mb_500_clients` on the server restarted on
 * the filled data dir: Ana's messages to N sockets watching her ticket, then
 * a working day's shape held open (every socket on the thread, a supervisor
 * on the whole waiting queue) while the server's memory is read.
 */
export const fanoutPhase = async (input: FanoutPhaseInput): Promise<{ figures: Figure[]; sections: string[] }> => {
  const { server, log, sizes, messages } = input;
  const figures: Figure[] = [];
  const sections: string[] = [];
  const maxClients = Math.max(...sizes);
  log(`fan-out: opening ${maxClients} staff sockets`);
  // A staff session may hold LIMITS.live.maxSocketsPerSession sockets: the watchers are fresh logins of the four users in turn, enough of them.
  const perSession = LIMITS.live.maxSocketsPerSession;
  const watchers = await mapPool(
    Array.from({ length: Math.ceil(maxClients / perSession) }, (_, i) => ['admin', 'supervisor', 'ana', 'carla'][i % 4]!),
    4,
    (uid) => input.session(uid),
  );
  const fanSockets = await mapPool(
    Array.from({ length: maxClients }, (_, i) => i),
    25,
    (i) => input.socket(watchers[i % watchers.length]!),
  );
  const accepted = await input.ana.post('/api/commands/ticket.accept', { ticketId: input.ticketId });
  if (accepted.status !== 200) throw new Error(`ticket.accept: ${accepted.status} ${JSON.stringify(accepted.body)}`);
  const fan: FanoutResult[] = [];
  for (const n of sizes) {
    const r = await fanout(input.ana, fanSockets, input.ticketId, n, messages, server.cpuMs);
    fan.push(r);
    log(`  ${n} clients: p50 ${ms(r.latency.p50)}, p99 ${ms(r.latency.p99)}, missed ${r.missed}; CPU per message: server ${round(r.serverCpuMs, 2)} ms, load generator ${round(r.loadCpuMs, 2)} ms; server CPU for the ${n} subscriptions ${round(r.subscribeCpuMs)} ms`);
  }
  const at500 = fan.find((r) => r.clients === 500);
  figures.push(figure('fanout_p99_ms_500', at500 && at500.missed === 0 ? at500.latency.p99 : null));
  sections.push(
    '## Fan-out',
    '',
    `Ana (agent) sends ${messages} messages one after another with \`message.send\` on a ticket she serves; N staff sockets (fresh sessions of admin, supervisor, Ana and Carla in turn, at most ${perSession} sockets each as the server allows) are subscribed to \`messages.ofTicket\` for it. Latency runs from the start of the HTTP call to each socket receiving the added message; "last client" is, per message, until the slowest socket had it. CPU per message is taken over the sends alone (the subscriptions' snapshots before them excluded; /proc/<pid>/stat for the server, \`process.cpuUsage()\` for the load generator, which reads all N sockets on the same cores). The server runs on the filled data dir (${input.stored} messages, ${input.queueTickets}+ tickets).`,
    '',
    '| clients | deliveries | p50 | p95 | p99 | max | last client p50 | last client p99 | missed | server CPU per message | load generator CPU per message |',
    '|---|---|---|---|---|---|---|---|---|---|---|',
    ...fan.map(
      (r) =>
        `| ${r.clients} | ${r.latency.count} | ${ms(r.latency.p50)} | ${ms(r.latency.p95)} | ${ms(r.latency.p99)} | ${ms(r.latency.max)} | ${ms(r.lastClient.p50)} | ${ms(r.lastClient.p99)} | ${r.missed} | ${ms(r.serverCpuMs)} | ${ms(r.loadCpuMs)} |`,
    ),
    '',
  );

  // ── Memory ───────────────────────────────────────────────────────────
  // A working day's shape: every fan-out socket holds the thread, a supervisor holds the whole 10k queue.
  for (const [i, s] of fanSockets.entries()) s.subscribe(`hold-${i}`, 'messages.ofTicket', { ticketId: input.ticketId, limit: 100 });
  const supervisor = await input.session('supervisor');
  const sup = await input.socket(supervisor);
  const held = await sup.snapshot('hold-queue', 'tickets.waiting', { sectorIds: ['suporte', 'financeiro'], limit: 10_000 }, 30_000);
  await sleep(2000);
  const rssSamples: number[] = [];
  for (let i = 0; i < 5; i++) {
    rssSamples.push(server.rssMb());
    await sleep(200);
  }
  const rss = Math.max(...rssSamples);
  const parts = memoryOf(server.pid);
  const connected = input.sockets.filter((s) => s.socket.readyState === s.socket.OPEN).length;
  log(`memory: RSS ${round(rss)} MB (${parts.summary}) with ${connected} sockets open and ${input.stored} messages stored`);
  figures.push(figure('rss_mb_500_clients', connected >= 500 && input.stored >= 100_000 ? rss : null));
  sections.push(
    '## Memory',
    '',
    `VmRSS of the server process (max of five readings 200 ms apart) with ${connected} WebSocket clients connected — ${fanSockets.length} subscribed to a thread, one supervisor holding the waiting queue (${held.length} tickets) — and ${input.stored} messages stored (counted in the SQLite file; ${input.throughHttp === null ? 'most' : input.throughHttp} came in through the widget${input.throughHttp === null ? '' : ' during this run'}, the rest were added as older history through the Store port while the server was stopped), after the fan-out runs, on the process restarted on the filled data dir.`,
    '',
    `Where it is (/proc/<pid>/smaps_rollup): ${parts.summary}.`,
    '',
    ...(input.residualRss === null
      ? []
      : [`For comparison, the first process, which took all the ingestion and queue traffic before (and had no client left), ended at ${round(input.residualRss)} MB: V8 keeps heap pages it grew into.`, '']),
  );
  return { figures, sections };
};
