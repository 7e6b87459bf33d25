import { describe, expect, it } from 'vitest';
import { decodeTimes, encodeSpec, encodeTimes, isTimeField, millisOf, staleTimeKeys, TIME_FIELDS, type QuerySpec } from '../src/index.ts';
import { deriveTimeFields } from '../src/store/timeFieldsOf.ts';

/** A stand-in for the SDKs' Timestamp (both have fromMillis/toMillis). */
class Ts {
  constructor(readonly ms: number) {}
  toMillis() {
    return this.ms;
  }
}
const ts = (ms: number) => new Ts(ms);
const SENTINEL = { isEqual: () => false, _methodName: 'serverTimestamp' };

describe('the Firestore time codec (core/src/store/timeCodec.ts)', () => {
  it('knows every time field the schemas declare (TIME_FIELDS is the derivation, kept for zod-free bundles)', () => {
    // When this fails, paste the derived object into core/src/store/timeFields.ts.
    expect(TIME_FIELDS).toEqual(deriveTimeFields());
    expect(TIME_FIELDS.tickets).toEqual(expect.arrayContaining(['lastMessageAt', 'lastMessage.at', 'life.startedAt', 'sla.resolutionDueAt', 'survey.expiresAt']));
    expect(TIME_FIELDS.messages).toEqual(expect.arrayContaining(['createdAt', 'reactions[].at']));
    expect(TIME_FIELDS.tickets).not.toContain('unread');
  });

  it('encodes the times of a document, nested and in arrays, and nothing else', () => {
    const ticket = { id: 'T1', unread: 3, createdAt: 1000, closedAt: null, lastMessage: { text: 'oi', at: 2000 }, life: { startedAt: 1000, servedAt: null, transfers: 2 } };
    const stored = encodeTimes('tickets', ticket, ts);
    expect(stored).toEqual({ id: 'T1', unread: 3, createdAt: ts(1000), closedAt: null, lastMessage: { text: 'oi', at: ts(2000) }, life: { startedAt: ts(1000), servedAt: null, transfers: 2 } });
    expect(ticket.createdAt).toBe(1000); // the model's copy is untouched
    const message = { id: 'M1', createdAt: 5, reactions: [{ emoji: '👍', by: 'agent', at: 6 }] };
    expect(encodeTimes('messages', message, ts)).toEqual({ id: 'M1', createdAt: ts(5), reactions: [{ emoji: '👍', by: 'agent', at: ts(6) }] });
    expect(decodeTimes('messages', encodeTimes('messages', message, ts))).toEqual(message);
    const counter = { id: 'c', value: 4 };
    expect(encodeTimes('counters', counter, ts)).toBe(counter);
  });

  it('leaves field transforms and dotted patch paths right', () => {
    expect(encodeTimes('tickets', { updatedAt: SENTINEL }, ts)).toEqual({ updatedAt: SENTINEL });
    expect(encodeTimes('tickets', { 'life.servedAt': 7, 'life.transfers': 1 }, ts)).toEqual({ 'life.servedAt': ts(7), 'life.transfers': 1 });
  });

  it('reads both the old numbers and timestamps (upgrade on read), and leaves a typed string for the schema check', () => {
    const mixed = { id: 'T1', createdAt: 1000, updatedAt: ts(2000), lastMessage: { at: ts(3000.9) } };
    expect(decodeTimes('tickets', mixed)).toEqual({ id: 'T1', createdAt: 1000, updatedAt: 2000, lastMessage: { at: 3000 } });
    expect(decodeTimes('sectors', { updatedAt: 'ontem' })).toEqual({ updatedAt: 'ontem' });
    expect(staleTimeKeys('tickets', mixed)).toEqual(['createdAt']);
    expect(staleTimeKeys('tickets', { life: { startedAt: ts(1), servedAt: 5 } })).toEqual(['life']);
    expect(millisOf(ts(5))).toBe(5);
    expect(millisOf('x')).toBe('x');
  });

  it('encodes the bounds of queries on time fields, and only those', () => {
    const spec: QuerySpec<'tickets'> = {
      collection: 'tickets',
      where: [
        ['idle', '==', 'waiting'],
        ['lastMessageAt', '<=', 500],
        ['unread', '>', 0],
      ],
      orderBy: [
        ['lastMessageAt', 'asc'],
        ['id', 'asc'],
      ],
      startAfter: [400, 'T9'],
      limit: 10,
    };
    const out = encodeSpec(spec, ts);
    expect(out.where).toEqual([
      ['idle', '==', 'waiting'],
      ['lastMessageAt', '<=', ts(500)],
      ['unread', '>', 0],
    ]);
    expect(out.startAfter).toEqual([ts(400), 'T9']);
    expect(out.limit).toBe(10);
    expect(isTimeField('tickets', 'sla.firstResponseDueAt')).toBe(true);
    expect(isTimeField('customerTickets', 'updatedAt')).toBe(true);
    expect(isTimeField('tickets', 'sla')).toBe(false);
  });
});
