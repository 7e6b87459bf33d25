import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import type { QuerySpec } from '@atende/core';
import { migrate } from '../../src/db/migrate.ts';
import { translate } from '../../src/db/sql.ts';

/**
 * The lookups every inbound message and every agent message make, on the
 * schema the migrations build: each must be an index search bounded by the
 * ticket or the contact, never a walk over a ticket's whole thread (which the
 * fan-out benchmark caught: 3 ms per send at 3,000 messages, 0.4 ms after).
 */
describe('query plans of the hot paths', () => {
  const db = new Database(':memory:');
  migrate(db);
  const plan = (spec: QuerySpec) => {
    const sql = translate(spec, { typedFields: true });
    return (db.prepare(`EXPLAIN QUERY PLAN ${sql.text}`).all(...sql.params) as { detail: string }[]).map((r) => r.detail).join(' | ');
  };

  it('message.send finds a retried send by (ticket, clientId), not by reading the thread', () => {
    expect(plan({ collection: 'messages', parentId: 't1', where: [['clientId', '==', 'c1']], orderBy: [], limit: 1 })).toMatch(
      /SEARCH messages USING INDEX ix_messages_parent_clientId_id \(parent_id=\? AND clientId=\?\)/,
    );
  });

  it('the dispatcher finds due deliveries in the index of messages that have one (a partial index: customers\' messages are not in it)', () => {
    expect(plan({ collection: 'messages', where: [['delivery.dueAt', '<=', 5]], orderBy: [['delivery.dueAt', 'asc']], limit: 50 })).toMatch(
      /SEARCH messages USING INDEX ix_messages_delivery_dueAt \(delivery.dueAt<\?\)/,
    );
    const partial = (db.prepare(`SELECT name FROM sqlite_master WHERE type = 'index' AND sql LIKE '% WHERE %'`).all() as { name: string }[]).map((r) => r.name);
    expect(partial.sort()).toEqual(['ix_messages_delivery_dueAt', 'ix_messages_parent_clientId_id']);
  });

  it("inbound.receive finds the contact's live ticket by contact, channel and status", () => {
    expect(
      plan({ collection: 'tickets', where: [['contactId', '==', 'c1'], ['channelId', '==', 'site'], ['status', 'in', ['bot', 'waiting', 'open']]], orderBy: [], limit: 1 }),
    ).toMatch(/SEARCH tickets USING INDEX ix_tickets_contactId_channelId_status/);
  });

  it('a thread opens from its last page through the (ticket, createdAt) index', () => {
    expect(plan({ collection: 'messages', parentId: 't1', where: [], orderBy: [['createdAt', 'asc']], limitToLast: 100 })).toMatch(
      /SEARCH messages USING INDEX ix_messages_parent_createdAt \(parent_id=\?\)/,
    );
  });

  it("a supervisor's Esperando over several sectors comes out in its final order through (status, queuedAt, id), its rows never sorted", () => {
    const waiting = plan({ collection: 'tickets', where: [['status', '==', 'waiting'], ['sectorId', 'in', ['s1', 's2']]], orderBy: [['queuedAt', 'asc']], limit: 10_000 });
    expect(waiting).toMatch(/SEARCH tickets USING INDEX ix_tickets_status_queuedAt \(status=\?\)/);
    // A whole-row sort of 10,000 tickets cost 100–300 ms; sorting the id tie-break of equal arrival times (before the
    // index ended with the id) put every row through a temporary B-tree: 28 → 20 ms CPU for the query.
    expect(waiting).not.toMatch(/TEMP B-TREE/);
  });

  it('a thread comes out in its final order too, newest page first (the index scanned backwards)', () => {
    expect(plan({ collection: 'messages', parentId: 't1', where: [], orderBy: [['createdAt', 'asc']], limitToLast: 100 })).not.toMatch(/TEMP B-TREE/);
  });
});
