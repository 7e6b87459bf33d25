import { describe, expect, it } from 'vitest';
import { resolveSubscription, runQuery, type Message } from '../src/index.ts';
import { makeWorld, MINUTE, staff } from './support.ts';

describe('messages.ofTicket', () => {
  it('`after`: only the lines created after an instant, still the last page first (a closed copy’s console hears its close line)', async () => {
    const w = await makeWorld();
    const { ticketId } = (await w.inbound('site', 'a1', 'Oi')) as { ticketId: string };
    w.advance(MINUTE);
    await w.run(staff('ana'), 'ticket.accept', { ticketId });
    w.advance(MINUTE);
    await w.run(staff('ana'), 'ticket.close', { ticketId, classificationId: null });
    const run = async (params: Record<string, unknown>) => {
      const target = await resolveSubscription(staff('ana'), 'messages.ofTicket', { ticketId, ...params }, w.reader);
      if (target.kind !== 'query') throw new Error('expected a query');
      return runQuery(target.spec, w.store.all('messages').filter((m) => (m as Message).ticketId === ticketId)) as Message[];
    };
    const all = await run({});
    const accepted = all.findIndex((m) => m.event?.kind === 'accepted');
    expect(accepted).toBeGreaterThan(0);
    const after = await run({ after: all[accepted]!.createdAt });
    expect(after.map((m) => m.id)).toEqual(all.slice(accepted + 1).map((m) => m.id));
    expect(after.at(-1)!.event?.kind).toBe('closed');
    expect(await run({ after: all[accepted]!.createdAt, before: all[accepted]!.createdAt + 1 })).toEqual([]);
  });
});
