/**
 * How counters are laid out on Firestore (issue 15, writes). A ticket count
 * `tickets.<status>.<dimension>.<id>` (status waiting, open or closed) is the
 * `<status>` field of one document per dimension value,
 * `tickets.<dimension>.<id>` — a sector's three tab counts live together, so
 * a move inside the sector (accept, close) is one write, not two. Any other
 * counter is a document `{id, value}` of its own. Each document is spread
 * over shards (`<id>~<n>`, functions/src/store.ts) that readers sum.
 *
 * Counts written before this layout stay in their own documents, no longer
 * written: a reader adds those frozen totals to the grouped fields, so no
 * migration is needed. Zod-free: the console's Firebase driver uses it too.
 */

const TICKET_COUNT = /^tickets\.(waiting|open|closed)\.(.+)$/;

/** The document and field a counter is kept in; `field` is `value` for a counter of its own. */
export const counterPlace = (counterId: string): { docId: string; field: string } => {
  const m = TICKET_COUNT.exec(counterId);
  return m ? { docId: `tickets.${m[2]}`, field: m[1]! } : { docId: counterId, field: 'value' };
};

/** The document ids (the shards' `id` field) to read for these counters: their own (older documents) and their group's. */
export const counterDocIds = (counterIds: readonly string[]): string[] => [...new Set(counterIds.flatMap((id) => [id, counterPlace(id).docId]))];

/** Each counter's total from shard documents of either layout (`{id, value}` or a group's fields); counters no document holds are left out. */
export const counterTotals = (docs: readonly Record<string, unknown>[], counterIds: readonly string[]): { id: string; value: number }[] =>
  counterIds.flatMap((id) => {
    const { docId, field } = counterPlace(id);
    let value = 0;
    let held = false;
    for (const d of docs) {
      const n = d.id === id ? d.value : docId !== id && d.id === docId ? d[field] : undefined;
      if (typeof n !== 'number') continue;
      value += n;
      held = true;
    }
    return held ? [{ id, value }] : [];
  });
