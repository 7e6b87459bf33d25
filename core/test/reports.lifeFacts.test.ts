import { describe, expect, it } from 'vitest';
import { factLog, MAX_WAITING, recompute } from '../src/index.ts';
import { makeWorld, staff } from './support.ts';

/** Firestore (`tx.factsPerLife`): a ticket life's facts wait on the ticket and are stored as one document when it ends. */
describe('one fact document per ticket life', () => {
  it('a life of bot, queue, accept, answer, transfer and close stores one fact document, and counts every fact when it happens', async () => {
    const w = await makeWorld({}, { factsPerLife: true });
    const { ticketId } = await w.inbound('zap', '5511987654321', 'Oi');
    // At the bot it has no sector: its opening waits for the sector it enters (reports/track.ts).
    expect(w.ticket(ticketId).lifeFacts).toBeUndefined();
    expect(w.ticket(ticketId).life?.unopened).toBe(true);
    await w.inbound('zap', '5511987654321', '1');
    const waiting = w.ticket(ticketId);
    expect(waiting.lifeFacts?.map((f) => f.kind)).toEqual(['created', 'queued']);
    // What a queue's listeners carry for it stays small: no ids, no defaults.
    expect(JSON.stringify(waiting.lifeFacts).length).toBeLessThan(260);
    // Counted already: the day's aggregate has the arrival and the queueing.
    const day = () => w.store.all('stats').find((d) => d.period === 'day' && d.sectorId === 'suporte')!;
    expect(day().v['c|zap|queued']).toBe(1);
    expect(day().v['c|zap|created']).toBe(1);
    expect(waiting.life?.unopened).toBeUndefined();
    expect(w.store.all('stats').filter((d) => d.sectorId === null)).toEqual([]);
    await w.run(staff('ana'), 'ticket.accept', { ticketId });
    await w.run(staff('ana'), 'message.send', { ticketId, text: 'Olá!' });
    await w.run(staff('ana'), 'ticket.transfer', { ticketId, assigneeId: 'carla' });
    expect(w.store.all('facts')).toEqual([]);
    await w.run(staff('carla'), 'ticket.close', { ticketId });
    const [life, ...others] = w.store.all('facts');
    expect(others).toEqual([]);
    expect(life).toMatchObject({ kind: 'closed', ticketId, agentId: 'carla' });
    expect(life!.earlier?.map((f) => f.kind)).toEqual(['created', 'queued', 'accepted', 'firstResponse', 'transferred', 'accepted']);
    expect(w.ticket(ticketId).lifeFacts).toEqual([]);
    expect(day().v['c|zap|closed']).toBe(1);
    // The log read back whole recomputes the aggregates exactly.
    const stats = recompute(factLog(w.store.all('facts'), w.store.all('tickets')));
    for (const doc of w.store.all('stats')) expect(stats.get(doc.id)?.v).toEqual(doc.v);
  });

  it(`a ticket passed around many times stores its facts early, ${MAX_WAITING} at most waiting`, async () => {
    const w = await makeWorld({}, { factsPerLife: true });
    const { ticketId } = await w.inbound('site', 'v1', 'Oi');
    for (let i = 0; i < 8; i++) await w.run(staff('alice'), 'ticket.transfer', { ticketId, assigneeId: i % 2 ? 'ana' : 'carla' });
    expect(w.ticket(ticketId).lifeFacts!.length).toBeLessThanOrEqual(MAX_WAITING);
    expect(w.store.all('facts').length).toBeGreaterThan(0);
    const stats = recompute(factLog(w.store.all('facts'), w.store.all('tickets')));
    for (const doc of w.store.all('stats')) expect(stats.get(doc.id)?.v).toEqual(doc.v);
  });

  it('the embedded server (no factsPerLife) keeps one row per fact and nothing on the ticket', async () => {
    const w = await makeWorld();
    const { ticketId } = await w.inbound('site', 'v1', 'Oi');
    expect(w.ticket(ticketId).lifeFacts).toBeUndefined();
    expect(w.store.all('facts').map((f) => f.kind)).toEqual(['created', 'queued']);
  });
});
