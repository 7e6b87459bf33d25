import { describe, expect, it } from 'vitest';
import { refs, RECENT_SENDS, type Message, type QuerySpec, type Ticket, type Tx } from '../src/index.ts';
import { makeWorld, MINUTE, staff, type World } from './support.ts';

/** The queries of every transaction the world runs from now on (Firestore bills one read even for a query that finds nothing). */
const countQueries = (w: World): QuerySpec[] => {
  const seen: QuerySpec[] = [];
  const transaction = w.store.transaction.bind(w.store);
  w.store.transaction = ((fn: (tx: Tx) => Promise<unknown>) =>
    transaction((tx) =>
      fn(
        new Proxy(tx, {
          get(target, prop) {
            if (prop === 'query') return (spec: QuerySpec) => (seen.push(spec), target.query(spec));
            const v = Reflect.get(target, prop) as unknown;
            return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
          },
        }),
      ),
    )) as typeof w.store.transaction;
  return seen;
};

const served = async (w: World): Promise<Ticket> => {
  const { ticketId } = await w.inbound('site', 'v1', 'Olá');
  await w.run(staff('ana'), 'ticket.accept', { ticketId });
  return w.ticket(ticketId);
};
const send = async (w: World, ticketId: string, clientId: string) => (await w.run(staff('ana'), 'message.send', { ticketId, text: `texto ${clientId}`, clientId })).message as Message;

describe('a retried send found on the ticket (recentSends), not by a query', () => {
  it('a new ticket remembers its sends: no messages query, and a retry returns the stored message', async () => {
    const w = await makeWorld();
    const t = await served(w);
    expect(t.recentSends).toEqual([]);
    const queries = countQueries(w);
    const first = await send(w, t.id, 'c-1');
    expect(queries.filter((q) => q.collection === 'messages')).toEqual([]);
    expect(w.ticket(t.id).recentSends).toEqual([{ clientId: 'c-1', messageId: first.id }]);
    const before = w.dump();
    w.advance(MINUTE);
    expect(await send(w, t.id, 'c-1')).toEqual(first);
    expect(w.dump()).toBe(before);
    expect(queries.filter((q) => q.collection === 'messages')).toEqual([]);
  });

  it('a ticket written before the field looks its thread up, then remembers', async () => {
    const w = await makeWorld();
    const t = await served(w);
    const old = await send(w, t.id, 'c-old');
    // As stored before recentSends existed.
    await w.store.transaction(async (tx) => {
      const { recentSends: _gone, ...before } = (await tx.get(refs.ticket(t.id)))!;
      tx.set(refs.ticket(t.id), before);
    });
    const queries = countQueries(w);
    expect(await send(w, t.id, 'c-old')).toEqual(old);
    expect(queries.filter((q) => q.collection === 'messages')).toHaveLength(1);
    const next = await send(w, t.id, 'c-new');
    expect(w.ticket(t.id).recentSends).toEqual([{ clientId: 'c-new', messageId: next.id }]);
    expect(await send(w, t.id, 'c-new')).toEqual(next);
    expect(queries.filter((q) => q.collection === 'messages')).toHaveLength(2);
  });

  it(`keeps the last ${RECENT_SENDS} sends, newest last; a send without a client id changes nothing there`, async () => {
    const w = await makeWorld();
    const t = await served(w);
    const sent: Message[] = [];
    for (let i = 0; i < RECENT_SENDS + 3; i++) sent.push(await send(w, t.id, `c-${i}`));
    await w.run(staff('ana'), 'message.send', { ticketId: t.id, text: 'sem id' });
    const kept = w.ticket(t.id).recentSends!;
    expect(kept).toHaveLength(RECENT_SENDS);
    expect(kept.at(-1)).toEqual({ clientId: `c-${RECENT_SENDS + 2}`, messageId: sent.at(-1)!.id });
    expect(kept[0]!.clientId).toBe('c-3');
  });
});
