/**
 * How counters are laid out on Firestore (issue 15, writes). A ticket count
 * `tickets.<status>.<dimension>.<id>` (status waiting, open or closed) is the
 * `<status>` field of one document per dimension value,
 * `tickets.<dimension>.<id>` — a sector's three tab counts live together, so
 * a move inside the sector (queueing, accept, close) is one write. An
 * agent's count is kept the same way, in the document of the sector the
 * ticket is in (`tickets.<status>.assignee.<uid>@<sectorId|none>`, the
 * field `<status>_<uid>` of `tickets.sector.<sectorId|none>`): accepting,
 * passing a ticket to a colleague of its sector and closing it each change
 * one document. An agent's total is the sum over every sector's document,
 * so a reader of one listens to all of them (`readsEverySector`). Any other
 * counter is a document `{id, value}` of its own. Each document is spread
 * over shards (`<id>~<n>`, functions/src/counters.ts) that readers sum.
 *
 * A store that keeps one row per counter (the embedded server's SQLite, the
 * memory store) adds an agent's per-sector count into the agent's total
 * (`counterRowId`): its layout is the one readers ask for.
 *
 * Counts written before this layout stay in their own documents, no longer
 * written (`tickets.<status>.<dimension>.<id>` documents, and the
 * `tickets.assignee.<uid>` documents of session 5): a reader adds those
 * frozen totals in, so no migration is needed. Zod-free: the console's
 * Firebase driver uses it too.
 */

const TICKET_COUNT = /^tickets\.(waiting|open|closed)\.(.+)$/;
/** An agent's count of the tickets of one sector, as core's rule writes it (`counterIds.byAssigneeIn`). */
const AGENT_IN_SECTOR = /^tickets\.(waiting|open|closed)\.assignee\.([^@]+)@([^@]+)$/;
/** An agent's total, as readers ask for it (`counterIds.byAssignee`). */
const AGENT_TOTAL = /^tickets\.(waiting|open|closed)\.assignee\.([^@]+)$/;

/** The documents holding each sector's counts, agents' included: `tickets.sector.<id>` (and `~<n>` shards). */
export const SECTOR_COUNTS_PREFIX = 'tickets.sector.';

/** The field of a sector's document that holds an agent's count: ids may hold `.`, `:`, `-`, `_`, kept out of field names. */
const agentField = (status: string, uid: string): string => `${status}_${uid.replace(/[^A-Za-z0-9]/g, (c) => `_${c.charCodeAt(0).toString(16).padStart(2, '0')}`)}`;

/** The document and field a counter is kept in on Firestore; `field` is `value` for a counter of its own. */
export const counterPlace = (counterId: string): { docId: string; field: string } => {
  const a = AGENT_IN_SECTOR.exec(counterId);
  if (a) return { docId: `${SECTOR_COUNTS_PREFIX}${a[3]!}`, field: agentField(a[1]!, a[2]!) };
  const m = TICKET_COUNT.exec(counterId);
  return m ? { docId: `tickets.${m[2]}`, field: m[1]! } : { docId: counterId, field: 'value' };
};

/** The row a store keeping one row per counter adds to: an agent's count in a sector goes to the agent's total. */
export const counterRowId = (counterId: string): string => {
  const a = AGENT_IN_SECTOR.exec(counterId);
  return a ? `tickets.${a[1]!}.assignee.${a[2]!}` : counterId;
};

/** The document ids (the shards' `id` field) to read for these counters: their own (older documents) and their group's. */
export const counterDocIds = (counterIds: readonly string[]): string[] => [...new Set(counterIds.flatMap((id) => [id, counterPlace(id).docId]))];

/** Whether these counters need every sector's document as well (`SECTOR_COUNTS_PREFIX`): an agent's total does. */
export const readsEverySector = (counterIds: readonly string[]): boolean => counterIds.some((id) => AGENT_TOTAL.test(id));

/** What one shard document adds to a counter: its own value, its group's field, or (an agent's total) a sector's field. */
const partOf = (d: Record<string, unknown>, id: string): unknown => {
  if (d.id === id) return d.value;
  const agent = AGENT_TOTAL.exec(id);
  if (agent && typeof d.id === 'string' && d.id.startsWith(SECTOR_COUNTS_PREFIX)) return d[agentField(agent[1]!, agent[2]!)];
  const { docId, field } = counterPlace(id);
  return docId !== id && d.id === docId ? d[field] : undefined;
};

/**
 * Each counter's total from shard documents of any layout (`{id, value}`, a group's fields, the agents' fields of
 * every sector's document); counters no document holds are left out.
 */
export const counterTotals = (docs: readonly Record<string, unknown>[], counterIds: readonly string[]): { id: string; value: number }[] =>
  counterIds.flatMap((id) => {
    let value = 0;
    let held = false;
    for (const d of docs) {
      const n = partOf(d, id);
      if (typeof n !== 'number') continue;
      value += n;
      held = true;
    }
    return held ? [{ id, value }] : [];
  });
