import { describe, expect, it } from 'vitest';
import { counterDocIds, counterIds, counterPlace, counterRowId, counterTotals, readsEverySector } from '../src/index.ts';

describe('counter layout (Firestore documents, SQLite rows)', () => {
  it("keeps an agent's count of a sector's tickets in that sector's document, beside its tab counts", () => {
    expect(counterPlace(counterIds.bySector('open', 'suporte'))).toEqual({ docId: 'tickets.sector.suporte', field: 'open' });
    expect(counterPlace(counterIds.byAssigneeIn('open', 'ana', 'suporte'))).toEqual({ docId: 'tickets.sector.suporte', field: 'open_ana' });
    // A ticket with no sector: the `none` document, as its tab counts.
    expect(counterPlace(counterIds.byAssigneeIn('open', 'ana', null))).toEqual({ docId: 'tickets.sector.none', field: 'open_ana' });
    // Ids may hold `.`, `_`, `:`, `-`: the field names stay plain and two ids never share one.
    expect(counterPlace(counterIds.byAssigneeIn('open', 'a.b', 'x.y')).field).toBe('open_a_2eb');
    expect(counterPlace(counterIds.byAssigneeIn('open', 'a_2eb', 'x.y')).field).toBe('open_a_5f2eb');
    expect(counterPlace('protocol.20261204.3')).toEqual({ docId: 'protocol.20261204.3', field: 'value' });
  });

  it("adds an agent's per-sector counts into their total where each counter is a row", () => {
    expect(counterRowId(counterIds.byAssigneeIn('open', 'ana', 'suporte'))).toBe(counterIds.byAssignee('open', 'ana'));
    expect(counterRowId(counterIds.byAssigneeIn('open', 'a.b', null))).toBe('tickets.open.assignee.a.b');
    expect(counterRowId(counterIds.bySector('waiting', 'suporte'))).toBe('tickets.waiting.sector.suporte');
    expect(counterRowId('copilot.requests')).toBe('copilot.requests');
  });

  it("reads an agent's total from every sector's document and the frozen documents of older layouts (no migration)", () => {
    const ana = counterIds.byAssignee('open', 'ana');
    expect(readsEverySector([ana])).toBe(true);
    expect(readsEverySector([counterIds.bySector('open', 'suporte'), 'reports.rolledUpThrough'])).toBe(false);
    // An upgraded project: Ana's first count in its own document, then session 5's per-agent document, both frozen.
    expect(counterDocIds([ana])).toEqual(['tickets.open.assignee.ana', 'tickets.assignee.ana']);
    const docs = [
      { id: 'tickets.open.assignee.ana', value: 2 },
      { id: 'tickets.assignee.ana', open: 3 },
      { id: 'tickets.assignee.ana', open: -1 },
      // Now: her tickets in Suporte (two shards), Financeiro and with no sector; Carla's beside hers.
      { id: 'tickets.sector.suporte', waiting: 4, open: 2, open_ana: 1, open_carla: 1 },
      { id: 'tickets.sector.suporte', open: 1, open_ana: 1 },
      { id: 'tickets.sector.financeiro', open: 1, open_ana: -1 },
      { id: 'tickets.sector.none', open_ana: 1 },
    ];
    expect(counterTotals(docs, [ana, counterIds.byAssignee('open', 'carla'), counterIds.byAssignee('open', 'bruno'), counterIds.bySector('open', 'suporte')])).toEqual([
      { id: ana, value: 2 + 3 - 1 + 1 + 1 - 1 + 1 },
      { id: 'tickets.open.assignee.carla', value: 1 },
      { id: 'tickets.open.sector.suporte', value: 3 },
    ]);
  });
});
