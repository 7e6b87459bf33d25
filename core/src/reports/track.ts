import { addBusinessMs, businessMsBetween, localTime, type BusinessHours } from '../automation/businessHours.ts';
import type { Fact, Sector, Settings, Ticket, TicketLife, TicketSla } from '../model/index.ts';
import { refs } from '../store/refs.ts';
import type { Tx } from '../store/types.ts';
import { writeTicket } from '../tickets.ts';
import { factDefaults, recordTicketFacts } from './lifeFacts.ts';

/** What a command must have read to record facts: the workspace settings and the ticket's sector (after the change). */
export interface TrackEnv {
  settings: Settings | null;
  sector: Pick<Sector, 'id' | 'sla'> | null;
  now: number;
  newId: () => string;
}

/** Reads what `trackTicket` needs; call it in a command's `load`. */
export const loadTrackEnv = async (tx: Tx, sectorId: string | null): Promise<Pick<TrackEnv, 'settings' | 'sector'>> => ({
  settings: await tx.get(refs.settings()),
  sector: sectorId ? await tx.get(refs.sector(sectorId)) : null,
});

const ALWAYS_OPEN: BusinessHours = { enabled: false, timezone: 'America/Sao_Paulo', days: [], holidays: [], outsideMessage: '' };

const hoursOf = (env: Pick<TrackEnv, 'settings'>): BusinessHours => env.settings?.businessHours ?? ALWAYS_OPEN;

/** A wall-clock and business-hours duration between two instants. */
const span = (env: Pick<TrackEnv, 'settings'>, from: number, to: number): [number, number] => [Math.max(0, to - from), businessMsBetween(hoursOf(env), from, to)];

type FactFields = Partial<Omit<Fact, 'id' | 'kind' | 'at' | 'day' | 'hour'>>;

/** A fact at `env.now` about a ticket, its dimensions resolved in the workspace's time zone. */
export const makeFact = (env: Pick<TrackEnv, 'settings' | 'now' | 'newId'>, kind: Fact['kind'], ticket: Ticket | null, fields: FactFields = {}): Fact => {
  const t = localTime(env.now, hoursOf(env).timezone);
  return {
    id: env.newId(),
    kind,
    at: env.now,
    day: t.date,
    hour: t.hour,
    ticketId: ticket?.id ?? null,
    sectorId: ticket?.sectorId ?? null,
    channelId: ticket?.channelId ?? null,
    agentId: ticket?.assigneeId ?? null,
    ...factDefaults(),
    ...fields,
  };
};

const MINUTE = 60_000;

/** C8: a life's deadlines under its sector's targets; null when the sector has none. */
export const slaFor = (env: Pick<TrackEnv, 'settings' | 'sector'>, life: TicketLife): TicketSla | null => {
  const sla = env.sector?.sla;
  if (!sla || (sla.firstResponseMinutes === null && sla.resolutionHours === null)) return null;
  const hours = sla.businessHours ? hoursOf(env) : ALWAYS_OPEN;
  const firstFrom = life.firstQueuedAt ?? life.startedAt;
  return {
    firstResponseDueAt: sla.firstResponseMinutes === null ? null : addBusinessMs(hours, firstFrom, sla.firstResponseMinutes * MINUTE),
    resolutionDueAt: sla.resolutionHours === null ? null : addBusinessMs(hours, life.startedAt, sla.resolutionHours * 60 * MINUTE),
    businessHours: sla.businessHours,
  };
};

export type TrackCause = 'transfer' | undefined;

/**
 * Writes a ticket (with its tab counters) and records the facts its change
 * means: created (opened: see below), queued, accepted (with the wait), transferred, closed
 * (handling and resolution, abandonment, service levels). Keeps the ticket's
 * `life` and `sla` up to date. Returns the ticket as written.
 */
export const trackTicket = (tx: Tx, before: Ticket | null, next: Ticket, env: TrackEnv, cause?: TrackCause): Ticket => {
  const now = env.now;
  const facts: Fact[] = [];
  const reopened = before?.status === 'closed' && next.status !== 'closed';
  const life: TicketLife =
    before === null || reopened || !before.life
      ? { startedAt: before === null || reopened ? now : before.createdAt, firstQueuedAt: null, servedAt: null, firstResponseAt: null, transfers: 0 }
      : { ...before.life };
  // "Abertos" (DESIGN §15): a ticket is opened once (a reopening is not an opening), in the sector it is created in;
  // one created with no sector (at the bot) is opened in the first sector it enters, when it enters it — later moves
  // are transfers — or, closed without entering one, with no sector when it closes. So each sector counts the tickets
  // that reached it, and the sectors' openings (the no-sector row included) add up to the workspace's, each ticket once.
  if (before === null && next.sectorId === null && next.status !== 'closed') life.unopened = true;
  else if (before === null || (life.unopened && (next.sectorId !== null || next.status === 'closed'))) {
    facts.push(makeFact(env, 'created', next));
    delete life.unopened;
  }
  const enteredQueue = next.status === 'waiting' && (before?.status !== 'waiting' || before.sectorId !== next.sectorId);
  if (enteredQueue) {
    facts.push(makeFact(env, 'queued', next));
    life.firstQueuedAt ??= now;
  }
  const takenBy = next.status === 'open' && next.assigneeId !== null && (before?.status !== 'open' || before.assigneeId !== next.assigneeId) ? next.assigneeId : null;
  if (cause === 'transfer' && before) {
    facts.push(makeFact(env, 'transferred', before));
    life.transfers++;
  }
  if (takenBy) {
    const waited: Fact['spans'] = before?.status === 'waiting' && before.queuedAt !== null ? { tme: span(env, before.queuedAt, now) } : {};
    facts.push(makeFact(env, 'accepted', next, { spans: waited }));
    life.servedAt ??= now;
  }
  const sectorChanged = before?.sectorId !== next.sectorId;
  let sla = next.sla ?? before?.sla ?? null;
  if (before === null || reopened || sectorChanged || enteredQueue || !before.life) sla = slaFor({ ...env, sector: env.sector?.id === next.sectorId ? env.sector : null }, life);
  if (next.status === 'closed' && before?.status !== 'closed') {
    const spans: Fact['spans'] = { res: span(env, life.startedAt, now) };
    if (life.servedAt !== null) spans.tma = span(env, life.servedAt, now);
    const slaOut: Fact['sla'] = {};
    if (sla?.resolutionDueAt != null) slaOut.resolution = now <= sla.resolutionDueAt;
    // Closed without any answer after its first-response deadline: a breach too.
    if (sla?.firstResponseDueAt != null && life.firstResponseAt === null && now > sla.firstResponseDueAt) slaOut.firstResponse = false;
    facts.push(
      makeFact(env, 'closed', next, {
        agentId: before?.assigneeId ?? null,
        spans,
        sla: slaOut,
        abandoned: before?.status === 'waiting' && life.servedAt === null,
        classificationId: next.classificationId,
        tagIds: next.tagIds,
      }),
    );
  }
  const after = recordTicketFacts(tx, { ...next, life, sla }, facts);
  writeTicket(tx, before, after);
  return after;
};

/** The first agent message of a life: TMR1, counted from the first queueing (or taking, or start). */
export const firstResponseFact = (ticket: Ticket, env: TrackEnv, agentId: string): { fact: Fact; life: TicketLife } | null => {
  const life = ticket.life;
  if (!life || life.firstResponseAt !== null) return null;
  const from = life.firstQueuedAt ?? life.servedAt ?? life.startedAt;
  const sla: Fact['sla'] = ticket.sla?.firstResponseDueAt != null ? { firstResponse: env.now <= ticket.sla.firstResponseDueAt } : {};
  return {
    fact: makeFact(env, 'firstResponse', ticket, { agentId, spans: { tmr1: span(env, from, env.now) }, sla }),
    life: { ...life, firstResponseAt: env.now },
  };
};
