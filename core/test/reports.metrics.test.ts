import { describe, expect, it } from 'vitest';
import { buildReport, histogramQuantile, bucketOf, refs, rollUpStats, type Report } from '../src/index.ts';
import { makeWorld, MINUTE, staff, T0, type World } from './support.ts';

const HOUR = 60 * MINUTE;

/** The report of everything recorded, read from the stats documents as the screen reads them. */
const report = (w: World, businessTime = false, period: 'day' | 'month' = 'day'): Report =>
  buildReport(w.store.all('stats').filter((d) => d.period === period), { businessTime });

const withSla = async (w: World, sla: { firstResponseMinutes: number | null; resolutionHours: number | null; businessHours: boolean }) =>
  w.store.transaction(async (tx) => {
    const s = (await tx.get(refs.sector('suporte')))!;
    tx.set(refs.sector('suporte'), { ...s, sla });
  });

const withSurvey = async (w: World) =>
  w.store.transaction(async (tx) => {
    const c = (await tx.get(refs.channel('site')))!;
    tx.set(refs.channel('site'), { ...c, survey: { enabled: true, question: 'Nota de 1 a 5?', thanks: 'Obrigado!', expiresMinutes: 60 } });
  });

describe('metric definitions on hand-built timelines', () => {
  it('TME, TMR1, TMA and resolution of one ticket, wall-clock', async () => {
    const w = await makeWorld();
    const { ticketId } = await w.inbound('site', 'v1', 'Oi'); // created + queued at T0
    w.advance(4 * MINUTE);
    await w.run(staff('ana'), 'ticket.accept', { ticketId }); // TME 4 min
    w.advance(2 * MINUTE);
    await w.run(staff('ana'), 'message.send', { ticketId, text: 'Olá!' }); // TMR1 6 min from queued
    w.advance(MINUTE);
    await w.run(staff('ana'), 'message.send', { ticketId, text: 'Mais alguma coisa?' }); // not a first response
    w.advance(13 * MINUTE);
    await w.run(staff('ana'), 'ticket.close', { ticketId, classificationId: 'duvida' }); // TMA 16 min, resolution 20 min
    const r = report(w);
    expect(r.totals).toMatchObject({ created: 1, queued: 1, accepted: 1, closed: 1, abandoned: 0, transfers: 0 });
    expect(r.totals.tme).toMatchObject({ n: 1, mean: 4 * MINUTE });
    expect(r.totals.tmr).toMatchObject({ n: 1, mean: 6 * MINUTE });
    expect(r.totals.tma).toMatchObject({ n: 1, mean: 16 * MINUTE });
    expect(r.totals.res).toMatchObject({ n: 1, mean: 20 * MINUTE });
    // The median of one value lies inside its histogram bucket.
    expect(r.totals.tme.median).toBeGreaterThan(3 * MINUTE);
    expect(r.totals.tme.median).toBeLessThanOrEqual(5 * MINUTE);
    expect(r.byAgent).toEqual([expect.objectContaining({ agentId: 'ana', accepted: 1, closed: 1, tmr: 6 * MINUTE, tma: 16 * MINUTE })]);
    expect(r.byClassification).toEqual([{ classificationId: 'duvida', closed: 1, tma: 16 * MINUTE, rated: 0 }]);
    expect(r.byChannel.map((c) => c.channelId)).toEqual(['site']);
    expect(r.bySector.map((s) => s.sectorId)).toEqual(['suporte']);
    // Monday 10:00 in São Paulo.
    expect(r.perDay).toEqual([{ day: '2026-11-23', created: 1, closed: 1 }]);
    expect(r.perHour[10]).toEqual({ hour: 10, created: 1, closed: 1 });
    expect(r.heatmap[1]![10]).toBe(1);
    // Rolled up once the day is older than yesterday, the month's document holds the same figures.
    expect(report(w, false, 'month').totals.created).toBe(0);
    w.advance(2 * 24 * HOUR);
    await rollUpStats(w.store, w.deps.clock());
    expect(report(w, false, 'month').totals).toEqual(r.totals);
  });

  it('transfers: each wait counts, the ticket is served once, the handling goes to who closed it', async () => {
    const w = await makeWorld();
    const { ticketId } = await w.inbound('site', 'v1', 'Oi');
    w.advance(2 * MINUTE);
    await w.run(staff('ana'), 'ticket.accept', { ticketId }); // wait 1: 2 min
    w.advance(MINUTE);
    await w.run(staff('ana'), 'ticket.transfer', { ticketId, sectorId: 'financeiro' }); // back to a queue
    w.advance(6 * MINUTE);
    await w.run(staff('bruno'), 'ticket.accept', { ticketId }); // wait 2: 6 min, in Financeiro
    w.advance(MINUTE);
    await w.run(staff('bruno'), 'message.send', { ticketId, text: 'Oi, sou do financeiro' }); // TMR1 from first queue: 10 min
    w.advance(10 * MINUTE);
    await w.run(staff('bruno'), 'ticket.close', { ticketId });
    const r = report(w);
    expect(r.totals).toMatchObject({ created: 1, accepted: 2, closed: 1, transfers: 1 });
    expect(r.totals.tme).toMatchObject({ n: 2, mean: 4 * MINUTE });
    expect(r.totals.tmr.mean).toBe(10 * MINUTE);
    // Served from Ana's first acceptance: 18 min; resolution from creation: 20 min.
    expect(r.totals.tma.mean).toBe(18 * MINUTE);
    expect(r.totals.res.mean).toBe(20 * MINUTE);
    const bySector = Object.fromEntries(r.bySector.map((s) => [s.sectorId, s]));
    expect(bySector.suporte).toMatchObject({ created: 1, accepted: 1, transfers: 1, closed: 0 });
    expect(bySector.financeiro).toMatchObject({ created: 0, accepted: 1, closed: 1 });
    const byAgent = Object.fromEntries(r.byAgent.map((a) => [a.agentId, a]));
    expect(byAgent.ana).toMatchObject({ accepted: 1, transfers: 1, closed: 0 });
    expect(byAgent.bruno).toMatchObject({ accepted: 1, closed: 1, tmr: 10 * MINUTE });
  });

  it('opened ("Abertos"): a ticket that starts at the bot opens in the first sector it enters, once; the sectors add up', async () => {
    const w = await makeWorld();
    const bot = await w.inbound('zap', '5511987654321', 'Oi'); // at the menu: no sector yet, nothing opened
    expect(report(w).totals.created).toBe(0);
    w.advance(MINUTE);
    await w.inbound('zap', '5511987654321', '2'); // the menu routes it to Financeiro: opened there
    await w.run(staff('bruno'), 'ticket.accept', { ticketId: bot.ticketId });
    await w.run(staff('bruno'), 'ticket.transfer', { ticketId: bot.ticketId, sectorId: 'suporte' }); // a transfer, not another opening
    await w.run(staff('ana'), 'ticket.accept', { ticketId: bot.ticketId });
    await w.run(staff('ana'), 'ticket.close', { ticketId: bot.ticketId });
    // With no sector from the start and put in Vendas by hand: opened in Vendas.
    const unrouted = await w.inbound('nosector', 'v1', 'Oi');
    await w.run(staff('alice'), 'ticket.transfer', { ticketId: unrouted.ticketId, sectorId: 'vendas' });
    // Left at the menu and closed there: opened (and closed) with no sector, when it closes.
    const left = await w.inbound('zap', '5511900000000', 'Oi');
    await w.run(staff('alice'), 'ticket.close', { ticketId: left.ticketId });
    const r = report(w);
    const bySector = Object.fromEntries(r.bySector.map((s) => [String(s.sectorId), s]));
    expect(bySector.financeiro).toMatchObject({ created: 1, accepted: 1, transfers: 1, closed: 0 });
    expect(bySector.suporte).toMatchObject({ created: 0, accepted: 1, closed: 1 });
    expect(bySector.vendas).toMatchObject({ created: 1, queued: 1 });
    expect(bySector.null).toMatchObject({ created: 1, closed: 1 });
    expect(r.totals.created).toBe(3);
    expect(r.bySector.reduce((n, s) => n + s.created, 0)).toBe(r.totals.created);
    expect(r.perDay.reduce((n, d) => n + d.created, 0)).toBe(r.totals.created);
    expect(r.heatmap.flat().reduce((n, x) => n + x, 0)).toBe(r.totals.created);
    expect(w.store.all('tickets').filter((t) => t.life?.unopened)).toEqual([]);
  });

  it('abandonment: closed in Esperando without service; a reopening is a new life', async () => {
    const w = await makeWorld();
    const a = await w.inbound('site', 'v1', 'Oi');
    w.advance(30 * MINUTE);
    await w.run(staff('ana'), 'ticket.close', { ticketId: a.ticketId });
    const b = await w.inbound('site', 'v2', 'Oi');
    await w.run(staff('ana'), 'ticket.accept', { ticketId: b.ticketId });
    w.advance(5 * MINUTE);
    await w.run(staff('ana'), 'ticket.close', { ticketId: b.ticketId });
    w.advance(HOUR);
    await w.run(staff('ana'), 'ticket.reopen', { ticketId: b.ticketId });
    w.advance(3 * MINUTE);
    await w.run(staff('ana'), 'message.send', { ticketId: b.ticketId, text: 'Voltei' });
    w.advance(2 * MINUTE);
    await w.run(staff('ana'), 'ticket.close', { ticketId: b.ticketId });
    const r = report(w);
    expect(r.totals).toMatchObject({ created: 2, closed: 3, abandoned: 1 });
    // Handling: 5 min, then the reopened life's 5 min (not the hour in between).
    expect(r.totals.tma).toMatchObject({ n: 2, mean: 5 * MINUTE });
    // Resolution: 30 min (abandoned), 5 min, 5 min.
    expect(r.totals.res).toMatchObject({ n: 3, mean: (40 * MINUTE) / 3 });
    // The reopened life has its own first response, counted from when it was taken again.
    expect(r.totals.tmr).toMatchObject({ n: 1, mean: 3 * MINUTE });
  });

  it('business hours: a ticket waiting over the weekend waits one working hour', async () => {
    // Friday 17:30 → Monday 08:30 in São Paulo, business hours 08:00–18:00 on weekdays.
    const friday = Date.parse('2026-11-27T17:30:00-03:00');
    const w = await makeWorld({ businessHours: { enabled: true, timezone: 'America/Sao_Paulo', days: [1, 2, 3, 4, 5].map((day) => ({ day, open: '08:00', close: '18:00' })), holidays: [], outsideMessage: '' } });
    w.setNow(friday);
    const { ticketId } = await w.inbound('site', 'v1', 'Oi');
    w.setNow(Date.parse('2026-11-30T08:30:00-03:00'));
    await w.run(staff('ana'), 'ticket.accept', { ticketId });
    await w.run(staff('ana'), 'message.send', { ticketId, text: 'Bom dia!' });
    const wall = report(w, false).totals;
    const biz = report(w, true).totals;
    expect(wall.tme.mean).toBe(63 * HOUR);
    expect(biz.tme.mean).toBe(HOUR);
    expect(biz.tmr.mean).toBe(HOUR);
    expect(biz.tme.median).toBeGreaterThan(45 * MINUTE);
    expect(biz.tme.median).toBeLessThanOrEqual(90 * MINUTE);
    expect(wall.tme.median).toBeGreaterThan(48 * HOUR);
    // Arrival on Friday (weekday 5) at 17 h; acceptance counted on Monday's document.
    expect(report(w).heatmap[5]![17]).toBe(1);
    expect(report(w).perDay.map((d) => d.day)).toEqual(['2026-11-27']);
  });

  it('service levels: deadlines on the ticket, met or breached when answered and closed', async () => {
    const w = await makeWorld();
    await withSla(w, { firstResponseMinutes: 10, resolutionHours: 1, businessHours: false });
    const a = await w.inbound('site', 'v1', 'Oi');
    expect(w.ticket(a.ticketId).sla).toEqual({ firstResponseDueAt: T0 + 10 * MINUTE, resolutionDueAt: T0 + HOUR, businessHours: false });
    await w.run(staff('ana'), 'ticket.accept', { ticketId: a.ticketId });
    w.advance(5 * MINUTE);
    await w.run(staff('ana'), 'message.send', { ticketId: a.ticketId, text: 'Oi' }); // first response met
    w.advance(2 * HOUR);
    await w.run(staff('ana'), 'ticket.close', { ticketId: a.ticketId }); // resolution breached
    const b = await w.inbound('site', 'v2', 'Oi');
    w.advance(20 * MINUTE);
    await w.run(staff('ana'), 'ticket.close', { ticketId: b.ticketId }); // never answered after its deadline: breached
    const r = report(w).totals;
    expect(r.slaFirstResponse).toBe(50);
    expect(r.slaResolution).toBe(50);
  });

  it('CSAT: % of 4–5 among ratings; response rate among surveys; credited to who served', async () => {
    const w = await makeWorld();
    await withSurvey(w);
    for (const [visitor, answer] of [['v1', '5'], ['v2', '2 demorou'], ['v3', null]] as const) {
      const { ticketId } = await w.inbound('site', visitor, 'Oi');
      await w.run(staff('ana'), 'ticket.accept', { ticketId });
      await w.run(staff('ana'), 'ticket.close', { ticketId });
      if (answer) {
        const r = await w.inbound('site', visitor, answer);
        expect(r.ticketId).toBe(ticketId); // recorded on the closed ticket, no new ticket
      }
    }
    const r = report(w);
    expect(r.totals).toMatchObject({ surveys: 3, rated: 2, csat: 50, averageScore: 3.5 });
    expect(r.totals.responseRate).toBeCloseTo(66.67, 1);
    expect(r.byAgent[0]).toMatchObject({ agentId: 'ana', rated: 2, csat: 50 });
  });
});

describe('reading a period', () => {
  it('histogram quantiles interpolate inside the bucket', () => {
    const counts = new Array(24).fill(0);
    counts[bucketOf(100_000)] = 10; // 100 s: the (60, 120] bucket
    expect(histogramQuantile(counts, 0.5)).toBe(90_000);
    expect(histogramQuantile(new Array(24).fill(0), 0.5)).toBeNull();
  });

  it('values all in one bucket spread only as far as their mean allows: never a median of 5 s beside an average of 1 s', () => {
    const counts = new Array(24).fill(0);
    counts[bucketOf(1_000)] = 10; // ten 1-second waits: the [0, 10] bucket, mean 1 s
    expect(histogramQuantile(counts, 0.5, 1_000)).toBe(1_000);
    expect(histogramQuantile(counts, 0.9, 1_000)).toBe(1_800);
    // Without the mean, the middle of the bucket.
    expect(histogramQuantile(counts, 0.5)).toBe(5_000);
    // 100 s in the (60, 120] bucket: a mean of 100 s bounds the spread at 140 s, past the bucket's edge: the edge holds.
    const wide = new Array(24).fill(0);
    wide[bucketOf(100_000)] = 10;
    expect(histogramQuantile(wide, 0.5, 100_000)).toBe(90_000);
    // Two buckets: the mean says nothing about either's spread.
    wide[bucketOf(5_000)] = 10;
    expect(histogramQuantile(wide, 0.75, 50_000)).toBe(90_000);
  });
});
