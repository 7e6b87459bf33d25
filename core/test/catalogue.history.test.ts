import { describe, expect, it } from 'vitest';
import { policy, resolveSubscription, runQuery, type Actor, type QuerySpec, type Ticket } from '../src/index.ts';
import { expectError, makeWorld, MINUTE, staff } from './support.ts';

/**
 * G1 Histórico (`tickets.history`): closed tickets in Suporte (Ana's, classified and tagged) and in
 * Financeiro (Bruno's), closed a few minutes apart.
 */
const setup = async () => {
  const w = await makeWorld();
  const close = async (externalId: string, sectorId: 'suporte' | 'financeiro', agent: string, extra: { classificationId?: string; tagIds?: string[] } = {}) => {
    const { ticketId } = (await w.inbound('site', externalId, 'Oi')) as { ticketId: string };
    if (sectorId === 'financeiro') await w.run(staff('carla'), 'ticket.transfer', { ticketId, sectorId });
    await w.run(staff(agent), 'ticket.accept', { ticketId });
    if (extra.tagIds) await w.run(staff(agent), 'ticket.setTags', { ticketId, tagIds: extra.tagIds });
    await w.run(staff(agent), 'ticket.close', { ticketId, classificationId: extra.classificationId ?? null });
    w.advance(MINUTE);
    return ticketId;
  };
  const a = await close('h1', 'suporte', 'ana', { classificationId: 'duvida', tagIds: ['vip'] });
  const b = await close('h2', 'suporte', 'ana');
  const c = await close('h3', 'financeiro', 'bruno', { classificationId: 'duvida' });
  const d = await close('h4', 'suporte', 'carla', { tagIds: ['vip', 'novo'] });
  return { w, ids: { a, b, c, d } };
};

const historian: Actor = { ...staff('ana'), seesAllHistory: true };

describe('tickets.history', async () => {
  const { w, ids } = await setup();
  const resolve = (actor: Actor, params: Record<string, unknown>) => resolveSubscription(actor, 'tickets.history', params, w.reader);
  const run = async (actor: Actor, params: Record<string, unknown>) => {
    const target = await resolve(actor, params);
    if (target.kind !== 'query') throw new Error('expected a query');
    return runQuery(target.spec, w.store.all('tickets')) as Ticket[];
  };
  const spec = async (actor: Actor, params: Record<string, unknown>): Promise<QuerySpec> => {
    const target = await resolve(actor, params);
    if (target.kind !== 'query') throw new Error('expected a query');
    return target.spec;
  };

  it('an agent without seesAllHistory must name sectors, and only their own', async () => {
    await expectError(resolve(staff('ana'), {}), 'permission-denied', /name the sectors/);
    await expectError(resolve(staff('ana'), { sectorIds: ['financeiro'] }), 'permission-denied', /not in sector financeiro/);
    await expectError(resolve(staff('ana'), { sectorIds: ['suporte', 'financeiro'], classificationId: 'duvida' }), 'permission-denied', /financeiro/);
    // A supervisor in Suporte only is held to it too; seesAllHistory is what opens every sector.
    await expectError(resolve({ ...staff('sergio'), seesAllHistory: false }, { sectorIds: ['vendas'] }), 'permission-denied', /vendas/);
    expect((await run(staff('ana'), { sectorIds: ['suporte'] })).map((t) => t.id)).toEqual([ids.d, ids.b, ids.a]);
  });

  it('admins and seesAllHistory list every sector, newest first', async () => {
    expect((await run(historian, {})).map((t) => t.id)).toEqual([ids.d, ids.c, ids.b, ids.a]);
    expect((await run(staff('alice'), { sectorIds: ['financeiro'] })).map((t) => t.id)).toEqual([ids.c]);
    await expectError(resolve({ kind: 'customer', contactId: 'x', channelId: 'site' }, {}), 'permission-denied', /only staff/);
  });

  it('each narrowing filter runs on the server, with the sector scope', async () => {
    expect((await run(staff('ana'), { sectorIds: ['suporte'], classificationId: 'duvida' })).map((t) => t.id)).toEqual([ids.a]);
    expect((await run(historian, { classificationId: 'duvida' })).map((t) => t.id)).toEqual([ids.c, ids.a]);
    expect((await run(staff('ana'), { sectorIds: ['suporte'], tagId: 'vip' })).map((t) => t.id)).toEqual([ids.d, ids.a]);
    expect((await run(historian, { assigneeId: 'bruno' })).map((t) => t.id)).toEqual([ids.c]);
    expect((await run(historian, { channelId: 'zap' }))).toEqual([]);
    expect(await spec(staff('ana'), { sectorIds: ['suporte'], tagId: 'vip' })).toMatchObject({
      where: [['status', '==', 'closed'], ['sectorId', 'in', ['suporte']], ['tagIds', 'array-contains', 'vip']],
      orderBy: [['closedAt', 'desc']],
    });
  });

  it('the date range and the page cursor share the one range field', async () => {
    const c = w.ticket(ids.c).closedAt!;
    const b = w.ticket(ids.b).closedAt!;
    expect((await run(historian, { closedFrom: b, closedTo: c + 1 })).map((t) => t.id)).toEqual([ids.c, ids.b]);
    // The cursor and the range end: the earlier one bounds the page.
    expect((await run(historian, { closedFrom: b, closedTo: c + 1, before: c })).map((t) => t.id)).toEqual([ids.b]);
    expect((await run(historian, { before: c + 1, limit: 1 })).map((t) => t.id)).toEqual([ids.c]);
    const s = await spec(historian, { closedFrom: 10, closedTo: 30, before: 20 });
    expect(s.where).toEqual([['status', '==', 'closed'], ['closedAt', '>=', 10], ['closedAt', '<', 20]]);
  });

  it('two narrowing filters at once are refused, naming the field (no index serves them)', async () => {
    const e = await expectError(resolve(historian, { classificationId: 'duvida', tagId: 'vip' }), 'invalid-argument');
    expect(e.issues.map((i) => i.path)).toEqual(['tagId']);
    const limit = await expectError(resolve(historian, { limit: 201 }), 'invalid-argument');
    expect(limit.issues.map((i) => i.path)).toEqual(['limit']);
  });

  it('rules are not filters: every row an allowed history query returns, the actor may read', async () => {
    const actors: Actor[] = [staff('ana'), staff('bruno'), staff('carla'), staff('sergio'), staff('alice'), historian];
    const narrowings = [{}, { classificationId: 'duvida' }, { tagId: 'vip' }, { assigneeId: 'ana' }, { assigneeId: 'bruno' }];
    let returned = 0;
    for (const actor of actors)
      for (const sectorIds of [undefined, ['suporte'], ['financeiro'], ['suporte', 'financeiro']])
        for (const narrowing of narrowings) {
          const target = await resolve(actor, { ...(sectorIds && { sectorIds }), ...narrowing }).catch(() => null);
          if (target?.kind !== 'query') continue;
          for (const t of runQuery(target.spec, w.store.all('tickets')) as Ticket[]) {
            expect(policy.canReadTicket(actor, t), `${JSON.stringify(actor)} got ${t.protocol}`).toBe(true);
            returned++;
          }
        }
    expect(returned).toBeGreaterThan(20);
  });
});
