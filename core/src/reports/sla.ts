import type { Ticket } from '../model/index.ts';

/**
 * C8: where a ticket stands against its sector's service levels right now,
 * for the queue cards and the "SLA em risco" filter. The deadlines were fixed
 * when the ticket's life started (`slaFor` in track.ts, in business hours or
 * wall-clock as the sector says), so this is plain arithmetic on them.
 */
export type SlaTarget = 'firstResponse' | 'resolution';
export type SlaLevel = 'ok' | 'risk' | 'breached';

export interface SlaState {
  target: SlaTarget;
  dueAt: number;
  /** Until the deadline; negative once it has passed. */
  leftMs: number;
  level: SlaLevel;
}

/** A target is at risk in the last quarter of its time. */
export const SLA_RISK_SHARE = 0.25;

const rank: Record<SlaLevel, number> = { breached: 2, risk: 1, ok: 0 };

/** The most urgent target still running (breached first, then the nearest deadline); null when none applies. */
export const slaState = (t: Pick<Ticket, 'status' | 'sla' | 'life'>, now: number): SlaState | null => {
  if (!t.sla || (t.status !== 'waiting' && t.status !== 'open')) return null;
  const states: SlaState[] = [];
  const add = (target: SlaTarget, dueAt: number | null, from: number | undefined) => {
    if (dueAt === null) return;
    const leftMs = dueAt - now;
    const span = from === undefined ? 0 : Math.max(0, dueAt - from);
    states.push({ target, dueAt, leftMs, level: leftMs < 0 ? 'breached' : leftMs <= span * SLA_RISK_SHARE ? 'risk' : 'ok' });
  };
  if (!t.life?.firstResponseAt) add('firstResponse', t.sla.firstResponseDueAt, t.life ? (t.life.firstQueuedAt ?? t.life.startedAt) : undefined);
  add('resolution', t.sla.resolutionDueAt, t.life?.startedAt);
  states.sort((a, b) => rank[b.level] - rank[a.level] || a.leftMs - b.leftMs);
  return states[0] ?? null;
};

/** "SLA em risco": a running target in its last quarter or already missed. */
export const slaAtRisk = (t: Pick<Ticket, 'status' | 'sla' | 'life'>, now: number): boolean => {
  const s = slaState(t, now);
  return s !== null && s.level !== 'ok';
};
