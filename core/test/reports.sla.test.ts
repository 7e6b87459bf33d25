import { describe, expect, it } from 'vitest';
import { refs, slaAtRisk, slaState } from '../src/index.ts';
import { makeWorld, MINUTE, staff, T0 } from './support.ts';

const HOUR = 60 * MINUTE;
const life = { startedAt: 0, firstQueuedAt: 0, servedAt: null, firstResponseAt: null, transfers: 0 };

describe('SLA on the queue (slaState, slaAtRisk)', () => {
  it('first response counts down, is at risk in its last quarter, then breached', () => {
    const t = { status: 'waiting' as const, life, sla: { firstResponseDueAt: 20 * MINUTE, resolutionDueAt: null, businessHours: false } };
    expect(slaState(t, 10 * MINUTE)).toEqual({ target: 'firstResponse', dueAt: 20 * MINUTE, leftMs: 10 * MINUTE, level: 'ok' });
    expect(slaState(t, 15 * MINUTE)?.level).toBe('risk');
    expect(slaAtRisk(t, 14 * MINUTE)).toBe(false);
    expect(slaAtRisk(t, 15 * MINUTE)).toBe(true);
    expect(slaState(t, 21 * MINUTE)).toMatchObject({ level: 'breached', leftMs: -MINUTE });
  });

  it('after the first response only resolution counts; closed tickets and tickets without targets have none', () => {
    const sla = { firstResponseDueAt: 20 * MINUTE, resolutionDueAt: 4 * HOUR, businessHours: false };
    const answered = { status: 'open' as const, life: { ...life, firstResponseAt: 5 * MINUTE }, sla };
    expect(slaState(answered, 30 * MINUTE)).toMatchObject({ target: 'resolution', level: 'ok' });
    // Not answered: the breached first response comes before the running resolution.
    expect(slaState({ ...answered, life }, 30 * MINUTE)).toMatchObject({ target: 'firstResponse', level: 'breached' });
    expect(slaState({ ...answered, status: 'closed' }, 30 * MINUTE)).toBeNull();
    expect(slaState({ ...answered, sla: null }, 30 * MINUTE)).toBeNull();
  });

  it('deadlines in business hours: a ticket that arrives before opening is not at risk at opening', async () => {
    // Monday 2026-11-23, São Paulo; the world starts at 10:00 local. Open 08:00–12:00, 13:00–18:00.
    const w = await makeWorld({
      businessHours: { enabled: true, timezone: 'America/Sao_Paulo', days: [1, 2, 3, 4, 5].flatMap((day) => [{ day, open: '08:00', close: '12:00' }, { day, open: '13:00', close: '18:00' }]), holidays: [], outsideMessage: '' },
    });
    await w.store.transaction(async (tx) => {
      const s = (await tx.get(refs.sector('suporte')))!;
      tx.set(refs.sector('suporte'), { ...s, sla: { firstResponseMinutes: 30, resolutionHours: null, businessHours: true } });
    });
    w.advance(1 * HOUR + 45 * MINUTE); // 11:45: 15 business minutes before the lunch break
    const { ticketId } = await w.inbound('site', 'v1', 'Oi');
    const ticket = w.ticket(ticketId);
    // 15 minutes before lunch + 15 after: due 13:15, not 12:15.
    const at = T0 + HOUR + 45 * MINUTE;
    expect(ticket.sla?.firstResponseDueAt).toBe(at + HOUR + 30 * MINUTE);
    // 12:25 by the wall clock, only 15 of 30 business minutes gone: not at risk.
    expect(slaState(ticket, at + 40 * MINUTE)).toMatchObject({ level: 'ok' });
    await w.run(staff('ana'), 'ticket.accept', { ticketId });
    await w.run(staff('ana'), 'message.send', { ticketId, text: 'Olá!' });
    expect(slaState(w.ticket(ticketId), at + 2 * HOUR)).toBeNull();
  });
});
