import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { HEARTBEAT_SLICES, startHeartbeat } from '../src/live/heartbeat.ts';
import type { Client } from '../src/live/types.ts';

/** Only what the heartbeat touches of a socket, recording it (the real-socket case is server/test/app.test.ts). */
const clientsOf = (n: number, log: string[]) =>
  new Set(
    Array.from({ length: n }, (_, i) => {
      const ws = {
        ping: () => log.push(`ping ${i}`),
        terminate: () => log.push(`terminate ${i}`),
        close: (code: number) => log.push(`close ${i} ${code}`),
      };
      return { ws, alive: true, heartbeatSlice: i % HEARTBEAT_SLICES, sessionHash: i === 3 ? 'ended' : null } as unknown as Client;
    }),
  );

describe('live heartbeat', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('visits every socket once per period, a tenth of them at a time', () => {
    const log: string[] = [];
    const clients = clientsOf(500, log);
    const stop = startHeartbeat(clients, 30_000, (hash) => hash !== 'ended');
    const perTurn: number[] = [];
    for (let t = 0; t < HEARTBEAT_SLICES; t++) {
      const before = log.length;
      vi.advanceTimersByTime(30_000 / HEARTBEAT_SLICES);
      perTurn.push(log.length - before);
    }
    expect(perTurn).toEqual(Array.from({ length: HEARTBEAT_SLICES }, () => 50));
    expect(log.filter((l) => l.startsWith('ping')).length).toBe(499);
    expect(log).toContain('close 3 4401');
    stop();
  });

  it('terminates, at its next visit, a socket that did not answer its ping', () => {
    const log: string[] = [];
    const clients = clientsOf(20, log);
    const stop = startHeartbeat(clients, 1000);
    vi.advanceTimersByTime(1000);
    for (const [i, c] of [...clients].entries()) if (i !== 7) c.alive = true; // every socket but #7 answered
    log.length = 0;
    vi.advanceTimersByTime(1000);
    expect(log.filter((l) => l.startsWith('terminate'))).toEqual(['terminate 7']);
    expect(log.filter((l) => l.startsWith('ping')).length).toBe(19);
    stop();
    log.length = 0;
    vi.advanceTimersByTime(5000);
    expect(log).toEqual([]);
  });
});
