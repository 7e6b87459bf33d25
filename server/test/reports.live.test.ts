import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localTime, statsIds, type Stats } from '@atende/core';
import { LiveClient, login, newWaitingTicket, startServer, type TestServer } from './helpers.ts';

let server: TestServer;
let supervisor: string;
let ana: string;
const open: LiveClient[] = [];

beforeAll(async () => {
  server = await startServer();
  [supervisor, ana] = await Promise.all([login(server, 'supervisor@atende.local'), login(server, 'ana@atende.local')]);
});
afterAll(async () => {
  for (const c of open) c.close();
  await server.close();
});

const created = (doc: Stats | undefined) => Object.entries(doc?.v ?? {}).reduce((n, [k, v]) => n + (k.startsWith('c|') && k.endsWith('|created') ? v : 0), 0);

describe('report aggregates live on the embedded server (stats.range)', () => {
  it('a supervisor gets whole documents in the snapshot and in the changes a new ticket makes', async () => {
    const first = await newWaitingTicket(server);
    const sectorId = first.sectorId!;
    const today = localTime(Date.now(), 'America/Sao_Paulo').date;
    const live = await LiveClient.open(server, '/api/live', supervisor);
    open.push(live);
    const snap = await live.subscribe('r', 'stats.range', { period: 'day', from: today, to: today, sectorIds: [sectorId] });
    expect(snap.type).toBe('snapshot');
    const id = statsIds.day(today, sectorId);
    const before = (snap.docs as unknown as Stats[]).find((d) => d.id === id);
    // The hub keeps only an outline of aggregate documents; what it sends is the whole stored document.
    expect(before).toEqual(server.app.store.query({ collection: 'stats', where: [['period', '==', 'day'], ['key', '==', today], ['sectorId', '==', sectorId]], orderBy: [['key', 'asc']] })[0]);
    expect(created(before)).toBeGreaterThanOrEqual(1);
    // A second screen on the same period (the overview and the period report both read today) joins the
    // evaluation the hub keeps as outlines: it too gets the whole documents.
    const other = await LiveClient.open(server, '/api/live', supervisor);
    open.push(other);
    const again = await other.subscribe('r2', 'stats.range', { period: 'day', from: today, to: today, sectorIds: [sectorId] });
    expect((again.docs as unknown as Stats[]).find((d) => d.id === id)).toEqual(before);

    const second = await newWaitingTicket(server);
    expect(second.sectorId).toBe(sectorId);
    const changed = await live.changes('r', (m) => m.changes.some((c) => c.doc.id === id && created(c.doc as unknown as Stats) === created(before) + 1));
    const doc = changed.changes.find((c) => c.doc.id === id)!;
    expect(doc.type).toBe('modified');
    expect(doc.doc).toMatchObject({ period: 'day', key: today, sectorId });
  });

  it('a supervisor is refused another sector and every sector; an agent any report', async () => {
    const live = await LiveClient.open(server, '/api/live', supervisor);
    open.push(live);
    const today = localTime(Date.now(), 'America/Sao_Paulo').date;
    expect(await live.subscribe('x', 'stats.range', { period: 'day', from: today, to: today, sectorIds: ['vendas'] })).toMatchObject({ type: 'error', error: { code: 'permission-denied' } });
    expect(await live.subscribe('y', 'stats.range', { period: 'day', from: today, to: today })).toMatchObject({ type: 'error', error: { code: 'permission-denied' } });
    const agent = await LiveClient.open(server, '/api/live', ana);
    open.push(agent);
    expect(await agent.subscribe('z', 'stats.range', { period: 'day', from: today, to: today, sectorIds: ['suporte'] })).toMatchObject({ type: 'error', error: { code: 'permission-denied' } });
  });
});
