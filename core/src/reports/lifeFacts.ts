import type { Fact, LifeFact, Ticket } from '../model/index.ts';
import { refs } from '../store/refs.ts';
import type { Tx } from '../store/types.ts';
import { countFact, recordFact } from './aggregate.ts';

/**
 * One fact document per ticket life where writes are billed per document
 * (`tx.factsPerLife`: Firestore). Every fact is still counted when it
 * happens (its day's `stats`, so reports are live); only the
 * fact itself waits on the ticket (`lifeFacts`, written anyway by the
 * command that made it happen) until the life ends, and is then stored
 * inside the closing fact (`earlier`). A ticket passed around many times
 * stores its waiting facts early, with the fact that finds `MAX_WAITING`.
 * The embedded server keeps one row per fact, off the queue's rows.
 */
export const MAX_WAITING = 12;

/** A fact as it waits on its ticket: no id, no ticket, no defaults. */
export const toLifeFact = (f: Fact): LifeFact => {
  const { id: _id, ticketId: _ticketId, earlier: _earlier, spans, sla, abandoned, classificationId, tagIds, score, ...kept } = f;
  return {
    ...kept,
    ...(Object.keys(spans).length > 0 ? { spans } : {}),
    ...(sla.firstResponse !== undefined || sla.resolution !== undefined ? { sla } : {}),
    ...(abandoned ? { abandoned } : {}),
    ...(classificationId !== null ? { classificationId } : {}),
    ...(tagIds.length > 0 ? { tagIds } : {}),
    ...(score !== null ? { score } : {}),
  };
};

/** What a fact says when it says nothing more (fresh objects each time). */
export const factDefaults = (): Pick<Fact, 'spans' | 'sla' | 'abandoned' | 'classificationId' | 'tagIds' | 'score'> => ({
  spans: {},
  sla: {},
  abandoned: false,
  classificationId: null,
  tagIds: [],
  score: null,
});

const fromLifeFact = (l: LifeFact, id: string, ticketId: string | null): Fact => ({ ...factDefaults(), ...l, id, ticketId });

/**
 * Counts a ticket's facts and returns the ticket to write: with them waiting on it (`tx.factsPerLife`), or stored with
 * the last of them when its life ends (closed) or too many wait; elsewhere each fact is its own document at once.
 */
export const recordTicketFacts = (tx: Tx, ticket: Ticket, facts: readonly Fact[]): Ticket => {
  if (!tx.factsPerLife) {
    for (const f of facts) recordFact(tx, f);
    return ticket;
  }
  const last = facts.at(-1);
  if (!last) return ticket;
  for (const f of facts) countFact(tx, f);
  const waiting = [...(ticket.lifeFacts ?? []), ...facts.slice(0, -1).map(toLifeFact)];
  if (ticket.status !== 'closed' && waiting.length + 1 <= MAX_WAITING) return { ...ticket, lifeFacts: [...waiting, toLifeFact(last)] };
  tx.create(refs.fact(last.id), waiting.length > 0 ? { ...last, earlier: waiting } : last);
  return { ...ticket, lifeFacts: [] };
};

/**
 * Every fact as one list, whichever way it is kept: the fact documents, the earlier facts stored with them, and the
 * facts still waiting on live tickets — what the aggregates are recomputed from (`recompute`).
 */
export const factLog = (facts: readonly Fact[], tickets: readonly Pick<Ticket, 'id' | 'lifeFacts'>[] = []): Fact[] => [
  ...facts.flatMap((f) => {
    const { earlier, ...fact } = f;
    return [...(earlier ?? []).map((l, i) => fromLifeFact(l, `${f.id}.${i}`, f.ticketId)), fact];
  }),
  ...tickets.flatMap((t) => (t.lifeFacts ?? []).map((l, i) => fromLifeFact(l, `${t.id}.waiting.${i}`, t.id))),
];
