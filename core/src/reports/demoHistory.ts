import { localTime } from '../automation/businessHours.ts';
import type { Fact, Stats } from '../model/index.ts';
import { recompute } from './aggregate.ts';

/**
 * A month of a small operation's history for the demo (so Relatórios has
 * something to show on `npm start`): deterministic (a seeded generator, the
 * same month every time for the same day), made of the same facts the
 * commands record, aggregated by the same code. Only the aggregates are
 * stored: the tickets themselves are not invented.
 */
export interface DemoHistoryOptions {
  now: number;
  timeZone: string;
  days?: number;
  agents: { id: string; sectorIds: string[] }[];
  channelIds: string[];
  classificationIds: string[];
  tagIds: string[];
}

const MIN = 60_000;

const generator = (seed: number) => {
  let s = seed >>> 0 || 1;
  return () => {
    // xorshift32
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 4294967296;
  };
};

export const demoHistoryFacts = (o: DemoHistoryOptions): Fact[] => {
  const days = o.days ?? 30;
  const rand = generator(20261201);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const exp = (mean: number) => -Math.log(1 - rand()) * mean;
  const facts: Fact[] = [];
  let n = 0;
  const fact = (kind: Fact['kind'], at: number, f: Partial<Fact>): void => {
    const t = localTime(at, o.timeZone);
    facts.push({ id: `demo-${(n++).toString(36)}`, kind, at, day: t.date, hour: t.hour, ticketId: null, sectorId: null, channelId: null, agentId: null, spans: {}, sla: {}, abandoned: false, classificationId: null, tagIds: [], score: null, ...f });
  };
  const dayStart = (i: number) => {
    // Local midnight `i` days before today, found from noon UTC (never crosses a date in Brazil).
    const today = localTime(o.now, o.timeZone).date;
    const date = new Date(Date.parse(`${today}T12:00:00Z`) - i * 86_400_000).toISOString().slice(0, 10);
    const noon = Date.parse(`${date}T12:00:00Z`);
    return noon - localTime(noon, o.timeZone).minutes * MIN;
  };
  for (let i = days; i >= 1; i--) {
    const start = dayStart(i);
    const weekday = localTime(start + 12 * 60 * MIN, o.timeZone).day;
    const weekend = weekday === 0 || weekday === 6;
    const count = Math.round((weekend ? 10 : 38) * (0.8 + rand() * 0.4));
    for (let k = 0; k < count; k++) {
      // Arrivals peak mid-morning and mid-afternoon.
      const hour = weekend ? 9 + Math.floor(rand() * 6) : pick([8, 9, 9, 10, 10, 10, 11, 11, 12, 13, 14, 14, 15, 15, 16, 16, 17, 18, 19, 21]);
      const at = start + hour * 60 * MIN + Math.floor(rand() * 60) * MIN;
      const sectorId = rand() < 0.65 ? 'suporte' : 'financeiro';
      const channelId = pick(o.channelIds);
      const team = o.agents.filter((a) => a.sectorIds.includes(sectorId));
      const agentId = pick(team).id;
      const base = { ticketId: `demo-t${i}-${k}`, sectorId, channelId };
      const firstTarget = sectorId === 'suporte' ? 15 * MIN : 30 * MIN;
      fact('created', at, base);
      fact('queued', at, base);
      const wait = Math.round(exp(weekend ? 9 * MIN : 4 * MIN));
      if (rand() < 0.06) {
        const gone = at + wait + 10 * MIN;
        fact('closed', gone, { ...base, abandoned: true, spans: { res: [gone - at, gone - at] }, sla: { firstResponse: false } });
        continue;
      }
      const accepted = at + wait;
      fact('accepted', accepted, { ...base, agentId, spans: { tme: [wait, wait] } });
      const first = accepted + Math.round(20_000 + rand() * 3 * MIN);
      fact('firstResponse', first, { ...base, agentId, spans: { tmr1: [first - at, first - at] }, sla: { firstResponse: first - at <= firstTarget } });
      let closer = agentId;
      if (rand() < 0.08) {
        fact('transferred', accepted + 2 * MIN, { ...base, agentId });
        closer = pick(team).id;
      }
      const handle = Math.round(4 * MIN + exp(14 * MIN));
      const closedAt = accepted + handle;
      const tagIds = rand() < 0.25 ? [pick(o.tagIds)] : [];
      const classificationId = rand() < 0.9 ? pick(o.classificationIds) : null;
      const resolutionTarget = (sectorId === 'suporte' ? 24 : 48) * 60 * MIN;
      fact('closed', closedAt, {
        ...base,
        agentId: closer,
        spans: { tma: [handle, handle], res: [closedAt - at, closedAt - at] },
        sla: { resolution: closedAt - at <= resolutionTarget },
        classificationId,
        tagIds,
      });
      if (channelId === 'site' || rand() < 0.5) {
        fact('surveyed', closedAt, { ...base, agentId: closer });
        if (rand() < 0.58) {
          const r = rand();
          const score = r < 0.5 ? 5 : r < 0.76 ? 4 : r < 0.87 ? 3 : r < 0.94 ? 2 : 1;
          fact('rated', closedAt + Math.round(exp(3 * MIN)), { ...base, agentId: closer, score, classificationId });
        }
      }
    }
    if (!weekend)
      for (const a of o.agents) {
        const online = Math.round((7 + rand() * 1.5) * 60 * MIN);
        const paused = Math.round((35 + rand() * 30) * MIN);
        fact('presence', start + 18 * 60 * MIN, { agentId: a.id, sectorId: a.sectorIds[0] ?? null, spans: { online: [online, online] } });
        fact('presence', start + 18 * 60 * MIN, { agentId: a.id, sectorId: a.sectorIds[0] ?? null, spans: { paused: [paused, paused] } });
      }
  }
  return facts;
};

/** The demo month as stats documents, ready to be written. */
export const demoHistoryStats = (o: DemoHistoryOptions): Stats[] => [...recompute(demoHistoryFacts(o)).values()];
