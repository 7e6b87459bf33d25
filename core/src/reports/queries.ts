import { z } from 'zod';
import { Id } from '../model/index.ts';
import type { Actor, Decision } from '../policy.ts';
import type { CatalogueQuery } from '../queries/catalogue.ts';

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const MONTH = /^\d{4}-\d{2}$/;

export const StatsRangeParams = z
  .object({
    period: z.enum(['day', 'month']),
    /** Inclusive keys: YYYY-MM-DD for days, YYYY-MM for months. */
    from: z.string(),
    to: z.string(),
    sectorIds: z.array(Id).min(1).max(30).optional(),
  })
  .superRefine((p, ctx) => {
    const re = p.period === 'day' ? DAY : MONTH;
    const example = p.period === 'day' ? '2026-12-01' : '2026-12';
    for (const k of ['from', 'to'] as const) if (!re.test(p[k])) ctx.addIssue({ code: 'custom', path: [k], message: `must be a ${p.period} like ${example}` });
  });
export type StatsRangeParams = z.infer<typeof StatsRangeParams>;

/**
 * G3: who may read the reports' aggregates. Admins every sector; supervisors
 * only their sectors, named (rules are not filters); agents none.
 * `firestore.rules` (match /stats) says the same.
 */
export const canReadStats = (a: Actor, sectorIds: readonly string[] | undefined): Decision => {
  if (a.kind !== 'staff') return 'only staff may read reports';
  if (a.role === 'admin') return true;
  if (a.role !== 'supervisor') return 'only supervisors and admins can see reports';
  if (sectorIds === undefined) return 'name the sectors to report on (sectorIds): you may not read every sector';
  const outside = sectorIds.filter((s) => !a.sectorIds.includes(s));
  return outside.length === 0 ? true : `you do not supervise sector ${outside.join(', ')}`;
};

/** A period's aggregate documents (every shard on Firestore), oldest first. */
export const statsRange: CatalogueQuery<StatsRangeParams, 'stats.range', 'stats', z.input<typeof StatsRangeParams>> = {
  name: 'stats.range',
  collection: 'stats',
  params: StatsRangeParams,
  authorize: (a, p) => canReadStats(a, p.sectorIds),
  target: (p) => ({
    kind: 'query',
    spec: {
      collection: 'stats',
      where: [['period', '==', p.period], ...(p.sectorIds ? ([['sectorId', 'in', p.sectorIds]] as const) : []), ['key', '>=', p.from], ['key', '<=', p.to]],
      orderBy: [['key', 'asc']],
      limit: 20_000,
    },
  }),
};
