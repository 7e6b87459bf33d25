import { performance } from 'node:perf_hooks';
import type { HttpClient } from './support/http.ts';
import type { LiveClient } from './support/live.ts';
import { mapPool, sleep } from './support/pool.ts';
import { summarise, type Summary } from './support/stats.ts';

export interface FanoutResult {
  clients: number;
  messages: number;
  /** Every (message, client) delivery: from the start of the agent's send to that client's receipt. */
  latency: Summary;
  /** Per message: until the last client had it. */
  lastClient: Summary;
  missed: number;
  /** CPU per message over the sends alone (subscriptions excluded): the server's, and this load generator's. */
  serverCpuMs: number;
  loadCpuMs: number;
  /** Server CPU for the n subscriptions' snapshots before the sends (n sockets joining one thread). */
  subscribeCpuMs: number;
}

/**
 * One agent sends `messages` messages, one at a time, on a ticket that the
 * first `n` sockets watch through `messages.ofTicket`; each is timed from the
 * start of the HTTP call to each socket's receipt of the added message.
 */
export const fanout = async (sender: HttpClient, sockets: LiveClient[], ticketId: string, n: number, messages: number, serverCpuMs: () => number): Promise<FanoutResult> => {
  const watchers = sockets.slice(0, n);
  const subId = `fanout-${n}`;
  const subscribing = serverCpuMs();
  await mapPool(watchers, 50, (s) => s.snapshot(subId, 'messages.ofTicket', { ticketId, limit: 100 }, 30_000));
  const subscribeCpuMs = serverCpuMs() - subscribing;

  const latencies: number[] = [];
  const lastClient: number[] = [];
  let missed = 0;
  // A holder, not a `let`: the socket callbacks read what the loop below sets.
  const state: { current: { needle: string; got: Uint8Array; at: number; remaining: number; last: number; done: () => void } | null } = { current: null };
  // Matched on the frame's text: the added message carries its clientId, which no other line of the thread has.
  // (Its later `modified`, when the outbox marks it sent, is not counted twice: one receipt per socket.)
  const prefix = `{"type":"changes","id":${JSON.stringify(subId)},`;
  const offs = watchers.map((s, i) =>
    s.onRaw((raw, at) => {
      const current = state.current;
      if (!current || current.got[i] || !raw.startsWith(prefix) || !raw.includes(current.needle)) return;
      current.got[i] = 1;
      latencies.push(at - current.at);
      current.last = Math.max(current.last, at - current.at);
      if (--current.remaining === 0) current.done();
    }),
  );

  const cpu0 = { server: serverCpuMs(), load: process.cpuUsage() };
  for (let i = 0; i < messages; i++) {
    const clientId = `fan-${n}-${i}`;
    let done = () => {};
    const all = new Promise<void>((resolve) => (done = resolve));
    const current = { needle: `"clientId":${JSON.stringify(clientId)}`, got: new Uint8Array(watchers.length), at: performance.now(), remaining: watchers.length, last: 0, done };
    state.current = current;
    const res = await sender.post('/api/commands/message.send', { ticketId, text: `fan-out ${n} #${i}`, clientId });
    if (res.status !== 200) throw new Error(`message.send: ${res.status} ${JSON.stringify(res.body)}`);
    const timedOut = await Promise.race([all.then(() => false), sleep(3000).then(() => true)]);
    if (timedOut) missed += current.remaining;
    lastClient.push(current.last);
    state.current = null;
    await sleep(10);
  }
  const load = process.cpuUsage(cpu0.load);
  const cpu = { server: (serverCpuMs() - cpu0.server) / messages, load: (load.user + load.system) / 1000 / messages };
  for (const off of offs) off();
  for (const s of watchers) s.unsubscribe(subId);
  return { clients: n, messages, latency: summarise(latencies), lastClient: summarise(lastClient), missed, serverCpuMs: cpu.server, loadCpuMs: cpu.load, subscribeCpuMs };
};
