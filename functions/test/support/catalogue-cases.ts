import type { Actor } from '@atende/core';

/** Representative parameters for every catalogue query: every optional filter on and off. */
export const paramSets = (ids: { ticketId: string; contactId: string }): Record<string, Record<string, unknown>[]> => ({
  'tickets.waiting': [{}, { sectorIds: ['suporte'] }, { sectorIds: ['financeiro'] }],
  'tickets.open': [{}, { sectorIds: ['suporte', 'financeiro'] }],
  'tickets.closed': [{}, { sectorIds: ['suporte'] }, { before: 4_000_000_000_000 }, { sectorIds: ['financeiro'], before: 4_000_000_000_000 }],
  'tickets.history': [
    {},
    { sectorIds: ['suporte'] },
    { closedFrom: 1, closedTo: 4_000_000_000_000, before: 3_000_000_000_000 },
    ...['assigneeId', 'classificationId', 'tagId', 'channelId'].flatMap((k) => [{ [k]: 'x' }, { [k]: 'x', sectorIds: ['suporte'], closedFrom: 1, before: 4_000_000_000_000 }]),
  ],
  'tickets.mine': [{ status: 'open' }, { status: 'closed' }],
  'tickets.ofContact': [
    { contactId: ids.contactId },
    { contactId: ids.contactId, sectorIds: ['suporte'] },
    { contactId: ids.contactId, closedOnly: true },
    { contactId: ids.contactId, sectorIds: ['suporte'], closedOnly: true },
  ],
  'messages.ofTicket': [{ ticketId: ids.ticketId }, { ticketId: ids.ticketId, before: 4_000_000_000_000 }, { ticketId: ids.ticketId, after: 1_000_000_000_000 }],
  'contacts.search': [{ prefix: 'Ma' }],
  counters: [{ ids: ['tickets.waiting.sector.suporte'] }],
  'messages.revisedOfTicket': [{ ticketId: ids.ticketId }],
  'customer.messages': [{ ticketId: ids.ticketId }],
  'stats.range': [
    { period: 'day', from: '2026-11-01', to: '2026-11-30' },
    { period: 'month', from: '2026-01', to: '2026-12', sectorIds: ['suporte'] },
    // Another sector's rows: the demo supervisor's, not a supervisor of Suporte only (official-emulators.test.ts).
    { period: 'day', from: '2026-11-01', to: '2026-11-30', sectorIds: ['financeiro'] },
  ],
  ticket: [{ id: ids.ticketId }],
  contact: [{ id: ids.contactId }],
});

export const staffActor = (uid: string, role: 'agent' | 'supervisor' | 'admin', sectorIds: string[], seesAllHistory: boolean): Actor => ({
  kind: 'staff',
  uid,
  name: uid,
  role,
  sectorIds,
  seesAllHistory,
});
