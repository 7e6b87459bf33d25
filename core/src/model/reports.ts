import { z } from 'zod';

const Id = z.string().min(1).max(128);
import { Millis } from './primitives.ts';

/** C8: a sector's service levels. Null targets are not measured. */
export const SectorSla = z.object({
  firstResponseMinutes: z.number().int().min(1).max(60 * 24 * 30).nullable(),
  resolutionHours: z.number().int().min(1).max(24 * 365).nullable(),
  /** Counted in the workspace's business hours (true) or wall-clock (false). */
  businessHours: z.boolean(),
});
export type SectorSla = z.infer<typeof SectorSla>;

/** D8: the satisfaction survey a channel sends after Finalizar. */
export const SurveySettings = z.object({
  enabled: z.boolean(),
  question: z.string().trim().min(1).max(300),
  thanks: z.string().max(300),
  /** After this, an answer is ordinary text for the bot/flow again. */
  expiresMinutes: z.number().int().min(1).max(60 * 24 * 7),
});
export type SurveySettings = z.infer<typeof SurveySettings>;

export const defaultSurvey = (): SurveySettings => ({
  enabled: false,
  question: 'Como você avalia este atendimento? Responda de 1 (muito ruim) a 5 (excelente). Se quiser, deixe um comentário.',
  thanks: 'Obrigado pela avaliação!',
  expiresMinutes: 60 * 24,
});

/** What the reports need to know of a ticket's current life (since it was created or reopened). */
export const TicketLife = z.object({
  startedAt: Millis,
  /** First time it entered Esperando in this life. */
  firstQueuedAt: Millis.nullable(),
  /** First time an agent took it in this life. */
  servedAt: Millis.nullable(),
  firstResponseAt: Millis.nullable(),
  transfers: z.number().int().nonnegative(),
  /**
   * Its opening ("Abertos") is not counted yet: it started with no sector (at the bot). It is counted, once, in the
   * first sector it enters, or with no sector when it closes without entering one (reports/track.ts).
   */
  unopened: z.literal(true).optional(),
});
export type TicketLife = z.infer<typeof TicketLife>;

/** C8: the deadlines of the ticket's current life, fixed when it starts. */
export const TicketSla = z.object({
  firstResponseDueAt: Millis.nullable(),
  resolutionDueAt: Millis.nullable(),
  businessHours: z.boolean(),
});
export type TicketSla = z.infer<typeof TicketSla>;

/** D8: the survey sent when the ticket was closed, and its answer. */
export const TicketSurvey = z.object({
  sentAt: Millis,
  expiresAt: Millis,
  score: z.number().int().min(1).max(5).nullable(),
  comment: z.string().max(1000).nullable(),
  answeredAt: Millis.nullable(),
  /** Who the answer is credited to. */
  agentId: Id.nullable(),
});
export type TicketSurvey = z.infer<typeof TicketSurvey>;

export const FactKind = z.enum(['created', 'queued', 'accepted', 'firstResponse', 'transferred', 'closed', 'surveyed', 'rated', 'presence']);
export type FactKind = z.infer<typeof FactKind>;

/** A wall-clock and a business-hours duration, in ms. */
const Span = z.tuple([z.number().nonnegative(), z.number().nonnegative()]);

/**
 * Something that happened, recorded by the command that made it happen
 * (DESIGN §15). It carries its own dimensions, already resolved in the
 * workspace's time zone, so the aggregates can always be recomputed from
 * the facts alone.
 */
const FactSla = z.object({ firstResponse: z.boolean().optional(), resolution: z.boolean().optional() });

/**
 * A fact of a ticket's current life as it waits on the ticket (`Ticket.lifeFacts`) and then inside the fact that ends
 * the life (`Fact.earlier`), where a store keeps one fact document per life (`tx.factsPerLife`: Firestore, whose
 * writes are billed per document). A `Fact` without its id and ticket (the carrier's), its defaults left out.
 */
export const LifeFact = z.object({
  kind: FactKind,
  at: Millis,
  day: z.string(),
  hour: z.number().int().min(0).max(23),
  sectorId: Id.nullable(),
  channelId: Id.nullable(),
  agentId: Id.nullable(),
  spans: z.record(z.string(), Span).optional(),
  sla: FactSla.optional(),
  abandoned: z.boolean().optional(),
  classificationId: Id.nullable().optional(),
  tagIds: z.array(Id).optional(),
  score: z.number().int().min(1).max(5).nullable().optional(),
});
export type LifeFact = z.infer<typeof LifeFact>;

export const Fact = z.object({
  id: Id,
  kind: FactKind,
  at: Millis,
  /** Local date (YYYY-MM-DD), hour (0–23) and weekday (0 = Sunday). */
  day: z.string(),
  hour: z.number().int().min(0).max(23),
  ticketId: Id.nullable(),
  sectorId: Id.nullable(),
  channelId: Id.nullable(),
  agentId: Id.nullable(),
  /** Durations this fact closes: tme, tmr1, tma, res, online, paused. */
  spans: z.record(z.string(), Span),
  /** SLA outcomes decided by this fact: first response / resolution met (true) or breached (false). */
  sla: FactSla,
  abandoned: z.boolean(),
  classificationId: Id.nullable(),
  tagIds: z.array(Id),
  score: z.number().int().min(1).max(5).nullable(),
  /** The earlier facts of the same ticket life, stored with the one that ends it (`tx.factsPerLife`; reports/lifeFacts.ts). */
  earlier: z.array(LifeFact).optional(),
});
export type Fact = z.infer<typeof Fact>;

/**
 * A day's (or month's) aggregate of one sector: numbers keyed by dimension
 * and metric (`c|<channel>|closed`, `a|<agent>|tma_s`, `h|09|created`…; see
 * reports/aggregate.ts). On Firestore one logical document is spread over
 * shards (`<id>~<n>`) that readers sum.
 */
export const Stats = z.object({
  id: z.string(),
  period: z.enum(['day', 'month']),
  /** YYYY-MM-DD for a day, YYYY-MM for a month. */
  key: z.string(),
  sectorId: Id.nullable(),
  v: z.record(z.string(), z.number()),
});
export type Stats = z.infer<typeof Stats>;
